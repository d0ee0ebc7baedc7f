"""Markdown in and out, on markdown-it-py (CommonMark + GFM tables and strikethrough).

Block structure comes from markdown-it's tokens and line maps. Each inline run (a paragraph, a
heading, a table cell) is cut into atoms over the source: text (translated), syntax (emphasis and
link delimiters, link destinations, soft breaks, inline HTML: kept) and protected pieces (code
spans, autolinks, images, footnote references: never sent to translation, copied back after the
word they followed). The paragraph text sent to translation is the atoms' plain text; everything outside inline runs (front matter, code blocks, HTML blocks, list markers,
table rules, link reference definitions, blank lines) is copied byte for byte. Writing replaces each
inline run's source range with its translation, with the delimiters re-placed around the words they
belonged to (`inline.Aligner`); an identity translation gives the input back byte for byte.
An inline run this module cannot cut exactly is translated as raw Markdown and flagged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_FRONT = re.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.|\+\+\+)[ \t]*(?:\r?\n|\Z)", re.S)
_FOOTNOTE = re.compile(r"(\[\^[^\]\s]+\])")
_SOFT = re.compile(r"[ \t]*\r?\n[ \t>]*")
_HARD = re.compile(r"(?:\\|[ \t]*)\r?\n[ \t>]*")
_KIND = {"heading_open": "heading", "bullet_list_open": "list", "ordered_list_open": "list",
         "blockquote_open": "quote", "table_open": "table"}


class _Mismatch(Exception):
    pass


@dataclass
class Atom:
    kind: str  # "text" | "open" | "close" | "syntax" | "protected"
    plain: str
    src: str


@dataclass
class Region:
    start: int
    end: int
    kind: str
    markup: str
    atoms: list[Atom] = field(default_factory=list)
    raw: bool = False  # could not be cut into atoms: translated as raw Markdown
    in_table: bool = False

    @property
    def plain(self) -> str:
        return "".join(a.plain for a in self.atoms)


def _parser():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.core.ruler.disable("text_join")  # keep escapes and entities as their own tokens
    return md


def _link_tail(src: str, pos: int) -> int:
    """End of the part of a link after its text: `](dest "title")`, `][label]` or `]`."""
    if not src.startswith("]", pos):
        raise _Mismatch("link text end")
    i = pos + 1
    if src.startswith("(", i):
        depth, i, quote = 1, i + 1, None
        while i < len(src):
            ch = src[i]
            if ch == "\\":
                i += 2
                continue
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "<":
                j = src.find(">", i)
                i = j if j > 0 else i
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        raise _Mismatch("unterminated link destination")
    if src.startswith("[", i):
        j = src.find("]", i)
        if j < 0:
            raise _Mismatch("link label")
        return j + 1
    return i


def _atoms(src: str, pos: int, children, in_table: bool) -> tuple[list[Atom], int]:
    atoms: list[Atom] = []
    i, n = 0, len(children)

    def take(kind: str, plain: str, end: int) -> None:
        nonlocal pos
        atoms.append(Atom(kind, plain, src[pos:end]))
        pos = end

    while i < n:
        t = children[i]
        typ = t.type
        if typ == "text":
            form = t.content.replace("|", "\\|") if in_table else t.content
            if not src.startswith(form, pos):
                raise _Mismatch(f"text {t.content[:20]!r}")
            # footnote references and labels ([^1], an extension many renderers support): kept as they are
            for k, piece in enumerate(_FOOTNOTE.split(t.content)):
                if piece:
                    n_src = len(piece.replace("|", "\\|") if in_table else piece)
                    take("protected" if k % 2 else "text", "" if k % 2 else piece, pos + n_src)
        elif typ == "text_special":
            if not src.startswith(t.markup, pos):
                raise _Mismatch("escape")
            take("text", t.content, pos + len(t.markup))
        elif typ in ("softbreak", "hardbreak"):
            m = (_SOFT if typ == "softbreak" else _HARD).match(src, pos)
            if not m:
                raise _Mismatch(typ)
            take("syntax" if typ == "hardbreak" else "soft", " ", m.end())
        elif typ.endswith("_open") or typ.endswith("_close"):
            if typ == "link_open" and t.markup in ("autolink", "linkify"):
                j = i + 1
                while j < n and children[j].type != "link_close":
                    j += 1
                end = src.find(">", pos) + 1 if t.markup == "autolink" else pos + len(children[i + 1].content)
                if end <= pos:
                    raise _Mismatch("autolink")
                take("protected", "", end)
                i = j + 1
                continue
            if typ == "link_open":
                if not src.startswith("[", pos):
                    raise _Mismatch("link open")
                take("open", "", pos + 1)
            elif typ == "link_close":
                take("close", "", _link_tail(src, pos))
            else:
                if not src.startswith(t.markup, pos):
                    raise _Mismatch(typ)
                take("open" if typ.endswith("_open") else "close", "", pos + len(t.markup))
        elif typ == "code_inline":
            tick = t.markup
            j = pos + len(tick)
            while True:
                j = src.find(tick, j)
                if j < 0:
                    raise _Mismatch("code span")
                if src[j - 1] != "`" and not src.startswith("`", j + len(tick)):
                    break
                j += 1
            if not src.startswith(tick, pos):
                raise _Mismatch("code span start")
            take("protected", "", j + len(tick))
        elif typ == "image":
            if not src.startswith("![" + t.content, pos):
                raise _Mismatch("image")
            take("protected", "", _link_tail(src, pos + 2 + len(t.content)))
        elif typ == "html_inline":
            if not src.startswith(t.content, pos):
                raise _Mismatch("inline html")
            take("syntax", "", pos + len(t.content))
        else:
            raise _Mismatch(f"token {typ}")
        i += 1
    return _attach_spaces(atoms), pos


def _attach_spaces(atoms: list[Atom]) -> list[Atom]:
    """Protected atoms (code span, autolink, image) are never in the text sent to translation. When
    such a piece, or inline HTML, stands between spaces, the space before it moves into it ("with
    `120` people" -> text "with people", atom " `120`"): the text reads naturally and the piece goes
    back after the word it followed."""
    i = 0
    while i < len(atoms):
        if atoms[i].plain or atoms[i].kind == "soft":
            i += 1
            continue
        j = i
        while j < len(atoms) and not atoms[j].plain and atoms[j].kind != "soft":
            j += 1  # atoms[i:j]: a run of zero-width atoms
        prev = atoms[i - 1] if i else None
        nxt = atoms[j] if j < len(atoms) else None
        if (prev is not None and prev.kind == "text" and prev.plain.endswith(" ") and prev.src.endswith(" ")
                and (nxt is None or nxt.plain.startswith(" ")) and any(a.kind in ("protected", "syntax") for a in atoms[i:j])):
            prev.plain, prev.src = prev.plain[:-1], prev.src[:-1]
            atoms[i].src = " " + atoms[i].src
        i = j
    return atoms


def regions(text: str) -> list[Region]:
    """The inline runs of a Markdown text, in order, with their source ranges and atoms."""
    front = _FRONT.match(text)
    parse_src = text
    if front:
        parse_src = "\n" * front.group().count("\n") + text[front.end():]
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    tokens = _parser().parse(parse_src)
    out: list[Region] = []
    stack: list[str] = []
    heading = ""
    row_cursor = (-1, 0)
    for t in tokens:
        if t.type in _KIND:
            stack.append(_KIND[t.type])
            if t.type == "heading_open":
                heading = t.markup
            continue
        if t.type.endswith("_close") and t.type.replace("_close", "_open") in _KIND:
            stack.pop()
            continue
        if t.type != "inline" or not t.content.strip() or t.map is None:
            continue
        kind = stack[-1] if stack else "body"
        in_table = kind == "table"
        line = t.map[0]
        base = line_starts[line] if line < len(line_starts) else len(text)
        if in_table and row_cursor[0] == line:
            base = row_cursor[1]
        first = t.content.split("\n", 1)[0]
        start = text.find(first.replace("|", "\\|") if in_table else first, base)
        if start < 0:
            start = text.find(first, base)
        markup = {"heading": ("#" * len(heading) + " ") if heading.startswith("#") else "# ",
                  "list": "- ", "quote": "> "}.get(kind, "")
        region = Region(start, start, kind, markup, in_table=in_table)
        try:
            if start < 0:
                raise _Mismatch("inline run not found in the source")
            region.atoms, region.end = _atoms(text, start, t.children or [], in_table)
        except _Mismatch:
            end_line = t.map[1]
            end = line_starts[end_line] if end_line < len(line_starts) else len(text)
            start = max(start, base)
            raw = text[start:end].rstrip("\r\n") if not in_table else t.content
            region = Region(start, start + len(raw), kind, markup, [Atom("text", raw, raw)], raw=True,
                            in_table=in_table)
        if in_table:
            row_cursor = (line, region.end)
        out.append(region)
    return out


def read_markdown(text: str):
    """(paragraphs, metadata) for a Markdown text."""
    from ..document import Paragraph

    paragraphs, raw = [], []
    for r in regions(text):
        plain = r.plain
        if not plain.strip():
            continue
        p = Paragraph(len(paragraphs), plain, kind=r.kind, markup=r.markup)
        if r.raw:
            raw.append(p.index)
        paragraphs.append(p)
    return paragraphs, ({"markdown_raw": raw} if raw else {})
