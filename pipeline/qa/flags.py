"""The records QA produces: a `Pair` to check and the `QAFlag`s found in it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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


@dataclass
class QAFlag:
    """One problem: `code` is machine-readable ("number-mismatch"), `severity` is error (must be
    fixed before publication), warning (look at it) or info; `span` says where:
    {"side": "translation"|"source", "start", "end", "text"} (character offsets)."""

    code: str
    severity: str
    message: str
    span: dict[str, Any] | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "severity": self.severity, "message": self.message}
        if self.span is not None:
            out["span"] = self.span
        return out


def span(side: str, start: int, end: int, text: str) -> dict[str, Any]:
    return {"side": side, "start": start, "end": end, "text": text[start:end]}


def has_error(flags: list[QAFlag]) -> bool:
    return any(f.severity == "error" for f in flags)
