"""The CTranslate2 engine (models converted with `ngo-pipeline models convert NAME`).

It imports neither torch nor transformers: text is tokenized with sentencepiece or `tokenizers`
directly (`pipeline.translate.tokenize`), with the same tokens as the transformers tokenizers.
"""
from __future__ import annotations

import json

from .. import models
from .engine import Decoding, Engine
from .tokenize import load_subword_tokenizer

#: `score_batch` keeps the log-probabilities of the whole vocabulary at every target position of a
#: batch (NLLB: 256,206 floats a token): it scores in sub-batches of about this many tokens, sorted
#: by length. Measured on NLLB 600M int8, 48 pairs of ~32 tokens in one call: process peak 3.6 GB
#: in one batch, 1.5 GB in these (0.7 GB before scoring), in the same time. Batching changes int8
#: scores by less than 1e-4 per token.
SCORE_BATCH_TOKENS = 256


def compute_type(ref: models.ModelRef, decoding: Decoding) -> str:
    if decoding.compute_type and decoding.compute_type != "default":
        return decoding.compute_type
    return ref.entry.ct2_compute_type if ref.entry else "int8"


class CT2Engine(Engine):
    name = "ct2"

    @classmethod
    def missing(cls, ref: models.ModelRef, decoding: Decoding) -> str | None:
        ct = compute_type(ref, decoding)
        if models.has_ct2(ref, ct):
            return None
        return (f"{ref.name}: no CTranslate2 conversion ({ct}) at {ref.ct2_dir(ct)}; "
                f"run: ngo-pipeline models convert {ref.name} --quantization {ct}")

    def _load(self) -> None:
        d = self.decoding
        self.tokenizer = load_subword_tokenizer(self.ref)
        self.translator = models.load_ct2(self.ref, compute_type(self.ref, d), d.device, d.threads)
        cfg = json.loads((self.ref.path / "config.json").read_text(encoding="utf-8"))
        self._max_pos = cfg.get("max_position_embeddings", 512)

    def n_tokens(self, text: str, src: str | None = None) -> int:
        self.load()
        return len(self.tokenizer.encode(text, self.code(src)))

    def n_target_tokens(self, text: str, tgt: str | None = None) -> int:
        self.load()
        return len(self.tokenizer.encode_target(text)) + (2 if self.multilingual else 1)

    def input_limit(self) -> int:
        self.load()
        if self.decoding.max_input_tokens:
            return self.decoding.max_input_tokens
        return min(self._max_pos, self.tokenizer.model_max_length) - 2

    def output_limit(self) -> int:
        self.load()
        return self._max_pos - 2

    def _generate(self, texts, max_new, src_code, tgt_code):
        d = self.decoding
        source = [self.tokenizer.encode(t, src_code) for t in texts]
        prefix = [[tgt_code]] * len(texts) if tgt_code else None
        extra = 1 if prefix else 0  # CTranslate2 counts the target prefix in the lengths
        results = self.translator.translate_batch(
            source, target_prefix=prefix, beam_size=d.beams, max_batch_size=len(texts),
            max_decoding_length=max_new + extra,
            min_decoding_length=(d.min_new_tokens + extra) if d.min_new_tokens else 0,
            return_scores=True)
        out = []
        for r in results:
            tokens = r.hypotheses[0][extra:]
            # CTranslate2 drops the end token; an output of the full length may have been cut.
            finished = len(tokens) < max_new
            # The score is the sum of log-probabilities divided by the length (length_penalty 1),
            # a length that counts the prefix (whose log-probability is 0) and the end token.
            length = len(tokens) + extra + (1 if finished else 0)
            out.append((self.tokenizer.decode(tokens), finished, r.scores[0] * length, length - extra))
        return out

    def _score(self, sources, targets, src_code, tgt_code):
        source = [self.tokenizer.encode(t, src_code) for t in sources]
        # target tokens without the end token (score_batch adds it); the language code first,
        # excluded from the score by `offset`
        target = [([tgt_code] if tgt_code else []) + self.tokenizer.encode_target(t) for t in targets]
        results = self.translator.score_batch(source, target, max_batch_size=SCORE_BATCH_TOKENS,
                                              batch_type="tokens", offset=1 if tgt_code else 0)
        return [(float(sum(r.log_probs)), len(r.log_probs)) for r in results]
