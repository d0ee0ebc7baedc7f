"""Web pages in: the article's main text through trafilatura (boilerplate, navigation, comments
and cookie banners left out).

A fragment without <html>/<body> is read as a page's body; tags nested deeper than the parser
allows are left out with a note, their text kept (`html_depth`).

Reading keeps the headline (from the page's metadata when the body does not repeat it), headings,
paragraphs, lists (nested ones too), tables, quotes and code blocks, and inline links (href),
emphasis and inline code as spans with character offsets over each paragraph's text
(`metadata["html"]`); inline code is a zero-width span, never in the text. `html_write` builds the
article page (or Markdown) from that layout. A page where no article can be told apart is read
whole, and says so.
"""
from __future__ import annotations

import copy
import re

from .errors import Partial
from .html_extract import BLOCK_TAGS, CODE_CHARS, TOKENS, extract_article, layout_table, ngrams, prose_paragraphs

_HI = {"#b": "strong", "#i": "em", "#u": "u", "#t": "code", "#sub": "sub", "#sup": "sup"}
def _inline(el, spans: list, buf: list[str], pos: list[int]) -> None:
    """Append the text of `el` (without its tail) to buf, recording spans for hi/ref children."""
    def add(text: str | None) -> None:
        if text:
            text = re.sub(r"\s+", " ", text)
            if buf and buf[-1].endswith(" ") and text.startswith(" ") or not buf and text.startswith(" "):
                text = text.lstrip(" ")
            buf.append(text)
            pos[0] += len(text)

    add(el.text)
    for child in el:
        start = pos[0]
        if child.tag == "lb":
            add(" ")
        elif child.tag == "code" or (child.tag == "hi" and child.get("rend") == "#t"):
            # inline code is never sent to translation: a zero-width span that carries the code
            spans.append([start, start, "code", " ".join("".join(child.itertext()).split())])
        elif child.tag in ("hi", "ref", "del"):
            _inline(child, spans, buf, pos)
            if child.tag == "ref" and child.get("target"):
                spans.append([start, pos[0], "a", child.get("target")])
            elif child.tag == "hi" and child.get("rend") in _HI:
                spans.append([start, pos[0], _HI[child.get("rend")], ""])
        elif child.tag not in ("graphic", "list", "table"):  # nested lists/tables are blocks of their own
            _inline(child, spans, buf, pos)
        add(child.tail)


def _text_of(el) -> tuple[str, list]:
    spans: list = []
    buf: list[str] = []
    _inline(el, spans, buf, [0])
    text = "".join(buf)
    for sp in spans:  # code after a space: the space goes with it ("run `x` now": "run" + " `x`")
        p = sp[0]
        if sp[2] == "code" and p > 0 and text[p - 1] == " ":
            if p < len(text) and text[p] == " ":
                text = text[:p - 1] + text[p:]
                for other in spans:
                    other[0] -= other[0] >= p
                    other[1] -= other[1] >= p
            sp[0] = sp[1] = p - 1
            sp[3] = " " + sp[3]
    stripped = text.rstrip()
    return stripped, [[min(a, len(stripped)), min(b, len(stripped)), k, v] for a, b, k, v in spans
                      if a < len(stripped) or k == "code"]


def unterminated_comment(source: str) -> int | None:
    """Offset of an HTML comment that is never closed (everything after it is not part of the page)."""
    start = source.rfind("<!--")
    if start >= 0 and source.find("-->", start + 4) < 0:
        return start
    return None


