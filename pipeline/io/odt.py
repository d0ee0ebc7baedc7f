"""OpenDocument text (.odt): the paragraphs and headings of the body (tables, lists, frames and
text boxes, notes, links and spans included; deleted tracked changes and comments not), read from
content.xml with the same bounded, entity-free parsing as .docx. `odt_write` walks the same pieces.

A paragraph's pieces are its text slots (an element's text or a child's tail, whitespace collapsed
as ODF displays it), spaces (`text:s`, tabs, line breaks) and zero-width marks (note citations,
bookmarks, frames, comments), so that writing can replace text without moving anything else."""
from __future__ import annotations

import re
from pathlib import Path

from .docx_read import Block, Piece
from .errors import ReadError
from .package import Package

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE_CELL = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}table-cell"
_PARA = {f"{{{TEXT}}}p", f"{{{TEXT}}}h"}
_SPACE = {f"{{{TEXT}}}s", f"{{{TEXT}}}tab", f"{{{TEXT}}}line-break"}
_SKIP = {f"{{{TEXT}}}tracked-changes", f"{{{OFFICE}}}annotation", f"{{{TEXT}}}note", f"{{{OFFICE}}}annotation-end",
         "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame", f"{{{TEXT}}}bookmark",
         f"{{{TEXT}}}bookmark-start", f"{{{TEXT}}}bookmark-end", f"{{{TEXT}}}soft-page-break",
         f"{{{TEXT}}}change-start", f"{{{TEXT}}}change-end", f"{{{TEXT}}}change"}
# Fields: their text is computed by the application (page number, date, chapter...): not translated.
_SKIP |= {f"{{{TEXT}}}{f}" for f in ("page-number", "page-count", "date", "time", "file-name", "chapter",
                                     "sheet-name", "template-name", "word-count", "character-count",
                                     "paragraph-count", "author-name", "author-initials", "page-continuation")}
_WS = re.compile(r"\s+")


class Slot:
    """The text of an element (`tail=False`) or the tail after it, assignable by the writer."""

    def __init__(self, element, tail: bool):
        self.element, self.tail = element, tail

    def assign(self, text: str) -> None:
        if self.tail:
            self.element.tail = text or None
        else:
            self.element.text = text or None


def _pieces(p) -> list[Piece]:
    out: list[Piece] = []

    def slot(el, tail: bool, chain: tuple) -> None:
        raw = el.tail if tail else el.text
        if raw:
            out.append(Piece(_WS.sub(" ", raw), Slot(el, tail), "text", chain))

    def walk(el, chain: tuple) -> None:
        slot(el, False, chain)
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                pass
            elif tag in _SPACE:
                n = int(child.get(f"{{{TEXT}}}c", "1") or 1) if tag == f"{{{TEXT}}}s" else 1
                out.append(Piece(" " * n, None, "space"))
            elif tag in _SKIP or tag in _PARA:
                out.append(Piece("", None, "marker"))
            else:
                walk(child, chain + (child,))
            slot(child, True, chain)

    walk(p, ())
    return out


def _kind(el, anc: set) -> str:
    if el.tag == f"{{{TEXT}}}h":
        return "heading"
    if f"{{{TEXT}}}note" in anc:
        return "note"
    if TABLE_CELL in anc:
        return "table"
    if f"{{{TEXT}}}list-item" in anc:
        return "list"
    if "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}text-box" in anc:
        return "textbox"
    return "body"


STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_HEADER_TAGS = {f"{{{STYLE}}}{t}": ("header" if t.startswith("header") else "footer")
                for t in ("header", "header-left", "header-first", "footer", "footer-left", "footer-first")}


def _paragraph_blocks(container, part: str, kind_of) -> list[Block]:
    out = []
    for el in container.iter(*_PARA):
        anc = {a.tag for a in el.iterancestors()}
        if f"{{{TEXT}}}tracked-changes" in anc or f"{{{OFFICE}}}annotation" in anc:
            continue
        pieces = _pieces(el)
        if "".join(x.text for x in pieces).strip():
            out.append(Block(part, el, kind_of(el, anc), pieces))
    return out


def odt_blocks(root, styles=None) -> list[Block]:
    """The text paragraphs of content.xml's body, then those of the page headers and footers
    (styles.xml), in order."""
    body = root.find(f"{{{OFFICE}}}body/{{{OFFICE}}}text")
    if body is None:
        return []
    out = _paragraph_blocks(body, "content.xml", _kind)
    if styles is not None:
        for tag, kind in _HEADER_TAGS.items():
            for hf in styles.iter(tag):
                out += _paragraph_blocks(hf, "styles.xml", lambda el, anc, k=kind: k)
    return out


def read_odt(path: Path):
    """(list of (text, kind)), notes)."""
    pkg = Package(path, ".odt")
    try:
        if "content.xml" not in pkg:
            raise ReadError(path, "not an OpenDocument file (no content.xml in the archive)")
        root = pkg.xml("content.xml")
        if root.find(f"{{{OFFICE}}}body/{{{OFFICE}}}text") is None:
            raise ReadError(path, "not an OpenDocument text (no office:text body; a spreadsheet or slides?)")
        styles = pkg.xml("styles.xml") if "styles.xml" in pkg else None
        out = [(b.plain.strip(), b.kind) for b in odt_blocks(root, styles)]
        notes = []
        comments = sum(1 for _ in root.iter(f"{{{OFFICE}}}annotation"))
        if comments:
            notes.append(f"{comments} comment(s) not translated")
        return out, notes
    finally:
        pkg.close()
