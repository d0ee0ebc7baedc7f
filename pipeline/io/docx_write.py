"""Word (.docx) writing that replaces only text: the source package with the `w:t` text of each
paragraph replaced by its translation, and every other byte of every other element kept (fields,
note and comment marks, bookmarks, images, breaks, tabs, hyperlinks, styles, numbering).

Within a paragraph, consecutive `w:t` elements with the same formatting and containers (the same
hyperlink, field, content control) form a group; each group receives the part of the translation
that `inline.Aligner` maps its source text to, and tabs, breaks and marks stay between the groups.
Where a group boundary could not be placed exactly (see `inline`), the paragraph text is still
complete and correct, and the paragraph is reported so the review sheet can say so."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from .docx_read import MC_NS, PARTS, Block, DocxPackage, _pieces
from .inline import Aligner, original

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _groups(block: Block) -> list[tuple[int, int, list]]:
    """(start, end, [w:t elements]) over block.plain; separated by space and marker pieces."""
    out, pos, cur = [], 0, None
    for piece in block.pieces:
        n = len(piece.text)
        if piece.kind == "text":
            if cur is not None and cur[3] == piece.key and cur[1] == pos:
                cur[1] += n
                cur[2].append(piece.element)
            else:
                cur = [pos, pos + n, [piece.element], piece.key]
                out.append(cur)
        else:
            cur = None
        pos += n
    return [(a, b, els) for a, b, els, _ in out]


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _set(el, text: str) -> None:
    text = _NOT_XML.sub("", text)  # a model's stray control character must not make the file unwritable
    if hasattr(el, "assign"):  # an .odt text slot
        el.assign(text)
        return
    el.text = text
    if text != text.strip():
        el.set(_XML_SPACE, "preserve")


def rewrite_block(block: Block, paragraph, lang: str) -> bool:
    """Put the translation of `paragraph` into `block`'s `w:t` elements; True when every group
    boundary was placed exactly."""
    plain = block.plain
    lead = len(plain) - len(plain.lstrip())
    trail = len(plain) - len(plain.rstrip())
    core_end = len(plain) - trail
    groups = _groups(block)
    anchors = [(max(a, lead) - lead, min(b, core_end) - lead) for a, b, _ in groups if b > lead and a < core_end]
    al = Aligner(paragraph, lang, anchors)
    new = plain[:lead] + al.text + plain[core_end:]
    exact = True

    def to_new(x: int) -> int:
        nonlocal exact
        if x <= lead:
            return x
        if x >= core_end:
            return len(new) - (len(plain) - x)
        exact = exact and al.exact(x - lead)
        return lead + al.map(x - lead)

    starts: list = [None] * len(groups)
    ends: list = [None] * len(groups)
    starts[0], ends[-1] = to_new(groups[0][0]), to_new(groups[-1][1])
    for i in range(1, len(groups)):
        prev_end, start = groups[i - 1][1], groups[i][0]
        ys, ye = to_new(prev_end), to_new(start)
        if prev_end == start:  # adjacent groups of different formatting
            ends[i - 1] = starts[i] = ys
        elif ye >= ys and not new[ys:ye].strip():  # the gap (a tab, a break) maps onto whitespace
            ends[i - 1], starts[i] = ys, ye
        else:  # keep every character: cut at the gap's start, drop only whitespace at the cut
            ends[i - 1] = starts[i] = ys
    # Monotone, and no text outside the groups.
    for i in range(len(groups)):
        if i and starts[i] < ends[i - 1]:
            starts[i] = ends[i - 1]
        if ends[i] < starts[i]:
            ends[i] = starts[i]
    identity = al.identity
    for i, (a, b, elements) in enumerate(groups):
        text = new[starts[i]:ends[i]]
        if not identity:
            src = plain[a:b]
            if i and groups[i - 1][1] != a and not src[:1].isspace():
                text = text.lstrip()
            if i < len(groups) - 1 and groups[i + 1][0] != b and not src[-1:].isspace():
                text = text.rstrip()
        _set(elements[0], text)
        for el in elements[1:]:
            _set(el, "")
    return exact


LANGUAGE_TAGS = {"en": "en-US", "ru": "ru-RU", "kk": "kk-KZ"}


def _retag_language(src: DocxPackage, changed: set[str], lang: str) -> dict[str, bytes]:
    """Word's proofing language follows the translation: every `w:lang w:val` in the rewritten parts
    and in styles.xml (document default, styles) says the target language (East Asian and complex-script
    languages untouched). Returns the re-serialized parts that are not text parts (styles.xml)."""
    from lxml import etree

    tag = LANGUAGE_TAGS.get(lang)
    if tag is None or not changed:
        return {}
    val = f"{{{src.w}}}val"
    for name in changed:
        for el in src.roots[name].iter(f"{{{src.w}}}lang"):
            if el.get(val):
                el.set(val, tag)
    out = {}
    for _, typ, target, mode in src.main_rels:
        if typ.endswith("/styles") and mode != "External" and target in src.pkg:
            root = src.pkg.xml(target)
            defaults = list(root.iter(f"{{{src.w}}}lang"))  # the document default and every style
            for el in defaults:
                if el.get(val):
                    el.set(val, tag)
            if defaults:
                out[target] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


def render_docx(doc, lang: str, parts=None) -> tuple[bytes, list[int]]:
    """The translated package as bytes, and the indexes of paragraphs whose formatting was placed
    approximately. Raises ValueError if the source file no longer matches the document."""
    from lxml import etree

    path = doc.metadata.get("docx_path")
    if doc.format == "doc" and not (path and Path(path).is_file()):  # a .doc: LibreOffice's copy
        from .legacy import convert_doc

        path = convert_doc(Path(doc.source_path))
    src = DocxPackage(path or doc.source_path)
    parts = parts or (doc.metadata.get("docx") or {}).get("read_parts") or PARTS  # as it was read
    blocks = src.blocks(tuple(parts))
    if len(blocks) != len(doc.paragraphs) or any(
            b.plain.strip() != original(p) for b, p in zip(blocks, doc.paragraphs, strict=False)):
        raise ValueError(f"{doc.source_path}: the file changed since it was read (paragraphs differ)")
    approx = []
    changed = {b.part for b, p in zip(blocks, doc.paragraphs, strict=True) if p.translation(lang) != original(p)}
    by_text: dict[str, object] = {}
    for block, para in zip(blocks, doc.paragraphs, strict=True):
        if not rewrite_block(block, para, lang):
            approx.append(para.index)
        by_text.setdefault(block.plain.strip(), para)
    # The VML copy of each text box (mc:Fallback) gets the same translation as the copy Word shows.
    for name, root in src.roots.items():
        for fb in root.iter(f"{{{MC_NS}}}Fallback"):
            for p in fb.iter(f"{{{src.w}}}p"):
                block = Block(name, p, "textbox", _pieces(p, src.w))
                para = by_text.get(block.plain.strip())
                if para is not None:
                    rewrite_block(block, para, lang)
    extra = _retag_language(src, changed, lang)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.pkg.zip.infolist():
            if info.filename in extra:
                data = extra[info.filename]
            elif info.filename in src.roots and info.filename in changed:
                for ent in list(src.roots[info.filename].iter(etree.Entity)):  # DTD entities: dropped
                    parent = ent.getparent()
                    if parent is not None:
                        tail, prev = ent.tail or "", ent.getprevious()
                        parent.remove(ent)
                        if prev is not None:
                            prev.tail = (prev.tail or "") + tail
                        else:
                            parent.text = (parent.text or "") + tail
                data = etree.tostring(src.roots[info.filename], xml_declaration=True,
                                      encoding="UTF-8", standalone=True)
            else:
                data = src.pkg.read(info.filename)
            z.writestr(info, data, compress_type=info.compress_type)
    src.pkg.close()
    return out.getvalue(), approx





def new_docx(doc, lang: str) -> bytes:
    """A new .docx with the translated paragraphs (for inputs that are not Word files: .pdf, .odt):
    headings as headings, list items as list paragraphs, everything else as body text."""
    import docx

    out = docx.Document()
    for p in doc.paragraphs:
        text = p.translation(lang)
        if p.kind == "heading":
            out.add_heading(text, level=1 if p.index == 0 else 2)
        elif p.kind == "list":
            out.add_paragraph(text, style="List Bullet")
        else:
            out.add_paragraph(text)
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()
__all__ = ["render_docx", "rewrite_block", "new_docx"]
