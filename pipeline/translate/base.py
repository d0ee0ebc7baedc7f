"""The translator interface and the translators that wrap or replace an engine: identity, pivot,
and the translation-memory cache.

`translate(texts) -> [str]`; `translate_detailed(texts) -> [(str, Status)]` also says how each
output came about (a model, the memory, a human translation), which becomes `Segment.status`;
`translate_scored(texts) -> [(str, Status, score)]` adds the model score of a machine translation
(mean token log-probability; None for human, copied and unscored text). A translator implements
`translate_detailed` or `translate_scored`; each default is made from the other.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..document import Status

if TYPE_CHECKING:
    from ..memory import TranslationMemory

log = logging.getLogger(__name__)


class Translator:
    src: str
    tgt: str

    @property
    def key(self) -> str:
        """Identity of model + revision + direction + decoding settings: the translation-memory key."""
        raise NotImplementedError

    def warm_up(self) -> None:
        pass

    def translate(self, texts: list[str]) -> list[str]:
        return [text for text, _ in self.translate_detailed(texts)]

    def translate_detailed(self, texts: list[str]) -> list[tuple[str, Status]]:
        if type(self).translate_scored is Translator.translate_scored:
            raise NotImplementedError(f"{type(self).__name__} implements neither translate_detailed "
                                      "nor translate_scored")
        return [(text, status) for text, status, _ in self.translate_scored(texts)]

    def translate_scored(self, texts: list[str]) -> list[tuple[str, Status, float | None]]:
        return [(text, status, None) for text, status in self.translate_detailed(texts)]


class IdentityTranslator(Translator):
    """src == tgt: the text is already in the target language."""

    def __init__(self, lang: str):
        self.src = self.tgt = lang

    @property
    def key(self) -> str:
        return f"identity|{self.src}"

    def translate_detailed(self, texts: list[str]) -> list[tuple[str, Status]]:
        return [(t, Status.COPIED) for t in texts]


class PivotTranslator(Translator):
    """src -> pivot -> tgt, made of two translators. The score of a pivoted translation is the
    lower of the two legs' scores (the weaker step bounds the confidence in the whole; a sum would
    punish every pivoted sentence, a mean would let one good leg hide a bad one)."""

    def __init__(self, first: Translator, second: Translator):
        self.first, self.second = first, second
        self.src, self.tgt = first.src, second.tgt

    @property
    def key(self) -> str:
        return f"pivot({self.first.key} > {self.second.key})"

    def warm_up(self) -> None:
        self.first.warm_up()
        self.second.warm_up()

    def translate_scored(self, texts: list[str]) -> list[tuple[str, Status, float | None]]:
        first = self.first.translate_scored(texts)
        second = self.second.translate_scored([t for t, _, _ in first])
        return [(t, status, min(a, b) if a is not None and b is not None else None)
                for (_, _, a), (t, status, b) in zip(first, second, strict=True)]


class CachedTranslator(Translator):
    """The translation memory around any translator: human translations of the same sentence and
    direction first, then earlier machine output of the same translator, then the model.

    The memory is only a cache: if it cannot be written (read-only file, disk full), the run goes
    on without storing, after one warning."""

    def __init__(self, inner: Translator, memory: TranslationMemory):
        self.inner, self.memory = inner, memory
        self.src, self.tgt = inner.src, inner.tgt

    @property
    def key(self) -> str:
        return self.inner.key

    def warm_up(self) -> None:  # the model loads only when the memory lacks a sentence
        pass

    def translate_scored(self, texts: list[str]) -> list[tuple[str, Status, float | None]]:
        found: dict[str, tuple[str, Status, float | None]] = {
            s: (t, Status.HUMAN, None) for s, t in self.memory.human_many(self.src, self.tgt, texts).items()}
        rest = [t for t in texts if t not in found]
        found.update({s: (t, Status.MEMORY, score)
                      for s, (t, score) in self.memory.get_many_scored(self.key, rest).items()})
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        self.memory.hits += len(texts) - sum(1 for t in texts if t not in found)
        self.memory.misses += len(missing)
        if missing:
            new = dict(zip(missing, self.inner.translate_scored(missing), strict=True))
            self.memory.put_many(self.key, {s: t for s, (t, _, _) in new.items()},
                                 scores={s: score for s, (_, _, score) in new.items()})
            found.update(new)
        return [found[t] for t in texts]


__all__ = ["Translator", "IdentityTranslator", "PivotTranslator", "CachedTranslator"]
