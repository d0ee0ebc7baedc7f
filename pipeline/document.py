"""The one data type that flows through every stage.

A reader turns a file into a `Document` with `paragraphs`; the segment stage splits each paragraph
into sentence `Segment`s; detection labels paragraphs and segments; translation fills
`Segment.translations`; summarisation fills `Document.summaries`; checks append `Flag`s.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from .languages import OTHER, UNKNOWN  # noqa: F401  (the labels; Document fields default to UNKNOWN)


class Status(str, Enum):
    """How a segment's text in one target language came about (`Segment.status[lang]`)."""

    TRANSLATED = "translated"  # by a model in this run
    MEMORY = "memory"  # from the translation memory: an earlier machine translation
    HUMAN = "human"  # from the translation memory: a human translation (post-edit, TMX import)
    COPIED = "copied"  # kept as is on purpose: no words (numbers, a URL) or already in that language
    UNTRANSLATED = "untranslated"  # could not be translated (language `other`, no model): source kept


@dataclass(kw_only=True)
class Flag:
    """Something a human must check before publication: set by a stage on a `Document`, or found
    by QA in a translation (`pipeline.qa`: the check stage, `ngo-pipeline qa`, the review app's
    re-check). Built by keyword only: `Flag(code=..., severity=..., message=...)`."""

    code: str  # machine-readable: "number-mismatch", "low-confidence", "lang-other", ...
    message: str
    severity: str = "warning"  # "error" (fix before publication) | "warning" (look at it) | "info"
    segment: str | None = None  # segment id, when the flag is about one segment
    lang: str | None = None  # target language, when the flag is about one translation
    span: dict[str, Any] | None = None  # {"side": "source"|"translation", "start", "end", "text"}

    def to_dict(self) -> dict[str, Any]:
        """The flag as QA reports it (`ngo-pipeline qa --json`, the review app's re-check): code,
        severity, message, then segment, language and span where known. A document's JSON record
        lists every field, in field order (`Document.to_dict`)."""
        out: dict[str, Any] = {"code": self.code, "severity": self.severity, "message": self.message}
        out.update({k: v for k, v in (("segment", self.segment), ("lang", self.lang), ("span", self.span))
                    if v is not None})
        return out


@dataclass
class Segment:
    """A sentence: the unit that is detected, translated, cached and checked."""

    id: str  # "p3s1": paragraph 3, sentence 1
    text: str
    lang: str = UNKNOWN
    score: float = 0.0
    translations: dict[str, str] = field(default_factory=dict)
    #: per target language: how its translation came about (set with the translation, in one place)
    status: dict[str, Status] = field(default_factory=dict)
    #: per target language: the model's score of a machine translation (mean token log-probability,
    #: `pipeline/translate/seq2seq.py`); absent for human, copied and unscored text
    model_score: dict[str, float] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    # Whitespace that followed this segment in the paragraph (kept so paragraphs rebuild faithfully).
    sep: str = " "
    kind: str = "sentence"  # "sentence" | "headline" | "dateline"
    # The original text when `text` (what the models see) was repaired or transliterated by the
    # normalize stage; text copied through to the output is always the original.
    source_text: str | None = None
    script: str | None = None  # "Cyrl" | "Latn" when detection saw the script (Latin-script Kazakh)

    @property
    def original(self) -> str:
        return self.source_text if self.source_text is not None else self.text

    def set_translation(self, lang: str, text: str, status: Status, score: float | None = None) -> None:
        self.translations[lang] = text
        self.status[lang] = Status(status)
        if score is None:
            self.model_score.pop(lang, None)
        else:
            self.model_score[lang] = float(score)


@dataclass
class Paragraph:
    index: int
    text: str
    kind: str = "body"  # "body" | "heading" | "list" | "quote" | "table"
    markup: str = ""  # Markdown prefix kept out of the text ("## ", "- ", "> "), restored on output
    lang: str = UNKNOWN
    score: float = 0.0
    segments: list[Segment] = field(default_factory=list)
    source_text: str | None = None  # the original when `text` was repaired (normalize stage)
    script: str | None = None  # "Latn" for a Latin-script Kazakh paragraph (set by detection)

    def translation(self, lang: str) -> str:
        """The paragraph in `lang`, built from its segments (one translated unit per source unit)."""
        if not self.segments:
            return self.source_text if self.source_text is not None else self.text
        parts = []
        for i, seg in enumerate(self.segments):
            parts.append(seg.translations.get(lang, seg.original))
            if i < len(self.segments) - 1:
                parts.append(seg.sep)
        return "".join(parts)


