"""Text that is not language: recognised in milliseconds before segmentation, reported, never
translated (issue 19). A paragraph is not language when most of it is

- one "word" of 100+ characters without a space that is no address (a 200,000-letter line);
- one repeated character class: 20+ characters made of at most three distinct characters
  ("==========", "аааааааааааааааааааа", "ab ab ab ab ...");
- base64: tokens of 40+ characters of A-Z a-z 0-9 + / = (with capitals, small letters and digits);
- hexadecimal: tokens of 32+ hex digits, or a dump of 16+ two-digit hex bytes.

`not_language(text)` gives the reason in words, or None. Every test is one pass over the text
(str.split and fullmatch on single tokens with patterns that cannot backtrack).
"""
from __future__ import annotations

import re

LONG_TOKEN = 100
_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S*|[^@\s]+@[^@\s]+", re.I)
_B64 = re.compile(r"[A-Za-z0-9+/_-]{40,}={0,2}")
_HEX = re.compile(r"(?:0x)?[0-9A-Fa-f]{32,}")
_HEX_BYTE = re.compile(r"(?:0x)?[0-9A-Fa-f]{2}[,:;]?")


def not_language(text: str) -> str | None:
    """Why `text` is not language (a short phrase for the report), or None when it may be."""
    tokens = text.split()
    if not tokens:
        return None
    total = sum(len(t) for t in tokens)
    longest = max(tokens, key=len)
    if total >= 20:
        chars = set("".join(tokens[:2000]))
        if len(chars) <= 3 and (len(tokens) <= 2000 or len(set("".join(tokens))) <= 3):
            return f"one repeated character class ({total:,} characters of {''.join(sorted(chars))!r})"
    if len(longest) >= LONG_TOKEN and len(longest) * 2 >= total and not _ADDRESS.fullmatch(longest):
        if _B64.fullmatch(longest) and _mixed(longest):
            return f"base64-like data ({len(longest):,} characters)"
        if _HEX.fullmatch(longest) and _hex_mixed(longest):
            return f"hexadecimal data ({len(longest):,} characters)"
        return f"a run of {len(longest):,} characters without a space"
    b64 = sum(len(t) for t in tokens if len(t) >= 40 and _B64.fullmatch(t) and _mixed(t))
    if b64 and b64 * 5 >= total * 4:
        return f"base64-like data ({b64:,} characters)"
    hexed = sum(len(t) for t in tokens if len(t) >= 32 and _HEX.fullmatch(t) and _hex_mixed(t))
    if not hexed and len(tokens) >= 16:
        hexed = sum(len(t) for t in tokens if len(t) <= 5 and _HEX_BYTE.fullmatch(t))
        hexed = hexed if hexed * 10 >= total * 9 and any(c.isdigit() for c in text) else 0
    if hexed and hexed * 5 >= total * 4:
        return f"hexadecimal data ({hexed:,} characters)"
    return None


def _mixed(token: str) -> bool:
    """Capitals, small letters and digits together: encoded bytes, not a long word or a name."""
    return any(c.isupper() for c in token) and any(c.islower() for c in token) and any(c.isdigit() for c in token)


def _hex_mixed(token: str) -> bool:
    return any(c.isdigit() for c in token) and any(c.isalpha() for c in token.removeprefix("0x"))


def mark_paragraphs(doc) -> int:
    """Mark (`paragraph.not_language` = reason) and flag each paragraph of `doc` that is not
    language, once per paragraph whichever stage sees it first. Returns how many there are."""
    found = 0
    for p in doc.paragraphs:
        if "not_language" not in vars(p):
            p.not_language = not_language(p.text)
            if p.not_language:
                doc.flag("not-language", f"paragraph {p.index} is not language ({p.not_language}): it is kept "
                         "as it is and not translated")
        found += bool(p.not_language)
    return found
