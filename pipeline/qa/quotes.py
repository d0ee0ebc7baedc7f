"""Brackets and quotation marks, compared with the source.

A sentence of news is often a piece of a longer quotation: it opens a quote that closes two
sentences later, or closes one opened before. So a translation is judged against its source:
each side gets a signed balance (openings minus closings), and only a balance the source does not
have is flagged. Quotation marks of every style count as one family (English "…" and “…”,
Russian and Kazakh «…» with „…“ inside, German-style „…“), and a Russian or Kazakh translation
may close two levels with one » («Он сказал: «Приду»), so one missing closing after a nested
opening is accepted. Single quotes are left out: ' and ’ are also apostrophes.
"""
from __future__ import annotations

from dataclasses import dataclass

_OPEN, _CLOSE = "«„", "»”"
_BRACKETS = (("(", ")"), ("[", "]"), ("{", "}"))


@dataclass(frozen=True)
class Balance:
    net: int  # openings minus closings
    depth: int  # the deepest nesting reached
    marks: int  # quotation marks seen


def quote_balance(text: str, lang: str) -> Balance:
    net = depth = marks = 0
    german = 0  # „ opened and not yet closed by “
    n = len(text)
    for i, ch in enumerate(text):
        if ch not in '"«»„“”':
            continue
        marks += 1
        if ch == "„":
            german += 1
            net += 1
        elif ch == "“":
            if german and lang != "en":  # „…“: “ closes
                german -= 1
                net -= 1
            else:
                net += 1
        elif ch in _OPEN:
            net += 1
        elif ch in _CLOSE:
            net -= 1
        else:  # ": opening before a word, closing after one; else by the current level
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < n else " "
            if (before.isspace() or before in "([{—–-:/") and not after.isspace():
                net += 1
            elif not before.isspace() and (after.isspace() or not after.isalnum()):
                net -= 1
            else:
                net += -1 if net > 0 else 1
        depth = max(depth, net)
    return Balance(net, depth, marks)


def bracket_problem(source: str, translation: str) -> str | None:
    for o, c in _BRACKETS:
        s = source.count(o) - source.count(c)
        t = translation.count(o) - translation.count(c)
        if s != t:
            return f"{o} and {c} are not balanced in the translation as they are in the source"
    return None


def quote_problem(source: str, translation: str, src_lang: str, tgt_lang: str) -> tuple[str, str] | None:
    """(severity, message) when the translation's quotation marks do not balance as the source's."""
    s, t = quote_balance(source, src_lang), quote_balance(translation, tgt_lang)
    if s.net == t.net:
        return None
    if tgt_lang != "en" and t.net == s.net + 1 and t.depth >= 2:
        return None  # one » closing two levels
    if s.net != 0:
        # The source itself is a piece of a quotation that spans sentences: the translation may
        # open or close it elsewhere.
        return "info", "the quotation marks differ from the source's (a quotation that spans sentences?)"
    if s.marks == 0 and t.marks == 1:
        return "info", "a lone quotation mark in the translation, none in the source"
    return "warning", "quotation marks do not balance in the translation as they do in the source"
