"""OpenDocument text (.odt): the paragraphs and headings of the body (tables, lists, frames, notes,
links and spans included; deleted tracked changes and comments not), read from content.xml with the
same bounded, entity-free parsing as .docx."""
from __future__ import annotations

from pathlib import Path

from .errors import ReadError
from .package import Package

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_SKIP = {f"{{{TEXT}}}tracked-changes", f"{{{OFFICE}}}annotation", f"{{{TEXT}}}note-citation",
         f"{{{TEXT}}}p", f"{{{TEXT}}}h", f"{{{TEXT}}}note", f"{{{OFFICE}}}annotation-end"}


def _text(el) -> str:
    out = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == f"{{{TEXT}}}s":
            out.append(" " * int(child.get(f"{{{TEXT}}}c", "1") or 1))
        elif tag in (f"{{{TEXT}}}tab", f"{{{TEXT}}}line-break"):
            out.append(" ")
        elif tag not in _SKIP and isinstance(tag, str):
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


def read_odt(path: Path):
    """(list of (text, kind)), notes)."""
    pkg = Package(path, ".odt")
    try:
        if "content.xml" not in pkg:
            raise ReadError(path, "not an OpenDocument file (no content.xml in the archive)")
        root = pkg.xml("content.xml")
        body = root.find(f"{{{OFFICE}}}body/{{{OFFICE}}}text")
        if body is None:
            raise ReadError(path, "not an OpenDocument text (no office:text body; a spreadsheet or slides?)")
        out = []
        for el in body.iter(f"{{{TEXT}}}p", f"{{{TEXT}}}h"):
            anc = {a.tag for a in el.iterancestors()}
            if f"{{{TEXT}}}tracked-changes" in anc or f"{{{OFFICE}}}annotation" in anc:
                continue
            text = " ".join(_text(el).split())
            if not text:
                continue
            kind = ("heading" if el.tag == f"{{{TEXT}}}h" else "note" if f"{{{TEXT}}}note" in anc
                    else "table" if "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}table-cell" in anc
                    else "list" if f"{{{TEXT}}}list-item" in anc else "body")
            out.append((text, kind))
        notes = []
        comments = sum(1 for _ in body.iter(f"{{{OFFICE}}}annotation"))
        if comments:
            notes.append(f"{comments} comment(s) not translated")
        if "styles.xml" in pkg:
            styles = pkg.xml("styles.xml")
            hf = [" ".join(_text(p).split()) for tag in ("header", "footer")
                  for h in styles.iter(f"{{urn:oasis:names:tc:opendocument:xmlns:style:1.0}}{tag}")
                  for p in h.iter(f"{{{TEXT}}}p")]
            if any(hf):
                notes.append("page headers/footers of the .odt were not read")
        return out, notes
    finally:
        pkg.close()
