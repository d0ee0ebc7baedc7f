"""The translator interface and the translators that wrap others (pivot, translation memory)."""
from __future__ import annotations


class Translator:
    src: str
    tgt: str
    #: identity of model + revision + direction + decoding settings: the translation-memory key.
    key: str

    def warm_up(self) -> None:
        pass

    def translate(self, texts: list[str]) -> list[str]:
        raise NotImplementedError


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

    def translate(self, texts: list[str]) -> list[str]:
        return self.second.translate(self.first.translate(texts))


class CachedTranslator(Translator):
    def __init__(self, inner: Translator, memory: TranslationMemory):
        self.inner, self.memory = inner, memory
        self.src, self.tgt = inner.src, inner.tgt

    @property
    def key(self) -> str:
        return self.inner.key

    def warm_up(self) -> None:
        self.inner.warm_up()

    def translate(self, texts: list[str]) -> list[str]:
        found = self.memory.get_many(self.key, texts)
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        self.memory.hits += len(texts) - sum(1 for t in texts if t not in found)
        self.memory.misses += len(missing)
        if missing:
            new = dict(zip(missing, self.inner.translate(missing), strict=True))
            self.memory.put_many(self.key, new)
            found.update(new)
        return [found[t] for t in texts]