def read_html(source: str):
    """(paragraphs, metadata, notes) of the article in an HTML page."""
    import trafilatura

    from ..document import Paragraph

    from .html_depth import LIMIT, flatten

    notes = []
    source, left_out = flatten(source)
    if left_out:
        notes.append(f"{left_out:,} tags nested more than {LIMIT} levels deep were left out (their text was read, "
                     "their formatting was not)")
    if not re.search(r"<(?:html|body)\b", source[:100_000], re.I):
        source = f"<html><body>{source}</body></html>"  # a fragment ("<p>…</p>"): read as a page's body
    cut = unterminated_comment(source)
    if cut is not None:
        line = source.count("\n", 0, cut) + 1
        notes.append(Partial(f"an HTML comment opened on line {line} is never closed: the {len(source) - cut:,} "
                             "characters after it are a comment (browsers do not show them either) and were not read"))
    doc, plain = extract_article(source)
    paragraphs: list = []
    blocks: list = []
    spans: dict[str, list] = {}

    grams = {tuple(g) for g in ngrams(plain.split(), 3)} if plain is not None else set()

    def link_dense(el) -> bool:
        total = len("".join(el.itertext()).strip())
        return total > 0 and sum(len("".join(r.itertext()).strip()) for r in el.iter("ref")) >= 0.5 * total

    def in_plain(el) -> bool:
        """Whether the block's words are in trafilatura's plain text: the whole block when it is
        short, most of its three-word sequences when it is longer (the trees differ a little)."""
        for sep in ("", " "):
            tokens = TOKENS.findall(sep.join(el.itertext()))
            if f' {" ".join(tokens)} ' in plain:
                return True
            if len(tokens) >= 6 and sum(tuple(g) in grams for g in ngrams(tokens, 3)) >= 0.5 * (len(tokens) - 2):
                return True
        return False

    def para(el, kind: str, markup: str = "") -> int | None:
        text, sp = _text_of(el)
        if not text.strip():
            return None
        if plain is not None and kind != "heading" and link_dense(el) and not in_plain(el):
            return None  # a block trafilatura keeps only for its links (see `extract_article`); headings stay
        p = Paragraph(len(paragraphs), text, kind=kind, markup=markup)
        paragraphs.append(p)
        if sp:
            spans[str(p.index)] = sp
        return p.index

    def list_block(el) -> dict | None:
        """{"type": "list", "ordered", "items": [{"p": paragraph or None, "lists": [nested]}]}"""
        items = []
        for item in el.findall("item"):
            i = para(item, "list", "- ")  # the item's own text first, then its sub-lists
            nested = [b for b in (list_block(sub) for sub in item.findall("list")) if b]
            if i is not None or nested:
                items.append({"p": i, "lists": nested})
        return {"type": "list", "ordered": el.get("rend") == "ol", "items": items} if items else None

    def text_para(text: str) -> None:
        paragraphs.append(Paragraph(len(paragraphs), text, kind="body"))
        blocks.append({"type": "p", "p": len(paragraphs) - 1})

    def mixed(container) -> None:
        """A container (div, layout cell): its own runs of text between the blocks in it, and the
        text after a block (a tail), are paragraphs; its blocks are read as blocks."""
        from lxml import etree

        run = etree.Element("p")
        run.text = container.text

        def flush() -> None:
            nonlocal run
            if len(run) or (run.text or "").strip():
                i = para(run, "body")
                if i is not None:
                    blocks.append({"type": "p", "p": i})
            run = etree.Element("p")

        inline_code = container.tag == "p"  # <code> in a paragraph is inline code, elsewhere a block
        for child in list(container):
            if (child.tag in BLOCK_TAGS and not (inline_code and child.tag == "code")) or child.tag == "cell":
                flush()
                walk([child])
                run.text = child.tail
            else:
                run.append(copy.deepcopy(child))  # a copy: the tree is walked again when the headline is added
        flush()

    def walk(container) -> None:
        for el in list(container):
            tag = el.tag
            if tag == "head":
                level = int((el.get("rend") or "h2")[1:] or 2) if (el.get("rend") or "").startswith("h") else 2
                i = para(el, "heading", "#" * level + " ")
                if i is not None:
                    blocks.append({"type": "h", "level": level, "p": i})
            elif tag == "list":
                block = list_block(el)
                if block:
                    blocks.append(block)
            elif tag in ("row", "cell") or tag == "table" and layout_table(el):
                for part in (el.findall("row") if tag == "table" else el.findall("cell") if tag == "row" else [el]):
                    if part.tag == "cell":
                        mixed(part)
                    else:
                        walk([part])
            elif tag == "table":
                rows = []
                for row in el.findall("row"):
                    cells = []
                    for cell in row.findall("cell"):
                        i = para(cell, "table")
                        cells.append({"p": i, "head": cell.get("role") == "head"})
                    if any(c["p"] is not None for c in cells):
                        rows.append(cells)
                if rows:
                    blocks.append({"type": "table", "rows": rows})
            elif tag == "code":
                code = "".join(el.itertext())
                prose = prose_paragraphs(code)
                if prose:
                    for text in prose:
                        text_para(text)
                elif code.strip():
                    blocks.append({"type": "code", "text": code})
            elif tag == "quote":
                i = para(el, "quote", "> ")
                if i is not None:
                    blocks.append({"type": "quote", "p": i})
            elif tag in ("div", "main", "body", "section"):
                mixed(el)
            elif any(child.tag in BLOCK_TAGS and child.tag != "code" for child in el):
                mixed(el)  # a paragraph with a table or list in it (broken markup): both are read
            else:
                i = para(el, "body")
                if i is not None:
                    blocks.append({"type": "p", "p": i})

    title = " ".join((doc.title or "").split()) if doc is not None else ""
    if doc is not None and doc.body is not None:
        mixed(doc.body)
        if title and len(title) <= 300 and len(CODE_CHARS.findall(title)) <= 1 and title.lower() not in [" ".join(p.text.split()).lower() for p in paragraphs[:3]]:
            # The headline from the page's metadata, which trafilatura keeps out of the body.
            paragraphs.clear(), blocks.clear(), spans.clear()
            paragraphs.append(Paragraph(0, title, kind="heading", markup="# "))
            blocks.append({"type": "h", "level": 1, "p": 0})
            mixed(doc.body)
    if not paragraphs and cut != 0:
        # No article found: the page's whole visible text rather than nothing, and say so.
        _, text, _ = trafilatura.baseline(source)
        for line in (text or "").splitlines():
            if line.strip():
                paragraphs.append(Paragraph(len(paragraphs), " ".join(line.split())))
                blocks.append({"type": "p", "p": len(paragraphs) - 1})
        if paragraphs:
            notes.append("no article could be told apart from the rest of the page: the whole page text was read")
    page_url = getattr(doc, "url", None) if doc is not None else None
    if page_url and re.match(r"https?://", page_url):
        # Relative links would break in a page saved elsewhere: resolve them against the page's address.
        from urllib.parse import urljoin

        for sp in spans.values():
            for s in sp:
                if s[2] == "a" and not re.match(r"[a-z][a-z0-9+.-]*:|#", s[3], re.I):
                    s[3] = urljoin(page_url, s[3])
    m = re.search(r"<html[^>]*\blang=[\"']?([A-Za-z-]+)", source[:5000], re.I)
    meta = {"html": {"title": title, "blocks": blocks, "spans": spans,
                     "source_lang": m.group(1) if m else None, "url": page_url,
                     "date": getattr(doc, "date", None) if doc is not None else None}}
    return paragraphs, meta, notes
