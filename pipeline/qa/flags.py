"""What QA takes and gives: a `Pair` to check; the problems found are `Flag`s (pipeline/document.py,
the one flag type: a stage's flags and QA's are the same records)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..document import Flag
from ..languages import SUPPORTED as LANGUAGES  # the one language table

SEVERITIES = ("error", "warning", "info")


@dataclass
class Pair:
    """A source text and its translation (a sentence, a paragraph or a short document)."""

    source: str
    translation: str
    src_lang: str
    tgt_lang: str
    id: str | None = None


def span(side: str, start: int, end: int, text: str) -> dict[str, Any]:
    return {"side": side, "start": start, "end": end, "text": text[start:end]}


def has_error(flags: list[Flag]) -> bool:
    return any(f.severity == "error" for f in flags)
