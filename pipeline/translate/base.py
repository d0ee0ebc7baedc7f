"""The translator interface and the translators that wrap or replace an engine: identity, pivot,
and the translation-memory cache.

`translate(texts) -> [str]`; `translate_detailed(texts) -> [(str, Status)]` also says how each
output came about (a model, the memory, a human translation), which becomes `Segment.status`.
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
        raise NotImplementedError


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
    """src -> pivot -> tgt, made of two translators."""

    def __init__(self, first: Translator, second: Translator):
        self.first, self.second = first, second
        self.src, self.tgt = first.src, second.tgt

    @property
    def key(self) -> str:
        return f"pivot({self.first.key} > {self.second.key})"

    def warm_up(self) -> None:
        self.first.warm_up()
        self.second.warm_up()

    def translate_detailed(self, texts: list[str]) -> list[tuple[str, Status]]:
        return self.second.translate_detailed(self.first.translate(texts))


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

    def translate_detailed(self, texts: list[str]) -> list[tuple[str, Status]]:
        found: dict[str, tuple[str, Status]] = {
            s: (t, Status.HUMAN) for s, t in self.memory.human_many(self.src, self.tgt, texts).items()}
        rest = [t for t in texts if t not in found]
        found.update({s: (t, Status.MEMORY) for s, t in self.memory.get_many(self.key, rest).items()})
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        self.memory.hits += len(texts) - sum(1 for t in texts if t not in found)
        self.memory.misses += len(missing)
        if missing:
            new = dict(zip(missing, self.inner.translate_detailed(missing), strict=True))
            self.memory.put_many(self.key, {s: t for s, (t, _) in new.items()})
            found.update(new)
        return [found[t] for t in texts]


__all__ = ["Translator", "IdentityTranslator", "PivotTranslator", "CachedTranslator"]
