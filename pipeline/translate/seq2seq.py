"""What every engine translator shares: a text longer than the model's input limit is split at
clause or word boundaries and the pieces' translations are joined (never truncated); unique texts
are sorted by length and batched by a token budget; decoding is deterministic (greedy or beam
search, no sampling); an output cut by the automatic length bound is redone with the model's limit.
"""
from __future__ import annotations

import logging

from .. import models
from ..text.sentences import split_to_fit
from .base import Translator

log = logging.getLogger(__name__)


class Seq2SeqTranslator(Translator):
    def __init__(self, ref: models.ModelRef, src: str, tgt: str, beams: int = 4,
                 max_batch_tokens: int = 4096, max_input_tokens: int = 0, device: str = "cpu",
                 min_new_tokens: int = 0, max_new_tokens: int = 0):
        self.ref, self.src, self.tgt = ref, src, tgt
        self.beams, self.max_batch_tokens = beams, max_batch_tokens
        self.max_input_tokens = max_input_tokens
        self.device = device
        # Output length bounds; 0 = automatic (up to twice the input + 16, within the model limit).
        # min = max forces a fixed length: scripts/bench.py uses it so every engine decodes alike.
        self.min_new_tokens, self.max_new_tokens = min_new_tokens, max_new_tokens
        self.tokenizer = None
        self.multilingual = ref.arch in ("nllb", "m2m100")

    @property
    def key(self) -> str:
        return (f"{self.ref.identity}|{self.src}-{self.tgt}|beams={self.beams}|{self.engine}"
                f"|len={self.min_new_tokens}-{self.max_new_tokens}")

    engine = ""

    def _src_code(self) -> str:
        return models.NLLB_CODES[self.src]

    def _tgt_code(self) -> str:
        return models.NLLB_CODES[self.tgt]

    def n_tokens(self, text: str) -> int:
        if self.multilingual:
            self.tokenizer.src_lang = self._src_code()
        return len(self.tokenizer(text).input_ids)

    def input_limit(self) -> int:
        """Most source tokens one model input may hold."""
        raise NotImplementedError

    def output_limit(self) -> int:
        """Most target tokens the model can produce."""
        raise NotImplementedError

    def _generate(self, texts: list[str], max_new: int) -> list[tuple[str, bool]]:
        """Translate one batch: (text, finished) per input; finished is False when the output
        stopped at `max_new` tokens instead of at the end-of-sentence token."""
        raise NotImplementedError

    def translate(self, texts: list[str]) -> list[str]:
        self.warm_up()
        limit = self.input_limit()
        lengths: dict[str, int] = {}

        def n_tokens(text: str) -> int:
            if text not in lengths:
                lengths[text] = self.n_tokens(text)
            return lengths[text]

        pieces_of = [split_to_fit(text, lambda t: n_tokens(t) <= limit) if text.strip() else []
                     for text in texts]
        unique = sorted({p for pieces in pieces_of for p in pieces}, key=n_tokens)
        done: dict[str, str] = {}
        unfinished = self._run(unique, n_tokens, done, None)
        if unfinished and not self.max_new_tokens:
            # An output cut by the automatic bound (twice the input + 16): redo it with the model's
            # whole output length rather than return a truncated translation.
            unfinished = self._run(unfinished, n_tokens, done, self.output_limit())
        if unfinished:
            log.warning("%s %s-%s: %d output(s) reached the length limit; check them: %s", self.ref.name,
                        self.src, self.tgt, len(unfinished), "; ".join(u[:60] for u in unfinished[:3]))
        return [" ".join(done[p] for p in pieces) for pieces in pieces_of]

    def _run(self, pieces: list[str], n_tokens, done: dict[str, str], max_new: int | None) -> list[str]:
        """Translate `pieces` (sorted by length) in batches of at most `max_batch_tokens` padded
        tokens into `done`; return the pieces whose output did not finish."""
        unfinished: list[str] = []
        batch: list[str] = []
        longest = 0

        def flush() -> None:
            bound = max_new or min(self.max_new_tokens or 2 * longest + 16, self.output_limit())
            for piece, (text, finished) in zip(batch, self._generate(batch, bound), strict=True):
                done[piece] = text
                if not finished:
                    unfinished.append(piece)

        for piece in pieces:
            n = n_tokens(piece)
            if batch and max(longest, n) * (len(batch) + 1) > self.max_batch_tokens:
                flush()
                batch, longest = [], 0
            batch.append(piece)
            longest = max(longest, n)
        if batch:
            flush()
        return unfinished
