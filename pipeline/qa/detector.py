"""The one place QA gets its language detector from: the process-wide detector of
`pipeline.text.langid` (the one the detect stage uses), built lazily on the first language check.
`detect_many(texts)` labels all sentences of all pairs in one call. Any object with
`detect_many(list[str]) -> list[(lang, score)]` can be passed to the engine instead (tests do).
"""
from __future__ import annotations

from typing import Protocol

from ..languages import SUPPORTED


class LanguageDetector(Protocol):
    def detect_many(self, texts: list[str]) -> list[tuple[str, float]]: ...


def shared_detector(languages: tuple[str, ...] = SUPPORTED) -> LanguageDetector:
    from ..text.langid import shared_detector as shared

    return shared(tuple(languages))
