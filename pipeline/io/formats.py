"""The one table of file formats (pandoc's reader/writer table): for each format, the suffixes it
is read from, how it is read into one `ReadResult`, how a translation is written back, the suffix
of that translation and the size limit that applies before a file is read whole.

| format | suffixes | translation written as |
| --- | --- | --- |
| txt | .txt | .txt |
| md | .md .markdown | .md (the source with each inline run translated; code, HTML, front matter kept) |
| html | .html .htm | .html (a clean article page) |
| docx | .docx | .docx (the source package with only its text replaced) |
| doc | .doc (LibreOffice) | .docx (the converted package, text replaced) |
| odt | .odt | .odt (the source package with only its text replaced) |
| pdf | .pdf | .docx (a new document with the paragraphs, headings and lists) |

Every module a format names is imported only when a file of that format is read or written.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..document import Paragraph
from .errors import MAX_PACKAGE_BYTES, MAX_TEXT_BYTES, read_limited


@dataclass
class ReadResult:
    """What every reader gives: the paragraphs (None: split `text` into paragraphs), the text,
    metadata for the Document and notes of what was not read or was changed (`Partial` for text
    left out)."""

    text: str | None = None
    paragraphs: list[Paragraph] | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    notes: list = field(default_factory=list)

    @property
    def full_text(self) -> str:
        return self.text if self.text is not None else "\n\n".join(p.text for p in self.paragraphs or [])


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...]
    #: (path, size limit, options) -> ReadResult; options: docx_parts
    read: Callable[..., ReadResult]
    #: (document, target language) -> (file content, indexes of paragraphs placed approximately)
    write: Callable[..., tuple[bytes | str, list[int]]]
    out_suffix: str
    limit: int  # bytes, checked before the file is read whole


def _read_text(path: Path, limit: int, **_: Any) -> ReadResult:
    from .text import decode_text_notes

    text, notes = decode_text_notes(read_limited(path, limit), path)
    return ReadResult(text=text, notes=notes)


def _read_markdown(path: Path, limit: int, **_: Any) -> ReadResult:
    from .markdown import read_markdown
    from .text import decode_text_notes

    text, notes = decode_text_notes(read_limited(path, limit), path)
    paragraphs, meta = read_markdown(text)
    if meta.get("markdown_raw"):
        notes.append(f"{len(meta['markdown_raw'])} paragraph(s) with Markdown this reader cannot take "
                     "apart are translated with their markup")
    return ReadResult(text, paragraphs, meta, notes)


def _read_html(path: Path, limit: int, **_: Any) -> ReadResult:
    from .html import read_html
    from .text import decode_html_notes

    text, notes = decode_html_notes(read_limited(path, limit), path)
    paragraphs, meta, more = read_html(text)
    return ReadResult(None, paragraphs, meta, notes + more)


def _read_docx(path: Path, limit: int, docx_parts=None, source: Path | None = None, **_: Any) -> ReadResult:
    from .docx_read import PARTS, read_docx

    paragraphs, meta, notes = read_docx(source or path, docx_parts or PARTS)
    if source is not None and source != path:
        meta = {**meta, "docx_path": str(source)}
    return ReadResult(None, paragraphs, meta, notes)


def _read_doc(path: Path, limit: int, docx_parts=None, **_: Any) -> ReadResult:
    from .legacy import convert_doc

    return _read_docx(path, limit, docx_parts, source=convert_doc(path))


def _items_reader(module: str) -> Callable[..., ReadResult]:
    """pdf and odt: readers that give (text, kind) items and notes of what was not read."""

    def read(path: Path, limit: int, **_: Any) -> ReadResult:
        import importlib

        items, notes = getattr(importlib.import_module(f".{module}", __package__), f"read_{module}")(path)
        return ReadResult(None, [Paragraph(i, t, kind=k) for i, (t, k) in enumerate(items)], {}, notes)

    return read


def _write_text(doc, lang: str) -> tuple[str, list[int]]:
    from .writers import render_text

    return render_text(doc, lang), []


def _write_new_docx(doc, lang: str) -> tuple[bytes, list[int]]:
    from .docx_write import new_docx

    return new_docx(doc, lang), []


def _writer(module: str, name: str) -> Callable[..., tuple[bytes | str, list[int]]]:
    def write(doc, lang: str):
        import importlib

        return getattr(importlib.import_module(f".{module}", __package__), name)(doc, lang)

    return write


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("txt", (".txt",), _read_text, _write_text, ".txt", MAX_TEXT_BYTES),
    Format("md", (".md", ".markdown"), _read_markdown, _writer("markdown_write", "render_markdown"), ".md",
           MAX_TEXT_BYTES),
    Format("html", (".html", ".htm"), _read_html, _writer("html_write", "render_html"), ".html", MAX_TEXT_BYTES),
    Format("docx", (".docx",), _read_docx, _writer("docx_write", "render_docx"), ".docx", MAX_PACKAGE_BYTES),
    Format("pdf", (".pdf",), _items_reader("pdf"), _write_new_docx, ".docx", MAX_PACKAGE_BYTES),
    Format("odt", (".odt",), _items_reader("odt"), _writer("odt_write", "render_odt"), ".odt", MAX_PACKAGE_BYTES),
    Format("doc", (".doc",), _read_doc, _writer("docx_write", "render_docx"), ".docx", MAX_PACKAGE_BYTES),
)}

#: suffix (lower case, with the dot) -> format name
SUPPORTED_SUFFIXES: dict[str, str] = {s: f.name for f in FORMATS.values() for s in f.suffixes}


def by_suffix(path: Path) -> Format | None:
    name = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    return FORMATS[name] if name else None


__all__ = ["Format", "FORMATS", "ReadResult", "SUPPORTED_SUFFIXES", "by_suffix"]
