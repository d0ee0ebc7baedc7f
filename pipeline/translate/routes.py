"""Targets -> directions -> translators, planned once as data (argos-translate's direction graph).

A run asks for target languages (and maybe a source language). `directions(sources, targets)`
lists every (source, target) it may translate; `plan(src, tgt, models, pivot)` turns one into a
`Route`: the model legs it goes through (none: the text is already in that language; one: a
direct model; two: through the pivot) and the output variant written at the end (`kk-Latn`:
the Kazakh translation, transliterated). The same Route decides which models a run needs
(`Pipeline.check_models`, before any work) and which translator is built (`build`), so the two
cannot disagree.

    >>> plan("ru", "kk-Latn", {"ru-kk": "nllb", "ru-en": "opus"}, "en").legs
    (('ru', 'kk'),)
    >>> plan("kk", "ru", {"kk-en": "nllb", "en-ru": "opus"}, "en").legs
    (('kk', 'en'), ('en', 'ru'))
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from ..document import Status
from ..languages import VARIANTS, base_language
from .base import CachedTranslator, IdentityTranslator, PivotTranslator, Translator

if TYPE_CHECKING:
    from ..memory import TranslationMemory


@dataclass(frozen=True)
class Route:
    src: str
    tgt: str  # a language or an output variant ("kk-Latn")
    legs: tuple[tuple[str, str], ...]  # the model directions, in order; () when src is the target language

    @property
    def base(self) -> str:
        """The language the models translate into ("kk" for "kk-Latn")."""
        return base_language(self.tgt)

    @property
    def variant(self) -> str | None:
        return self.tgt if self.tgt in VARIANTS else None

    def models(self, models: Mapping[str, str]) -> list[str]:
        """The configured model names this route goes through."""
        return [models[f"{a}-{b}"] for a, b in self.legs if f"{a}-{b}" in models]

    def unconfigured(self, models: Mapping[str, str]) -> list[str]:
        """The legs no model is configured for ("kk-ru"): the route cannot be built."""
        return [f"{a}-{b}" for a, b in self.legs if f"{a}-{b}" not in models]


def directions(sources: Iterable[str], targets: Iterable[str]) -> list[tuple[str, str]]:
    """Every (source, target) a run may translate: each source into each target that is not the
    source itself (a variant of the source language is a direction: kk -> kk-Latn)."""
    targets = list(targets)
    return sorted({(s, t) for s in sources for t in targets if s != t})


def plan(src: str, tgt: str, models: Mapping[str, str], pivot: str) -> Route:
    """The route from `src` into `tgt`: direct when a model is configured (or the pivot is one
    end), else through `pivot`."""
    base = base_language(tgt)
    if src == base:
        legs: tuple[tuple[str, str], ...] = ()
    elif f"{src}-{base}" in models or pivot in (src, base):
        legs = ((src, base),)
    else:
        legs = ((src, pivot), (pivot, base))
    return Route(src, tgt, legs)


class VariantTranslator(Translator):
    """An output variant of another translator's target: kk-Latn is the kk translation,
    transliterated (`write`); how each sentence came about is the inner translator's."""

    def __init__(self, inner: Translator, variant: str, write: Callable[[str], str]):
        self.inner, self.write = inner, write
        self.src, self.tgt = inner.src, variant

    @property
    def key(self) -> str:
        return f"{self.tgt}({self.inner.key})"

    def warm_up(self) -> None:
        self.inner.warm_up()

    def translate_detailed(self, texts: list[str]) -> list[tuple[str, Status]]:
        return [(self.write(t), s) for t, s in self.inner.translate_detailed(texts)]

    def translate_scored(self, texts: list[str]) -> list[tuple[str, Status, float | None]]:
        """The base translation's model score goes with its transliteration."""
        return [(self.write(t), s, score) for t, s, score in self.inner.translate_scored(texts)]


def _kazakh_latin(alphabet: str) -> Callable[[str], str]:
    from ..text.kazakh_latin import to_latin

    return partial(to_latin, alphabet=alphabet)


#: output variant -> (stage options -> the function that writes a base-language text in it)
VARIANT_WRITERS: dict[str, Callable[..., Callable[[str], str]]] = {
    "kk-Latn": lambda options: _kazakh_latin(options.get("kk_latin_alphabet", "2018")),
}


def build(route: Route, leg: Callable[[str, str], Translator], memory: TranslationMemory | None = None,
          base: Translator | None = None, options: Mapping[str, str] | None = None) -> Translator:
    """The translator for `route`: `leg(a, b)` builds one model direction; the memory wraps what
    a model produces; a variant wraps `base` (the translator into its base language) when given."""
    if route.variant:
        inner = base if base is not None else build(Route(route.src, route.base, route.legs), leg, memory)
        return VariantTranslator(inner, route.variant, VARIANT_WRITERS[route.variant](options or {}))
    if not route.legs:
        return IdentityTranslator(route.src)
    parts = [leg(a, b) for a, b in route.legs]
    t: Translator = parts[0] if len(parts) == 1 else PivotTranslator(*parts)
    return CachedTranslator(t, memory) if memory is not None else t


__all__ = ["Route", "directions", "plan", "build", "VariantTranslator", "VARIANT_WRITERS"]
