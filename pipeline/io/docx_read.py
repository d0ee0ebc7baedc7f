"""Word (.docx) reading at the XML level: every text a reader sees, once, in reading order.

The main part is found through the package relationships (as Word does), not by name. Each `w:p`
of the body, tables (nested and merged cells alike: each `w:p` exists once in the XML), text boxes,
headers, footers, footnotes and endnotes becomes a paragraph. Its text is the concatenation of its
`w:t` elements, including those inside hyperlinks, content controls, smart tags, field results and
accepted insertions; deleted and moved-away text (`w:delText`, `w:del`, `w:moveFrom`) is not read,
nor the VML copy of a text box (`mc:Fallback`). Tabs and breaks read as a space. Comments are listed
in metadata (for the review sheet), not translated. `docx_write` walks the same structure.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Partial, ReadError
from .package import Package, relationships

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PARTS = ("body", "footnotes", "endnotes", "headers", "footers")
_REL_KIND = {"header": "headers", "footer": "footers", "footnotes": "footnotes", "endnotes": "endnotes"}
# Children of a paragraph that are not text and are never descended into.
_SKIP = {"pPr", "rPr", "del", "moveFrom", "instrText", "delText", "sdtPr", "sdtEndPr", "fldData",
         "txbxContent", "p", "customXmlPr", "smartTagPr", "tblPr", "trPr", "tcPr", "rubyPr", "rt"}
_SPACE = {"tab", "br", "cr", "ptab"}
# Zero-width things that text must not move across when it is rewritten.
_MARKERS = {"fldChar", "footnoteReference", "endnoteReference", "commentReference", "commentRangeStart",
            "commentRangeEnd", "bookmarkStart", "bookmarkEnd", "drawing", "pict", "object", "sym",
            "footnoteRef", "endnoteRef", "separator", "continuationSeparator", "annotationRef"}


def _local(tag) -> tuple[str, str]:
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


@dataclass
class Piece:
    text: str
    element: object = None  # the w:t element, for text pieces
    kind: str = "text"  # "text" | "space" (tab, break: one space in the text) | "marker" (zero width)
    key: tuple = ()  # formatting and containers: text is rewritten within runs of equal keys


@dataclass
class Block:
    part: str
    element: object  # the w:p
    kind: str
    pieces: list[Piece] = field(default_factory=list)

    @property
    def plain(self) -> str:
        return "".join(p.text for p in self.pieces)


# Run properties that do not change how Latin or Cyrillic text looks: runs that differ only in these
# are one group when text is rewritten (fewer boundaries to place).
_INVISIBLE = {"lang", "noProof", "bCs", "iCs", "szCs", "cs", "rtl", "eastAsianLayout", "specVanish", "kern"}


def _format_key(rpr, w: str) -> bytes:
    from copy import deepcopy

    from lxml import etree

    if rpr is None:
        return b""
    rpr = deepcopy(rpr)
    for el in list(rpr):
        if _local(el.tag)[1] in _INVISIBLE:
            rpr.remove(el)
    fonts = rpr.find(f"{{{w}}}rFonts")
    if fonts is not None:
        for attr in ("hint", "eastAsia", "eastAsiaTheme", "cs", "cstheme"):
            fonts.attrib.pop(f"{{{w}}}{attr}", None)
        if not fonts.attrib:
            rpr.remove(fonts)
    return etree.tostring(rpr) if len(rpr) else b""


def _pieces(p, w: str) -> list[Piece]:

    out: list[Piece] = []

    def walk(el, chain: tuple) -> None:
        for child in el:
            ns, name = _local(child.tag)
            if ns == MC_NS and name == "Fallback":
                continue
            if ns == w:
                if name in _SKIP:
                    continue
                if name == "t":
                    key = (_format_key(child.getparent().find(f"{{{w}}}rPr"), w), chain)
                    out.append(Piece(child.text or "", child, "text", key))
                    continue
                if name in _SPACE:
                    out.append(Piece(" ", None, "space"))
                    continue
                if name == "noBreakHyphen":
                    out.append(Piece("-", None, "space"))
                    continue
                if name in _MARKERS and name != "bookmarkEnd" and name != "bookmarkStart":
                    out.append(Piece("", None, "marker"))
                    if name in ("drawing", "pict", "object"):
                        continue
                if name in ("bookmarkStart", "bookmarkEnd"):
                    if not (child.get(f"{{{w}}}name") or "").startswith("_"):
                        out.append(Piece("", None, "marker"))
                    continue
                if name in ("hyperlink", "fldSimple", "sdt", "smartTag", "ins", "moveTo", "customXml", "dir", "bdo"):
                    walk(child, chain + (child,))
                    continue
            elif name == "txbxContent":
                continue
            walk(child, chain)

    walk(p, ())
    return out


def _styles(pkg: Package, rels) -> dict[str, tuple[str, bool]]:
    """style id -> (lower-cased name, is heading by outline level)."""
    out = {}
    for _, typ, target, _ in rels:
        if typ.endswith("/styles") and target in pkg:
            root = pkg.xml(target)
            w = _local(root.tag)[0]
            for st in root.iter(f"{{{w}}}style"):
                sid = st.get(f"{{{w}}}styleId", "")
                name_el = st.find(f"{{{w}}}name")
                name = (name_el.get(f"{{{w}}}val", "") if name_el is not None else sid).lower()
                outline = st.find(f"{{{w}}}pPr/{{{w}}}outlineLvl") is not None
                out[sid] = (name, outline)
    return out


def _kind(p, w: str, part_kind: str, styles) -> str:
    anc = {_local(a.tag)[1] for a in p.iterancestors()}
    if "txbxContent" in anc:
        return "textbox"
    if part_kind != "body":
        return {"headers": "header", "footers": "footer", "footnotes": "note", "endnotes": "note"}[part_kind]
    if "tbl" in anc:
        return "table"
    ppr = p.find(f"{{{w}}}pPr")
    if ppr is not None:
        sid_el = ppr.find(f"{{{w}}}pStyle")
        sid = sid_el.get(f"{{{w}}}val", "") if sid_el is not None else ""
        name, outline = styles.get(sid, (sid.lower(), False))
        if (name.startswith(("heading", "title", "заголовок", "название", "тақырып")) or outline
                or ppr.find(f"{{{w}}}outlineLvl") is not None):
            return "heading"
        if ppr.find(f"{{{w}}}numPr") is not None or "list" in name:
            return "list"
    return "body"


class DocxPackage:
    """The parts of a .docx that hold text, parsed; `blocks(parts)` lists its text paragraphs."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.pkg = Package(self.path, ".docx")
        self.damaged: list[str] = []
        rels = self._relationships("")
        main = next((t for _, typ, t, mode in rels if typ.endswith("/officeDocument") and mode != "External"), None)
        if main is None and "word/document.xml" in self.pkg:
            main = "word/document.xml"
        if main is None or main not in self.pkg:
            raise ReadError(path, "not a Word document (the package names no main document part)")
        self.main = main
        self.roots: dict[str, object] = {main: self.pkg.xml(main)}
        self.part_kind: dict[str, str] = {main: "body"}
        self.main_rels = self._relationships(main)
        self.comments_part = None
        for _, typ, target, mode in self.main_rels:
            kind = _REL_KIND.get(typ.rsplit("/", 1)[-1])
            if mode == "External":
                continue
            if kind and target in self.pkg and target not in self.roots:
                self.roots[target] = self.pkg.xml(target)
                self.part_kind[target] = kind
            elif typ.endswith("/comments") and target in self.pkg:
                self.comments_part = target
        self.styles = _styles(self.pkg, self.main_rels)
        root_ns = _local(self.roots[main].tag)[0]
        if root_ns not in (W_NS, W_STRICT):
            raise ReadError(path, f"not a WordprocessingML document (root element {self.roots[main].tag})")
        self.w = root_ns

    def _relationships(self, part: str):
        """A part's relationships; a damaged relationships file is noted, not fatal (Word repairs it)."""
        try:
            return relationships(self.pkg, part)
        except ReadError as e:
            self.damaged.append(Partial(f"relationships of {part or 'the package'} are damaged ({e.reason}): "
                                        "the headers, footers or notes it names could not be found"))
            return []

    def blocks(self, parts=PARTS) -> list[Block]:
        order = {k: i for i, k in enumerate(PARTS)}
        names = sorted(self.roots, key=lambda n: (order[self.part_kind[n]], n))
        out: list[Block] = []
        for name in names:
            kind = self.part_kind[name]
            if kind not in parts:
                continue
            for p in self.roots[name].iter(f"{{{self.w}}}p"):
                if any(_local(a.tag) == (MC_NS, "Fallback") for a in p.iterancestors()):
                    continue
                pieces = _pieces(p, self.w)
                if "".join(x.text for x in pieces).strip():
                    out.append(Block(name, p, _kind(p, self.w, kind, self.styles), pieces))
        return out

    def comments(self) -> list[dict]:
        """Each comment with its author, text and the document text it is anchored to."""
        if not self.comments_part:
            return []
        w = self.w
        anchors: dict[str, list[str]] = {}
        active: set[str] = set()
        for root in self.roots.values():
            for el in root.iter(f"{{{w}}}commentRangeStart", f"{{{w}}}commentRangeEnd", f"{{{w}}}t"):
                name = _local(el.tag)[1]
                if name == "t":
                    for cid in active:
                        anchors[cid].append(el.text or "")
                elif name == "commentRangeStart":
                    active.add(el.get(f"{{{w}}}id"))
                    anchors.setdefault(el.get(f"{{{w}}}id"), [])
                else:
                    active.discard(el.get(f"{{{w}}}id"))
        out = []
        for c in self.pkg.xml(self.comments_part).iter(f"{{{w}}}comment"):
            text = " ".join(" ".join("".join(t.text or "" for t in p.iter(f"{{{w}}}t")).split())
                            for p in c.iter(f"{{{w}}}p")).strip()
            cid = c.get(f"{{{w}}}id")
            out.append({"id": cid, "author": c.get(f"{{{w}}}author", ""), "text": text,
                        "anchor": " ".join("".join(anchors.get(cid, [])).split())[:200]})
        return out

    def skipped(self) -> list[str]:
        """What this reader does not translate, said plainly."""
        w = self.w
        notes = list(self.damaged)
        body = self.roots[self.main]
        n = sum(1 for _ in body.iter(f"{{{w}}}delText"))
        if n:
            notes.append(f"{n} piece(s) of deleted tracked-change text left out (only accepted text is translated)")
        math = sum(1 for _ in body.iter("{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath"))
        if math:
            notes.append(f"{math} equation(s) not translated")
        chunks = sum(1 for _ in body.iter(f"{{{w}}}altChunk"))
        if chunks:
            notes.append(Partial(f"{chunks} embedded HTML/RTF chunk(s) (altChunk) not read"))
        for prefix, what in (("word/embeddings/", "embedded object"), ("word/charts/chart", "chart"),
                             ("word/diagrams/data", "SmartArt diagram")):
            found = [n for n in self.pkg.names if n.startswith(prefix) and not n.endswith(".rels")]
            if found:
                notes.append(Partial(f"{len(found)} {what}(s) not read ({', '.join(found[:3])}"
                                     f"{' ...' if len(found) > 3 else ''})"))
        return notes


def read_docx(path: Path, parts=PARTS):
    """(paragraph texts with kinds, metadata, notes on what was not read)."""
    from ..document import Paragraph

    doc = DocxPackage(path)
    blocks = doc.blocks(parts)
    paragraphs = [Paragraph(i, b.plain.strip(), kind=b.kind) for i, b in enumerate(blocks)]
    meta = {"docx": {"main_part": doc.main, "comments": doc.comments(), "read_parts": list(parts),
                     "parts": sorted({b.part for b in blocks})}}
    return paragraphs, meta, doc.skipped()
