"""HTML nested deeper than the parser allows (issue 21.3). lxml (libxml2) stops building the tree
about 255 elements deep: past ~255 unclosed inline tags (`<b><b><b>…`) the rest of the article
was silently lost. `flatten(source)` leaves out the tags that would open deeper than `LIMIT`
levels — their text stays, only their markup goes — in one linear pass over the tags, so that
every word reaches the reader; the reader notes how many tags were left out.
"""
from __future__ import annotations

import re

LIMIT = 150  # below libxml2's 255 levels, with room for html/body/article/...
HARD = 240  # past LIMIT only the blocks that hold text (p, h1, li...) still open, up to HARD
_TEXT_BLOCKS = frozenset("p h1 h2 h3 h4 h5 h6 li ul ol blockquote pre table tbody thead tr td th dl dt dd".split())
_TOKEN = re.compile(r"<(!--)|<(/?)([A-Za-z][\w:-]*)\b[^<>]*>")  # [^<>]: a "<" without ">" costs one scan
_RAW_TEXT = frozenset({"script", "style", "textarea", "title"})  # their content is not markup
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SELF_CLOSING = frozenset("p li dt dd tr td th option".split())  # a new one closes the open one


def flatten(source: str) -> tuple[str, int]:
    """(source without the tags that open deeper than LIMIT, how many tags were left out)."""
    if source.count("<") < LIMIT:
        return source, 0
    stack: list[str] = []
    dropped: dict[str, int] = {}
    out: list[str] = []
    last, left_out = 0, 0
    lower = source.lower()
    pos = 0
    while True:
        m = _TOKEN.search(source, pos)
        if m is None:
            break
        pos = m.end()
        if m.group(1):  # a comment: kept as it is, skipped whole (str.find: linear)
            end = source.find("-->", pos)
            pos = len(source) if end < 0 else end + 3
            continue
        name = m.group(3).lower()
        if name in _RAW_TEXT and not m.group(2):
            end = lower.find(f"</{name}", pos)
            pos = len(source) if end < 0 else end
        keep = True
        if m.group(2):  # a closing tag
            if name in stack:
                while stack and stack.pop() != name:
                    pass
            elif dropped.get(name):
                dropped[name] -= 1
                keep = False
        elif name not in _VOID and not m.group().endswith("/>"):
            if name in _SELF_CLOSING and name in stack[-8:]:
                while stack and stack.pop() != name:
                    pass
            if name not in _RAW_TEXT and (len(stack) >= HARD or (len(stack) >= LIMIT and name not in _TEXT_BLOCKS)):
                dropped[name] = dropped.get(name, 0) + 1
                keep = False
            else:
                stack.append(name)
        if not keep:
            out.append(source[last:m.start()])
            last = m.end()
            left_out += 1
    if not left_out:
        return source, 0
    out.append(source[last:])
    return "".join(out), left_out
