"""The one place QA gets a language detector from (so moving the detector core is one import).

The detector is built lazily, once per process, only when a language check actually runs; it is
batched: `detect_many(texts)` labels all sentences of all pairs in one call. Any object with
`detect_many(list[str]) -> list[(lang, score)]` can be passed to the engine instead (tests do).
"""
from __future__ import annotations

import threading
from typing import Protocol

_LOCK = threading.Lock()
_SHARED: dict[tuple[str, ...], object] = {}


class LanguageDetector(Protocol):
    def detect_many(self, texts: list[str]) -> list[tuple[str, float]]: ...


def shared_detector(languages: tuple[str, ...] = ("en", "ru", "kk")) -> LanguageDetector:
    """The project's detector (lingua, with the neighbouring-language rules), cached per process.
    Uses the shared factory of `pipeline.text.langid` when it offers one."""
    key = tuple(languages)
    with _LOCK:
        if key not in _SHARED:
            _SHARED[key] = _build(list(key))
        return _SHARED[key]  # type: ignore[return-value]


def _build(languages: list[str]) -> LanguageDetector:
    from ..text import langid

    factory = getattr(langid, "shared_detector", None) or getattr(langid, "get_detector", None)
    if factory is not None:
        return factory(languages)
    try:
        from ..stages.detect import LinguaDetector  # the detector core until text/langid exposes one

        det = LinguaDetector(languages=languages)
        det.warm_up()
        return det
    except Exception:  # noqa: BLE001 - the stage's constructor is changing; use the rules + lingua
        return _MinimalLingua(languages)


class _MinimalLingua:
    """The project's script rules (`text.langid`) in front of lingua over the configured languages
    and their neighbours; used only when the detector core cannot be built here."""

    _NAMES = {"en": "ENGLISH", "ru": "RUSSIAN", "kk": "KAZAKH", "uk": "UKRAINIAN", "be": "BELARUSIAN",
              "bg": "BULGARIAN", "mk": "MACEDONIAN", "sr": "SERBIAN", "mn": "MONGOLIAN",
              "tr": "TURKISH", "az": "AZERBAIJANI", "de": "GERMAN", "fr": "FRENCH", "es": "SPANISH"}

    def __init__(self, languages: list[str]):
        from lingua import Language, LanguageDetectorBuilder

        self.languages = languages
        codes = list(dict.fromkeys([*languages, *self._NAMES]))
        langs = {c: getattr(Language, self._NAMES[c]) for c in codes if c in self._NAMES}
        self._code = {v: k for k, v in langs.items()}
        self._det = LanguageDetectorBuilder.from_languages(*langs.values()).with_preloaded_language_models().build()

    def detect_many(self, texts: list[str]) -> list[tuple[str, float]]:
        from ..text.langid import evidence_text, script_verdict

        out: list[tuple[str, float] | None] = [script_verdict(t, 3) for t in texts]
        todo = [i for i, v in enumerate(out) if v is None]
        results = self._det.compute_language_confidence_values_in_parallel([evidence_text(texts[i]) for i in todo])
        for i, r in zip(todo, results, strict=True):
            best = r[0] if r else None
            code = self._code.get(best.language) if best else None
            out[i] = (code, round(best.value, 4)) if code in self.languages else ("other", round(best.value, 4) if best else 0.0)
        return out  # type: ignore[return-value]