@dataclass
class Document:
    id: str
    text: str
    source_path: Path | None = None
    format: str = "txt"  # format of the source file: "txt" | "md" | "docx" | "html"
    paragraphs: list[Paragraph] = field(default_factory=list)
    lang: str = UNKNOWN
    lang_score: float = 0.0
    # What the run is for, set by `Pipeline.prepare` (the one place): the languages wanted (empty:
    # every configured language) and a source language that overrides detection.
    requested_targets: list[str] = field(default_factory=list)
    source_lang: str | None = None
    summaries: dict[str, str] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_text(cls, text: str, id: str | None = None, source_path: Path | None = None,
                  format: str = "txt", paragraphs: list[Paragraph] | None = None) -> Document:
        """Build a document; paragraphs default to blank-line separated blocks of `text`."""
        if paragraphs is None:
            paragraphs = [Paragraph(i, p) for i, p in enumerate(split_paragraphs(text))]
        if id is None:
            id = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        return cls(id=id, text=text, source_path=source_path, format=format, paragraphs=paragraphs)

    @property
    def targets(self) -> list[str]:
        """The languages this document is translated into: those requested, less its own."""
        return [lang for lang in self.requested_targets if lang != self.lang]

    @targets.setter
    def targets(self, langs: list[str]) -> None:
        self.requested_targets = list(langs)

    @property
    def segments(self) -> list[Segment]:
        return [s for p in self.paragraphs for s in p.segments]

    def translation(self, lang: str) -> str:
        return "\n\n".join(p.translation(lang) for p in self.paragraphs)

    @property
    def translations(self) -> dict[str, str]:
        return {lang: self.translation(lang) for lang in self.targets}

    def flag(self, code: str, message: str, **kw: Any) -> None:
        self.flags.append(Flag(code=code, message=message, **kw))

    def to_dict(self) -> dict[str, Any]:
        """The JSON record written next to the translations (and printed by `--json`)."""
        return {
            "id": self.id,
            "source_path": path_text(Path(self.source_path).resolve()) if self.source_path else None,
            "format": self.format,
            "lang": self.lang,
            "lang_score": round(self.lang_score, 4),
            "targets": list(self.targets),
            "paragraphs": [
                {"index": p.index, "kind": p.kind, "lang": p.lang, "score": round(p.score, 4),
                 **({"script": p.script} if p.script else {}), "segments": [s.id for s in p.segments]}
                for p in self.paragraphs
            ],
            "segments": [
                {"id": s.id, "source": s.original, **({"model_text": s.text} if s.text != s.original else {}),
                 "lang": s.lang, "score": round(s.score, 4), "kind": s.kind,
                 **({"script": s.script} if s.script else {}), "translations": dict(s.translations),
                 "status": {k: Status(v).value for k, v in s.status.items()},
                 **({"model_score": {k: round(v, 4) for k, v in s.model_score.items()}} if s.model_score else {}),
                 "flags": list(s.flags)}
                for s in self.segments
            ],
            "translations": self.translations,
            "summaries": dict(self.summaries),
            "flags": [{k: v for k, v in asdict(f).items() if k != "span" or v is not None} for f in self.flags],
            "metadata": self.metadata,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        """The inverse of `to_dict` (the review app rebuilds documents from their JSON records).
        Paragraph text is rebuilt from its segments and their separators as recorded."""
        segs = {s["id"]: s for s in d.get("segments", [])}
        paragraphs = []
        for p in d.get("paragraphs", []):
            segments = [Segment(id=sid, text=segs[sid].get("model_text", segs[sid]["source"]),
                                lang=segs[sid].get("lang", UNKNOWN), score=segs[sid].get("score", 0.0),
                                translations=dict(segs[sid].get("translations", {})),
                                status={k: Status(v) for k, v in segs[sid].get("status", {}).items()},
                                model_score={k: float(v) for k, v in (segs[sid].get("model_score") or {}).items()},
                                flags=list(segs[sid].get("flags", [])), kind=segs[sid].get("kind", "sentence"),
                                source_text=segs[sid]["source"] if "model_text" in segs[sid] else None,
                                script=segs[sid].get("script"))
                        for sid in p.get("segments", [])]
            paragraphs.append(Paragraph(p["index"], " ".join(s.original for s in segments), kind=p.get("kind", "body"),
                                        lang=p.get("lang", UNKNOWN), score=p.get("score", 0.0), segments=segments,
                                        script=p.get("script")))
        doc = cls(id=d["id"], text="\n\n".join(p.text for p in paragraphs),
                  source_path=Path(d["source_path"]) if d.get("source_path") else None,
                  format=d.get("format", "txt"), paragraphs=paragraphs, lang=d.get("lang", UNKNOWN),
                  lang_score=d.get("lang_score", 0.0), requested_targets=list(d.get("targets", [])),
                  summaries=dict(d.get("summaries", {})), metadata=dict(d.get("metadata", {})))
        doc.flags = [Flag(**f) for f in d.get("flags", [])]
        return doc


def path_text(path) -> str:
    """A path as text that JSON and a terminal can hold: bytes that are not UTF-8 in a file name (a
    cp1251 or Latin-1 name) become backslash escapes instead of lone surrogates."""
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks; single newlines inside a block are soft wraps and become spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = []
    for block in text.split("\n\n"):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        if lines:
            blocks.append(" ".join(lines))
    return blocks
