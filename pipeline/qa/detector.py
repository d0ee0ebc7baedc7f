"""What QA needs of a language detector. The engine uses the process-wide
`pipeline.text.langid.shared_detector` (the one the detect stage uses), built lazily on the first
language check; `detect_many(texts)` labels all sentences of all pairs in one call. Any object
with `detect_many(list[str]) -> list[(lang, score)]` can be passed to the engine instead (tests do).
"""
from __future__ import annotations

from typing import Protocol


class LanguageDetector(Protocol):
    def detect_many(self, texts: list[str]) -> list[tuple[str, float]]: ...
