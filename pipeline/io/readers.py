"""read_document: any supported file -> Document, through the format table (formats.py).

Every failure is a `ReadError` naming the file and the problem. Limits apply before a file is read
whole. What a reader could not read, or changed (bytes replaced, a page without text, deleted
tracked changes, an unterminated HTML comment), becomes a `read-partial` or `read-note` flag on the
document and a list in `metadata["read_notes"]`: never silent.
"""
from __future__ import annotations

from pathlib import Path

from ..document import Document
from .errors import Partial, ReadError
from .formats import SUPPORTED_SUFFIXES, ReadResult, by_suffix
from .text import decode_text


def _document(result: ReadResult, path: Path, id: str, fmt: str) -> Document:
    """The Document of a reader's result: its paragraphs and metadata, its notes as flags."""
    doc = Document.from_text(result.full_text, id=id, source_path=path, format=fmt, paragraphs=result.paragraphs)
    doc.metadata.update(result.metadata)
    if not any(p.text.strip() for p in doc.paragraphs):
        raise ReadError(path, "no text found (empty document)")
    if result.notes:
        doc.metadata["read_notes"] = [str(n) for n in result.notes]
    for note in result.notes:
        doc.flag("read-partial" if isinstance(note, Partial) else "read-note", str(note))
    return doc


def read_document(path: str | Path, id: str | None = None, *, docx_parts=None) -> Document:
    """Read a .txt .md .html .docx .pdf .odt (or .doc, with LibreOffice) file into a Document.

    `docx_parts`: which parts of a Word file to read (default all: "body", "footnotes",
    "endnotes", "headers", "footers")."""
    path = Path(path)
    fmt = by_suffix(path)
    if fmt is None:
        raise ReadError(path, f"unsupported file type {path.suffix or '(none)'}; "
                              f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    if not path.exists():
        raise ReadError(path, "file not found")
    if not path.is_file():
        raise ReadError(path, "not a regular file")
    size = path.stat().st_size
    if size > fmt.limit:
        raise ReadError(path, f"file is larger than the limit ({size:,} bytes; limit {fmt.limit:,})")
    return _document(fmt.read(path, fmt.limit, docx_parts=docx_parts), path, id or path.stem, fmt.name)


__all__ = ["ReadError", "read_document", "decode_text", "SUPPORTED_SUFFIXES"]
