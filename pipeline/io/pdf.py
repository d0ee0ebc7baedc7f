"""PDF with a text layer, through pypdf (BSD): lines joined into paragraphs, hyphenation at line
ends undone. A PDF without text (a scan) is refused with a message saying so; pages whose text could
not be extracted are reported, never dropped silently. PDF output is not attempted: the translation
is written as a new .docx (see `docx_write.new_docx`)."""
from __future__ import annotations

import re
from pathlib import Path

from .errors import ReadError

MAX_PAGES = 500
_END = re.compile(r"[.!?:…»\"”)]$")


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines of a page -> paragraphs: a blank line, or a short line ending a sentence, ends one."""
    width = sorted(len(ln) for ln in lines if ln.strip())
    typical = width[len(width) * 3 // 4] if width else 0
    out, cur = [], ""
    for ln in lines:
        s = ln.strip()
        if not s:
            if cur:
                out.append(cur)
            cur = ""
            continue
        if cur.endswith("-") and len(cur) > 1 and cur[-2].isalpha() and s[:1].islower():
            cur = cur[:-1] + s
        else:
            cur = f"{cur} {s}" if cur else s
        if _END.search(s) and len(s) < 0.8 * typical:
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out


def read_pdf(path: Path):
    """(paragraph texts, notes). Raises ReadError for encrypted, damaged or text-less files."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:  # pragma: no cover - a declared dependency
        raise ReadError(path, "reading .pdf needs the pypdf package (pip install pypdf)") from None
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(path, "the PDF is password-protected: save an unprotected copy and try again")
        pages = reader.pages
        if len(pages) > MAX_PAGES:
            raise ReadError(path, f"refused: {len(pages)} pages (limit {MAX_PAGES})")
        texts, notes, empty = [], [], []
        for n, page in enumerate(pages, 1):
            try:
                text = page.extract_text() or ""
            except Exception as e:  # one damaged page must not lose the others
                notes.append(f"page {n}: text could not be extracted ({type(e).__name__}: {e})")
                continue
            if not text.strip():
                empty.append(n)
            texts += _paragraphs(text.splitlines())
    except ReadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as e:
        raise ReadError(path, f"damaged or unsupported PDF: {type(e).__name__}: {e}") from None
    if not any(t.strip() for t in texts):
        raise ReadError(path, f"the PDF has no text layer ({len(pages)} page(s) of images: a scan?); "
                              "run OCR on it first, or send the original document")
    if empty:
        notes.append(f"page(s) {', '.join(map(str, empty))} have no text layer (images only) and were not read")
    return texts, notes
