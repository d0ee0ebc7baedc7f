"""A Document rebuilt from the JSON record the run wrote for it, so the review app can edit it and
have the project's writers render it again in the same format.

The writers need the source itself for most formats (a .docx is rewritten inside its own package
so styles and tables stay; Markdown and HTML are re-rendered around their markup), so the source
file named in the record is read again with the project's reader, and the record's sentences,
languages, translations, statuses, summaries, flags and metadata are put on it. The source is
only parsed by the reader, never served. If it is gone or changed since the run, a plain-text
record can still be rebuilt from the record alone; other formats are refused with a clear error.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from ..document import Document, Flag, Segment

_SPACE = re.compile(r"\s+")


class RebuildError(Exception):
    pass


def open_flags(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The record's flags (those a review resolved are kept apart in metadata.review)."""
    return [f for f in record.get("flags") or [] if isinstance(f, dict)]


def _fields(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def _segment(s: dict[str, Any]) -> Segment:
    fields = _fields(Segment)
    seg = Segment(id=s["id"], text=s.get("model_text") or s["source"], lang=s.get("lang", "unknown"),
                  score=s.get("score", 0.0), translations=dict(s.get("translations") or {}),
                  flags=list(s.get("flags") or []))
    for key in ("kind", "sep", "script"):
        if key in s and key in fields:
            setattr(seg, key, s[key])
    if "status" in fields:
        from ..document import Status

        known = {st.value for st in Status}
        seg.status = {k: Status(v) for k, v in (s.get("status") or {}).items() if v in known}
    if s.get("model_text") and "source_text" in fields:
        seg.source_text = s["source"]
    return seg


def _segments_by_paragraph(record: dict[str, Any]) -> list[list[Segment]]:
    segs = {s["id"]: _segment(s) for s in record.get("segments") or [] if isinstance(s, dict) and "id" in s}
    return [[segs[i] for i in p.get("segments") or [] if i in segs] for p in record.get("paragraphs") or []]


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def _finish(doc: Document, record: dict[str, Any]) -> Document:
    doc.id = record.get("id", doc.id)
    doc.lang = record.get("lang", doc.lang)
    doc.lang_score = record.get("lang_score", doc.lang_score)
    doc.targets = list(record.get("targets") or [])
    doc.summaries = dict(record.get("summaries") or {})
    doc.metadata = dict(record.get("metadata") or {})
    flag_fields = _fields(Flag)
    doc.flags = [Flag(**{k: v for k, v in f.items() if k in flag_fields}) for f in open_flags(record)]
    return doc


def from_source(record: dict[str, Any], source: Path) -> Document:
    """The source file read again, with the record's sentences and results on its paragraphs."""
    from ..io import read_document

    doc = read_document(source)
    groups = _segments_by_paragraph(record)
    if len(groups) != len(doc.paragraphs):
        raise RebuildError(f"{source}: the file changed since the run ({len(doc.paragraphs)} paragraphs now, "
                           f"{len(groups)} then); run the pipeline on it again before reviewing")
    for para, segs, p in zip(doc.paragraphs, groups, record.get("paragraphs") or [], strict=True):
        was = "".join(s.source_text if getattr(s, "source_text", None) else s.text for s in segs)
        if segs and _squash(was) != _squash(getattr(para, "source_text", None) or para.text):
            raise RebuildError(f"{source}: paragraph {para.index} changed since the run; run the pipeline "
                               "on it again before reviewing")
        para.segments = segs
        para.lang, para.score = p.get("lang", para.lang), p.get("score", para.score)
    return _finish(doc, record)


def document_from_record(record: dict[str, Any]) -> Document:
    """The Document to re-render: from the source file when it is there (every format), else
    `Document.from_dict` (the record alone), for plain text only."""
    src = record.get("source_path")
    source = Path(src) if src else None
    if source is not None and source.is_file():
        return from_source(record, source)
    fmt = record.get("format", "txt")
    if fmt != "txt":
        raise RebuildError(f"the source file {src} is needed to rewrite a .{fmt} output with its formatting, "
                           "and it is not there (moved, or the run was started from another folder)")
    return Document.from_dict(record)


__all__ = ["document_from_record", "from_source", "open_flags", "RebuildError"]
