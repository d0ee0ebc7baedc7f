"""Readers: .txt, .md, .docx, .html -> Document with paragraphs.

Every failure is a `ReadError` naming the file and the problem; nothing is read partially.
"""
from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from ..document import Document, Paragraph

SUPPORTED_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".docx": "docx",
                      ".html": "html", ".htm": "html"}
MAX_TEXT_BYTES = 20 * 1024 * 1024  # a press release is kilobytes; 20 MB of text is not one
MAX_DOCX_EXPANDED = 100 * 1024 * 1024  # declared uncompressed size of all entries of a .docx
MAX_DOCX_ENTRIES = 2000
MAX_DOCX_RATIO = 200  # declared expanded size / compressed size, per entry


class ReadError(Exception):
    def __init__(self, path: Path | str, reason: str):
        self.path, self.reason = Path(path), reason
        super().__init__(f"{path}: {reason}")


def read_document(path: str | Path, id: str | None = None) -> Document:
    path = Path(path)
    fmt = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ReadError(path, f"unsupported file type {path.suffix or '(none)'}; "
                              f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    if not path.exists():
        raise ReadError(path, "file not found")
    if not path.is_file():
        raise ReadError(path, "not a regular file")
    if path.stat().st_size > (MAX_TEXT_BYTES if fmt != "docx" else MAX_DOCX_EXPANDED):
        raise ReadError(path, f"file is larger than the limit ({path.stat().st_size:,} bytes)")
    if fmt == "docx":
        paragraphs = _docx_paragraphs(path)
        text = "\n\n".join(p.text for p in paragraphs)
    else:
        text = decode_text(path.read_bytes(), path)
        paragraphs = _md_paragraphs(text) if fmt == "md" else (
            _html_paragraphs(text) if fmt == "html" else None)
        if paragraphs is not None and fmt == "html":
            text = "\n\n".join(p.text for p in paragraphs)
    doc = Document.from_text(text, id=id or path.stem, source_path=path, format=fmt, paragraphs=paragraphs)
    if not any(p.text.strip() for p in doc.paragraphs):
        raise ReadError(path, "no text found (empty document)")
    return doc


def decode_text(data: bytes, path: Path) -> str:
    """Bytes -> str: BOMs honoured, UTF-8 first, otherwise the encoding charset-normalizer detects
    (Russian files still arrive in cp1251). Binary data is refused."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                raise ReadError(path, f"declares {enc} by its byte-order mark but does not decode: {e}") from None
    if b"\x00" in data[:8192]:
        raise ReadError(path, "looks like a binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(path, "not text in any encoding that could be detected (binary file?)")
    text = str(best)
    bad = sum(1 for ch in text if ch in "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f"))
    if bad > max(3, len(text) // 100):
        raise ReadError(path, "looks like a binary file (control characters), not text")
    return text


_MD_PREFIX = re.compile(r"^(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)")


def _md_paragraphs(text: str) -> list[Paragraph]:
    """Markdown blocks; heading, list and quote markers are kept as `markup`, not translated."""
    out: list[Paragraph] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [ln.rstrip() for ln in block.split("\n") if ln.strip()]
        # Each list item or heading line is its own paragraph; other lines are soft-wrapped.
        current: list[str] = []
        for ln in lines:
            m = _MD_PREFIX.match(ln.strip())
            if m:
                if current:
                    out.append(Paragraph(len(out), " ".join(current)))
                    current = []
                marker = m.group(1)
                kind = ("heading" if marker.startswith("#") else "quote" if marker.startswith(">")
                        else "list")
                out.append(Paragraph(len(out), ln.strip()[m.end():].strip(), kind=kind, markup=marker))
            else:
                current.append(ln.strip())
        if current:
            out.append(Paragraph(len(out), " ".join(current)))
    return [p for p in out if p.text]


def check_zip(path: Path) -> None:
    """Refuse archives that would inflate beyond the limits, before any entry is decompressed."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError) as e:
        raise ReadError(path, f"not a valid .docx (zip) file: {e}") from None
    if len(infos) > MAX_DOCX_ENTRIES:
        raise ReadError(path, f"refused: {len(infos)} archive entries (limit {MAX_DOCX_ENTRIES})")
    total = sum(i.file_size for i in infos)
    if total > MAX_DOCX_EXPANDED:
        raise ReadError(path, f"refused: archive expands to {total:,} bytes (limit {MAX_DOCX_EXPANDED:,}); "
                              "possible zip bomb")
    for i in infos:
        if i.compress_size and i.file_size / i.compress_size > MAX_DOCX_RATIO and i.file_size > 1024 * 1024:
            raise ReadError(path, f"refused: entry {i.filename} has compression ratio "
                                  f"{i.file_size // i.compress_size}:1; possible zip bomb")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise ReadError(path, "not a Word document (no word/document.xml in the archive)")


def docx_blocks(document) -> list[tuple[object, str]]:
    """The docx paragraphs that carry text, in reading order, with their kind: body paragraphs and
    the paragraphs of table cells (each merged cell once). The writer walks the same list."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    out: list[tuple[object, str]] = []

    def visit_table(table: Table) -> None:
        seen: set[int] = set()
        for row in table.rows:
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                for block in cell.iter_inner_content():
                    if isinstance(block, Table):
                        visit_table(block)
                    elif block.text.strip():
                        out.append((block, "table"))

    for block in document.iter_inner_content():
        if isinstance(block, DocxParagraph):
            if block.text.strip():
                style = (block.style.name if block.style is not None else "") or ""
                out.append((block, "heading" if style.lower().startswith(("heading", "title")) else "body"))
        else:
            visit_table(block)
    return out


def _docx_paragraphs(path: Path) -> list[Paragraph]:
    check_zip(path)
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as e:  # python-docx raises several types for broken packages
        raise ReadError(path, f"cannot parse .docx: {type(e).__name__}: {e}") from None
    return [Paragraph(i, " ".join(block.text.split()), kind=kind)
            for i, (block, kind) in enumerate(docx_blocks(document))]


_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "th", "pre",
               "figcaption", "dd", "dt", "div", "section", "article", "br", "tr", "title"}
_SKIP_TAGS = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg",
              "button", "select", "template", "iframe", "head"}


class _MainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.skip = 0
        self.buf: list[str] = []
        self.kind = "body"
        self.markup = ""

    def flush(self) -> None:
        text = " ".join("".join(self.buf).split())
        if text:
            self.blocks.append((text, self.kind, self.markup))
        self.buf, self.kind, self.markup = [], "body", ""

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS and not self.skip:
            self.flush()
            if tag[0] == "h" and tag[1:].isdigit():
                self.kind, self.markup = "heading", "#" * int(tag[1]) + " "
            elif tag == "li":
                self.kind, self.markup = "list", "- "
            elif tag == "blockquote":
                self.kind, self.markup = "quote", "> "

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS and not self.skip:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.buf.append(data)


def _html_paragraphs(text: str) -> list[Paragraph]:
    parser = _MainText()
    parser.feed(text)
    parser.close()
    parser.flush()
    # <main> or <article> content is usually all there is after skipping nav/header/footer.
    return [Paragraph(i, t, kind=k, markup=m) for i, (t, k, m) in enumerate(parser.blocks)]


__all__ = ["ReadError", "read_document", "decode_text", "check_zip", "docx_blocks", "SUPPORTED_SUFFIXES"]
