"""The CTranslate2 engine (models converted with `ngo-pipeline models convert NAME`)."""
from __future__ import annotations

from .. import models
from .seq2seq import Seq2SeqTranslator


class CT2Translator(Seq2SeqTranslator):
    """The same model converted to CTranslate2 (`ngo-pipeline models convert NAME`)."""

    engine = "ct2"

    def __init__(self, ref: models.ModelRef, src: str, tgt: str, beams: int = 4,
                 max_batch_tokens: int = 4096, max_input_tokens: int = 0, device: str = "cpu",
                 compute_type: str = "int8", threads: int = 0, min_new_tokens: int = 0,
                 max_new_tokens: int = 0):
        super().__init__(ref, src, tgt, beams, max_batch_tokens, max_input_tokens, device,
                         min_new_tokens, max_new_tokens)
        self.compute_type, self.threads = compute_type, threads

    @property
    def key(self) -> str:  # the quantisation changes the output, so it is part of the identity
        return super().key + f"|{self.compute_type}"

    def warm_up(self) -> None:
        if self.tokenizer is None:
            self.tokenizer = models.load_tokenizer(self.ref)
            self.translator = models.load_ct2(self.ref, self.compute_type, self.device, self.threads)
            import json

            cfg = json.loads((self.ref.path / "config.json").read_text(encoding="utf-8"))
            self._max_pos = cfg.get("max_position_embeddings", 512)

    def input_limit(self) -> int:
        if self.max_input_tokens:
            return self.max_input_tokens
        return min(self._max_pos, self.tokenizer.model_max_length) - 2

    def output_limit(self) -> int:
        return self._max_pos - 2

    def _generate(self, texts: list[str], max_new: int) -> list[tuple[str, bool]]:
        if self.multilingual:
            self.tokenizer.src_lang = self._src_code()
        source = [self.tokenizer.convert_ids_to_tokens(self.tokenizer(t).input_ids) for t in texts]
        prefix = [[self._tgt_code()]] * len(texts) if self.multilingual else None
        extra = 1 if prefix else 0  # CTranslate2 counts the target prefix in the lengths
        results = self.translator.translate_batch(
            source, target_prefix=prefix, beam_size=self.beams, max_batch_size=len(texts),
            max_decoding_length=max_new + extra,
            min_decoding_length=(self.min_new_tokens + extra) if self.min_new_tokens else 0,
            return_scores=False)
        out = []
        for r in results:
            tokens = r.hypotheses[0][extra:]
            ids = self.tokenizer.convert_tokens_to_ids(tokens)
            # CTranslate2 drops the end token; an output of the full length may have been cut.
            out.append((self.tokenizer.decode(ids, skip_special_tokens=True).strip(), len(tokens) < max_new))
        return out
