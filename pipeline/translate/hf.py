"""The transformers engine."""
from __future__ import annotations

from .. import models
from .seq2seq import Seq2SeqTranslator


class HFTranslator(Seq2SeqTranslator):
    """transformers `AutoModelForSeq2SeqLM` (Marian / OPUS-MT, NLLB)."""

    engine = "hf"

    def warm_up(self) -> None:
        if self.tokenizer is None:
            self.tokenizer, self.model = models.load_hf_seq2seq(self.ref, self.device)

    def input_limit(self) -> int:
        if self.max_input_tokens:
            return self.max_input_tokens
        return min(self.model.config.max_position_embeddings, self.tokenizer.model_max_length) - 2

    def output_limit(self) -> int:
        return self.model.config.max_position_embeddings - 2

    def _generate(self, texts: list[str], max_new: int) -> list[tuple[str, bool]]:
        import torch

        kwargs = {"min_new_tokens": self.min_new_tokens} if self.min_new_tokens else {}
        forced = 0
        if self.multilingual:
            self.tokenizer.src_lang = self._src_code()
            kwargs["forced_bos_token_id"] = self.tokenizer.convert_tokens_to_ids(self._tgt_code())
            forced = 1  # the forced language code is one of the new tokens
        enc = self.tokenizer(texts, return_tensors="pt", padding=True).to(self.device)
        with torch.inference_mode():
            out = self.model.generate(**enc, num_beams=self.beams, do_sample=False,
                                      max_new_tokens=max_new + forced, num_return_sequences=1, **kwargs)
        eos = self.model.generation_config.eos_token_id
        eos = set(eos if isinstance(eos, list) else [eos])
        finished = [any(int(i) in eos for i in row[1:]) for row in out]
        texts_out = [t.strip() for t in self.tokenizer.batch_decode(out, skip_special_tokens=True)]
        return list(zip(texts_out, finished, strict=True))
