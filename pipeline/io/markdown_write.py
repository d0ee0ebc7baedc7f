"""Markdown out: the source text with each inline run (see `markdown.regions`) replaced by its
translation, delimiters (emphasis, links, inline HTML, hard breaks) re-placed around the words they
belonged to with `inline.Aligner`, protected atoms (code spans, autolinks, images) copied, and the
translated text escaped where Markdown would read it as markup. An identity translation gives the
source back byte for byte; everything outside inline runs is copied unchanged."""
from __future__ import annotations

import re

from .inline import Aligner, original
from .markdown import Region, regions

# What would turn translated text into markup: backticks, asterisks, "[", "<" before a tag or an
# autolink, "_" at a word edge, "\\" before punctuation. Intra-word "_" and a lone "]" are left alone.
_ESCAPE = re.compile(r"[`*\[]|<(?=[A-Za-z/!?])|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])|\\(?=[!-/:-@\[-`{-~])")


def _escape(text: str, in_table: bool) -> str:
    text = _ESCAPE.sub(lambda m: "\\" + m.group(), text.replace("\r", " ").replace("\n", " "))
    return text.replace("|", "\\|") if in_table else text


# A translation that starts like a block marker would turn the paragraph into a heading or list.
_BLOCK_START = re.compile(r"^(#{1,6}|[>+-]|\d{1,9}[.)])(?=[ \t]|$)")


def render_region(region: Region, paragraph, lang: str) -> tuple[str, bool]:
    """The region's Markdown in `lang` and whether every delimiter was placed exactly."""
    if region.raw:  # the paragraph's whitespace at both ends kept, as the segmenter drops it
        return Aligner(paragraph, lang).text, True
    pos, spans, stack = 0, [], []
    for a in region.atoms:
        if a.kind == "open":
            stack.append(pos)
        elif a.kind == "close" and stack:
            spans.append((stack.pop(), pos))
        pos += len(a.plain)
    al = Aligner(paragraph, lang, spans)
    if al.identity:
        return "".join(a.src for a in region.atoms), True
    # Place each non-text atom at its mapped offset; text between them comes from the translation.
    out, cursor, pos, exact = [], 0, 0, True
    for a in region.atoms:
        if a.kind == "text":
            pos += len(a.plain)
            continue
        y = al.map(pos)
        exact = exact and al.exact(pos)
        y = max(y, cursor)
        out.append(_escape(al.text[cursor:y], region.in_table))
        if not a.plain and a.src.startswith(" ") and al.text[y - 1:y] == " ":
            out[-1] = out[-1][:-1] if out[-1].endswith(" ") else out[-1]
            out.append(a.src)
            cursor = y
        elif a.kind == "protected":
            out.append(a.src)
            cursor = y
        elif a.kind == "soft" or (a.kind == "syntax" and a.plain == " "):
            out.append(" " if a.kind == "soft" else a.src)
            cursor = y + 1 if al.text[y:y + 1] == " " else y
        else:
            out.append(a.src)
            cursor = y
        pos += len(a.plain)
    out.append(_escape(al.text[cursor:], region.in_table))
    rendered = "".join(out)
    m = _BLOCK_START.match(rendered)
    if m:
        marker = m.group()
        rendered = (marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker) + rendered[len(marker):]
    return rendered, exact


def render_markdown(doc, lang: str) -> tuple[str, list[int]]:
    """The Markdown source with every inline run translated, and the paragraphs placed inexactly."""
    text = doc.text
    regs = [r for r in regions(text) if r.plain.strip()]
    if len(regs) != len(doc.paragraphs) or any(r.plain != original(p) for r, p in zip(regs, doc.paragraphs, strict=False)):
        raise ValueError(f"{doc.source_path or doc.id}: Markdown source and paragraphs differ")
    out, cursor, approx = [], 0, []
    for r, p in zip(regs, doc.paragraphs, strict=True):
        rendered, exact = render_region(r, p, lang)
        if not exact:
            approx.append(p.index)
        out += [text[cursor:r.start], rendered]
        cursor = r.end
    out.append(text[cursor:])
    return "".join(out), approx
