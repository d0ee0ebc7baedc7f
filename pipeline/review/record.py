"""A Document rebuilt from the JSON record the run wrote for it (the review app edits it and has
the project's writers render it again)."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from ..document import Document, Flag, Paragraph, Segment


def open_flags(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The record's flags (those a review resolved are kept apart in metadata.review)."""
    return [f for f in record.get("flags") or [] if isinstance(f, dict)]


def _fields(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def document_from_record(record: dict[str, Any], out_dir: Path) -> Document:
    """The Document a record was written from (`Document.from_dict` when the core has it)."""
    if hasattr(Document, "from_dict"):
        return Document.from_dict(record)
    segs = {}
    seg_fields = _fields(Segment)
    for s in record.get("segments") or []:
        seg = Segment(id=s["id"], text=s.get("model_text") or s["source"], lang=s.get("lang", "unknown"),
                      score=s.get("score", 0.0), translations=dict(s.get("translations") or {}),
                      flags=list(s.get("flags") or []))
        for key in ("kind", "sep", "status"):
            if key in s and key in seg_fields:
                setattr(seg, key, dict(s[key]) if key == "status" else s[key])
        if s.get("model_text") and "source_text" in seg_fields:
            seg.source_text = s["source"]
        segs[seg.id] = seg
    paragraphs = []
    for p in record.get("paragraphs") or []:
        members = [segs[i] for i in p.get("segments") or [] if i in segs]
        text = p.get("text")
        if text is None:
            text = "".join(s.text + (s.sep if k < len(members) - 1 else "") for k, s in enumerate(members))
        paragraphs.append(Paragraph(index=p.get("index", len(paragraphs)), text=text, kind=p.get("kind", "body"),
                                    markup=p.get("markup", ""), lang=p.get("lang", "unknown"),
                                    score=p.get("score", 0.0), segments=members))
    src = record.get("source_path")
    doc = Document(id=record.get("id", ""), text="\n\n".join(p.text for p in paragraphs),
                   source_path=Path(src) if src else None, format=record.get("format", "txt"),
                   paragraphs=paragraphs, lang=record.get("lang", "unknown"),
                   lang_score=record.get("lang_score", 0.0), summaries=dict(record.get("summaries") or {}),
                   metadata=dict(record.get("metadata") or {}))
    doc.targets = list(record.get("targets") or [])
    flag_fields = _fields(Flag)
    doc.flags = [Flag(**{k: v for k, v in f.items() if k in flag_fields}) for f in open_flags(record)]
    return doc


def recover_markup(doc: Document, record: dict[str, Any], out_dir: Path, record_path: Path) -> None:
    """Markdown prefixes ("## ", "- ") of a record that does not store them, read back from the
    run's own Markdown output (before any edit): each output paragraph is prefix + translation."""
    if doc.format not in ("md", "html") or not doc.targets:
        return
    if any("markup" in p for p in record.get("paragraphs") or []):
        return
    from ..io.writers import output_paths

    rel = record_path.relative_to(out_dir)
    lang = doc.targets[0]
    try:
        out = output_paths(doc, out_dir, rel)[lang].read_text(encoding="utf-8")
    except (OSError, KeyError, ValueError):
        return
    blocks = out.rstrip("\n").split("\n\n")
    if len(blocks) != len(doc.paragraphs):
        return
    for block, para in zip(blocks, doc.paragraphs, strict=True):
        text = para.translation(lang)
        prefix = block[:len(block) - len(text)] if text and block.endswith(text) else ""
        if _MARKUP.fullmatch(prefix):
            para.markup = prefix


_MARKUP = re.compile(r"(?:#{1,6} |[-*+] |\d{1,3}[.)] |> ){0,3}")

__all__ = ["document_from_record", "recover_markup", "open_flags"]
