"""read_document: any supported file -> Document, one module per format behind one function.

Every failure is a `ReadError` naming the file and the problem. Limits apply before a file is read
whole. What a reader could not read, or changed (bytes replaced, a page without text, deleted
tracked changes, an unterminated HTML comment), becomes a `read-partial` or `read-note` flag on the
document and a list in `metadata["read_notes"]`: never silent.
"""
from __future__ import annotations

from pathlib import Path

from ..document import Document, Paragraph
from .errors import MAX_PACKAGE_BYTES, MAX_TEXT_BYTES, Partial, ReadError, read_limited
from .text import decode_html_notes, decode_text, decode_text_notes

SUPPORTED_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".docx": "docx",
                      ".html": "html", ".htm": "html", ".pdf": "pdf", ".odt": "odt", ".doc": "doc"}

def _finish(doc: Document, notes: list[str], path: Path) -> Document:
    if not any(p.text.strip() for p in doc.paragraphs):
        raise ReadError(path, "no text found (empty document)")
    if notes:
        doc.metadata["read_notes"] = [str(n) for n in notes]
    for note in notes:
        doc.flag("read-partial" if isinstance(note, Partial) else "read-note", str(note))
    return doc


def _docx_document(path: Path, id: str, parts, source: Path, fmt: str) -> Document:
    from .docx_read import PARTS, read_docx

    paragraphs, meta, notes = read_docx(source, parts or PARTS)
    doc = Document.from_text("\n\n".join(p.text for p in paragraphs), id=id, source_path=path,
                             format=fmt, paragraphs=paragraphs)
    doc.metadata.update(meta)
    if source != path:
        doc.metadata["docx_path"] = str(source)
    return _finish(doc, notes, path)


def read_document(path: str | Path, id: str | None = None, *, docx_parts=None) -> Document:
    """Read a .txt .md .html .docx .pdf .odt (or .doc, with LibreOffice) file into a Document.

    `docx_parts`: which parts of a Word file to read (default all: "body", "footnotes",
    "endnotes", "headers", "footers")."""
    path = Path(path)
    fmt = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ReadError(path, f"unsupported file type {path.suffix or '(none)'}; "
                              f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    if not path.exists():
        raise ReadError(path, "file not found")
    if not path.is_file():
        raise ReadError(path, "not a regular file")
    limit = MAX_TEXT_BYTES if fmt in ("txt", "md", "html") else MAX_PACKAGE_BYTES
    size = path.stat().st_size
    if size > limit:
        raise ReadError(path, f"file is larger than the limit ({size:,} bytes; limit {limit:,})")
    id = id or path.stem
    if fmt == "docx":
        return _docx_document(path, id, docx_parts, path, "docx")
    if fmt == "doc":
        from .legacy import convert_doc

        return _docx_document(path, id, docx_parts, convert_doc(path), "doc")
    if fmt in ("pdf", "odt"):  # readers that give (text, kind) items and notes of what was not read
        import importlib

        module = importlib.import_module(f".{fmt}", __package__)
        items, notes = getattr(module, f"read_{fmt}")(path)
        paragraphs = [Paragraph(i, t, kind=k) for i, (t, k) in enumerate(items)]
        doc = Document.from_text("\n\n".join(t for t, _ in items), id=id, source_path=path, format=fmt,
                                 paragraphs=paragraphs)
        return _finish(doc, notes, path)
    decode = decode_html_notes if fmt == "html" else decode_text_notes
    text, notes = decode(read_limited(path, limit), path)
    if fmt == "md":
        from .markdown import read_markdown

        paragraphs, meta = read_markdown(text)
        doc = Document.from_text(text, id=id, source_path=path, format="md", paragraphs=paragraphs)
        doc.metadata.update(meta)
        if meta.get("markdown_raw"):
            notes.append(f"{len(meta['markdown_raw'])} paragraph(s) with Markdown this reader cannot take "
                         "apart are translated with their markup")
        return _finish(doc, notes, path)
    if fmt == "html":
        from .html import read_html

        paragraphs, meta, more = read_html(text)
        doc = Document.from_text("\n\n".join(p.text for p in paragraphs), id=id, source_path=path,
                                 format="html", paragraphs=paragraphs)
        doc.metadata.update(meta)
        return _finish(doc, notes + more, path)
    return _finish(Document.from_text(text, id=id, source_path=path, format="txt"), notes, path)


__all__ = ["ReadError", "read_document", "decode_text", "SUPPORTED_SUFFIXES"]
