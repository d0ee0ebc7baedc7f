"""`Seq2SeqTranslator`: one direction of one engine, and the path every engine shares: a text
longer than the model's input limit is split at clause or word boundaries and the pieces'
translations are joined (never truncated); unique texts are sorted by length and batched by a
token budget; decoding is deterministic (greedy or beam search, no sampling); an output cut by the
automatic length bound is redone with the model's limit.

Every output keeps its model score: the length-normalised log-probability of the chosen output
(the mean over its tokens; a text translated in pieces: the pieces' log-probabilities summed over
all their tokens). `score_all` gives the same score for any given translation (forced decoding).
"""
from __future__ import annotations

import logging

from ..document import Status
from ..text.sentences import split_to_fit
from .base import Translator
from .engine import Engine

log = logging.getLogger(__name__)


def generate_all(engine: Engine, texts: list[str], src: str | None = None, tgt: str | None = None,
                 max_new: int = 0) -> list[str]:
    """Run `texts` through `engine` whole: each split to the input limit, batched by tokens, and
    rejoined. Used by the translators and by `summarize.hf` (with a fixed `max_new`)."""
    return [text for text, _ in generate_scored(engine, texts, src, tgt, max_new)]


def generate_scored(engine: Engine, texts: list[str], src: str | None = None, tgt: str | None = None,
                    max_new: int = 0) -> list[tuple[str, float | None]]:
    """`generate_all` with each output's score (mean token log-probability; None for an empty
    text or an engine that gives no scores)."""
    d = engine.decoding
    limit = engine.input_limit()
    lengths: dict[str, int] = {}

    def n_tokens(text: str) -> int:
        if text not in lengths:
            lengths[text] = engine.n_tokens(text, src)
        return lengths[text]

    pieces_of = [split_to_fit(text, lambda t: n_tokens(t) <= limit) if text.strip() else []
                 for text in texts]
    unique = sorted({p for pieces in pieces_of for p in pieces}, key=n_tokens)
    done: dict[str, tuple] = {}
    unfinished = _run(engine, unique, n_tokens, done, max_new or None, src, tgt)
    if unfinished and not (max_new or d.max_new_tokens):
        # An output cut by the automatic bound (twice the input + 16): redo it with the model's
        # whole output length rather than return a truncated translation.
        unfinished = _run(engine, unfinished, n_tokens, done, engine.output_limit(), src, tgt)
    if unfinished and not max_new:
        log.warning("%s %s-%s: %d output(s) reached the length limit; check them: %s", engine.ref.name,
                    src, tgt, len(unfinished), "; ".join(u[:60] for u in unfinished[:3]))
    out = []
    for pieces in pieces_of:
        parts = [done[p] for p in pieces]
        n = sum(part[2] for part in parts)
        scored = parts and all(part[1] is not None for part in parts) and n
        out.append((" ".join(part[0] for part in parts),
                    sum(part[1] for part in parts) / n if scored else None))
    return out


def batches(items: list, size, max_tokens: int):
    """Consecutive batches of `items` (sorted by size) whose padded size, the longest item times the
    batch length, stays within `max_tokens` (an item larger than that goes alone): (batch, longest)."""
    batch: list = []
    longest = 0
    for item in items:
        n = size(item)
        if batch and max(longest, n) * (len(batch) + 1) > max_tokens:
            yield batch, longest
            batch, longest = [], 0
        batch.append(item)
        longest = max(longest, n)
    if batch:
        yield batch, longest


def _run(engine: Engine, pieces: list[str], n_tokens, done: dict[str, tuple], max_new: int | None,
         src: str | None, tgt: str | None) -> list[str]:
    """Translate `pieces` (sorted by length) in batches of at most `max_batch_tokens` padded
    tokens into `done` ({piece: (text, logprob sum, tokens)}); return the pieces whose output did
    not finish."""
    d = engine.decoding
    unfinished: list[str] = []
    for batch, longest in batches(pieces, n_tokens, d.max_batch_tokens):
        bound = max_new or min(d.max_new_tokens or 2 * longest + 16, engine.output_limit())
        for piece, (text, finished, *scored) in zip(batch, engine.generate(batch, bound, src, tgt), strict=True):
            logprob, n = scored if scored else (None, 0)  # an engine overriding generate may give no score
            done[piece] = (text, logprob, n)
            if not finished:
                unfinished.append(piece)
    return unfinished


def score_all(engine: Engine, sources: list[str], targets: list[str], src: str | None = None,
              tgt: str | None = None) -> list[float | None]:
    """Forced-decoding score of each (source, target) pair: the mean log-probability of the
    target's tokens given the source, as at generation. None for an empty side or a pair longer
    than the model's limits (it is not cut: a part of a pair is not a translation of a part)."""
    d = engine.decoding
    limit_in, limit_out = engine.input_limit(), engine.output_limit()
    out: list[float | None] = [None] * len(sources)
    todo = []
    for i, (s, t) in enumerate(zip(sources, targets, strict=True)):
        if s.strip() and t.strip():
            n_in, n_out = engine.n_tokens(s, src), engine.n_target_tokens(t, tgt)
            if n_in <= limit_in and n_out <= limit_out:
                todo.append((max(n_in, n_out), i))
    todo.sort()
    for batch, _ in batches(todo, lambda item: item[0], d.max_batch_tokens):
        idx = [i for _, i in batch]
        scored = engine.score([sources[i] for i in idx], [targets[i] for i in idx], src, tgt)
        for i, (logprob, n) in zip(idx, scored, strict=True):
            out[i] = logprob / n if n else None
    return out


class Seq2SeqTranslator(Translator):
    """One direction (`src` -> `tgt`) of one engine."""

    def __init__(self, engine: Engine, src: str, tgt: str):
        self.engine, self.src, self.tgt = engine, src, tgt

    @property
    def key(self) -> str:
        e = self.engine
        return f"{e.ref.identity}|{self.src}-{self.tgt}|{e.name}|{e.decoding.key}"

    def warm_up(self) -> None:
        self.engine.load()

    def translate_scored(self, texts: list[str]) -> list[tuple[str, Status, float | None]]:
        return [(t, Status.TRANSLATED, s) for t, s in generate_scored(self.engine, texts, self.src, self.tgt)]

    def score(self, sources: list[str], targets: list[str]) -> list[float | None]:
        """Forced-decoding scores of given translations in this direction (`score_all`)."""
        return score_all(self.engine, sources, targets, self.src, self.tgt)
