"""PDF with a text layer, through pypdf (BSD): lines joined into paragraphs, hyphenation at line
ends undone. A PDF without text (a scan) is refused with a message saying so; pages whose text could
not be extracted are reported, never dropped silently. PDF output is not attempted: the translation
is written as a new .docx (see `docx_write.new_docx`)."""
from __future__ import annotations

import re
from pathlib import Path

from .errors import Partial, ReadError

MAX_PAGES = 500
_END = re.compile(r"[.!?:…»\"”)]$")


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines of a page -> paragraphs: a blank line, or a short line ending a sentence, ends one."""
    width = sorted(len(ln) for ln in lines if ln.strip())
    typical = width[min(len(width) - 1, len(width) * 9 // 10)] if width else 0  # a full line
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
        if _END.search(s) and len(s) < 0.85 * typical:
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out


def _page_paragraphs(page) -> list[tuple[str, str]]:
    """(text, kind) paragraphs of one page from the positions of its text: a vertical gap clearly
    larger than the usual line spacing starts a new paragraph, and a short block set in a clearly
    larger font than the body is a heading; without positions, the plain-text heuristics."""
    frags: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):
        if text:
            scale = abs(tm[3] * cm[3]) or 1.0
            frags.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5], (size or 0) * scale, text))

    plain = page.extract_text(visitor_text=visit) or ""
    lines: list[list] = []  # [y, font size, text]
    for y, size, text in frags:
        for k, part in enumerate(text.split("\n")):
            if lines and k == 0 and abs(lines[-1][0] - y) < 2:
                lines[-1][1] = max(lines[-1][1], size if part.strip() else 0)
                lines[-1][2] += part
            elif part.strip() or k == 0:
                lines.append([y, size if part.strip() else 0, part])
    lines = [ln for ln in lines if ln[2].strip()]
    if len(lines) < 2:
        return [(p, "body") for p in _paragraphs(plain.splitlines())]
    gaps = sorted(abs(a[0] - b[0]) for a, b in zip(lines, lines[1:]) if abs(a[0] - b[0]) >= 2)
    usual = gaps[len(gaps) // 2] if gaps else 0
    sizes = sorted(ln[1] for ln in lines)
    body = sizes[len(sizes) // 2]
    out: list[list] = [[]]
    for i, ln in enumerate(lines):
        big, was_big = ln[1] > 1.2 * body, i and lines[i - 1][1] > 1.2 * body
        if i and ((usual and abs(lines[i - 1][0] - ln[0]) > 1.4 * usual) or big != was_big):
            out.append([])
        out[-1].append(ln)
    result = []
    for block in out:
        heading = body > 0 and all(ln[1] > 1.2 * body for ln in block) and len(block) <= 3
        for p in _paragraphs([ln[2] for ln in block]):
            result.append((p, "heading" if heading else "body"))
    return result


def read_pdf(path: Path):
    """([(paragraph text, kind)], notes). Raises ReadError for encrypted, damaged or text-less files."""
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
                paras = _page_paragraphs(page)
            except Exception as e:  # one damaged page must not lose the others
                notes.append(Partial(f"page {n}: text could not be extracted ({type(e).__name__}: {e})"))
                continue
            if not any(p.strip() for p, _ in paras):
                empty.append(n)
            texts += paras
    except ReadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as e:
        raise ReadError(path, f"damaged or unsupported PDF: {type(e).__name__}: {e}") from None
    if not any(t.strip() for t, _ in texts):
        raise ReadError(path, f"the PDF has no text layer ({len(pages)} page(s) of images: a scan?); "
                              "run OCR on it first, or send the original document")
    if empty:
        notes.append(Partial(f"page(s) {', '.join(map(str, empty))} have no text layer (images only) and were not read"))
    return texts, notes
