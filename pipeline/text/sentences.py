"""Sentence segmentation for English, Russian and Kazakh press text.

Rule based, with abbreviation lists kept in the project: general-purpose splitters break on
"А.Б. Иванов" and "2015 ж." (pysbd) or inside «quoted. sentences» (razdel). Here a boundary is a
sentence-final mark followed by space and an upper-case letter, digit or opening quote, unless the
word before the mark is a known abbreviation or an initial, or the mark sits inside a quotation.
"""
from __future__ import annotations

import re
from collections.abc import Callable


# Lower-cased, without the final period. Multi-dot abbreviations are matched on their last part too
# ("т.е." ends in "е", "т.б." in "б"), so single letters that end them are listed.
ABBREVIATIONS = {
    # English
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "no", "nos", "inc",
    "ltd", "co", "corp", "gov", "dept", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "a.m", "p.m", "fig", "vol", "ed", "rev",
    # Russian
    "г", "гг", "т.е", "т.д", "т.п", "т.к", "т.н", "им", "ул", "д", "кв", "млн", "млрд", "тыс", "руб",
    "др", "пр", "см", "стр", "рис", "проф", "акад", "ст", "обл", "р-н", "п", "ок", "зам", "пред",
    "мин", "чел", "коп", "напр", "вкл", "гос", "тел", "каб", "корп", "просп", "пер", "е", "к",
    # Kazakh
    "ж", "жж", "т.б", "т.с.с", "б", "мыс", "мың", "көш", "қ", "ауд", "б.з.б", "ғ", "ғғ", "с", "т",
    "сағ", "шақ", "теңг",
}
_OPEN_QUOTES = "«“„"
_CLOSE_QUOTES = "»”“"
_CLOSERS = "»”\"')]’"
_END = re.compile(r"[.!?…]+")


def split_sentences(text: str) -> list[tuple[str, str]]:
    """Split a paragraph into (sentence, following whitespace) pairs. Joining them gives `text` back."""
    out: list[tuple[str, str]] = []
    start = 0
    depth = 0  # nesting of «» / “” quotes
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _OPEN_QUOTES and not (ch == "“" and depth > 0):
            depth += 1
        elif ch in _CLOSE_QUOTES and depth > 0:
            depth -= 1
        m = _END.match(text, i)
        if m:
            j = m.end()
            while j < n and text[j] in _CLOSERS:
                if text[j] in _CLOSE_QUOTES and depth > 0:
                    depth -= 1
                j += 1
            k = j
            while k < n and text[k].isspace():
                k += 1
            if k > j and k < n and depth == 0 and _is_boundary(text, i, m.group(), k):
                out.append((text[start:j], text[j:k]))
                start = k
            i = k if k > i else i + 1
            continue
        i += 1
    if start < n:
        tail = text[start:]
        stripped = tail.rstrip()
        out.append((stripped, tail[len(stripped):]))
    return [(s, sep) for s, sep in out if s]


def _is_boundary(text: str, mark_pos: int, mark: str, next_pos: int) -> bool:
    nxt = text[next_pos]
    if not (nxt.isupper() or nxt.isdigit() or nxt in "«“„\"'(—–-"):
        return False
    if mark != ".":
        return True
    word = re.search(r"([\w.\-]+)$", text[:mark_pos])
    if not word:
        return True
    w = word.group(1).lower()
    if w in ABBREVIATIONS or w.rsplit(".", 1)[-1] in ABBREVIATIONS and "." in w:
        return False
    # An initial: one upper-case letter ("А. Иванов", "А.Б. Иванов", "J. Smith").
    last = word.group(1).rsplit(".", 1)[-1]
    if len(last) == 1 and last.isupper():
        return False
    return True


_SPLIT_POINTS = (re.compile(r"[;:]\s+"), re.compile(r"[,—–]\s+"), re.compile(r"\s+"))


def split_to_fit(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Split `text` into pieces that each satisfy `fits` (a model's length limit), never dropping text.

    Prefers clause boundaries near the middle, then any space, and only as a last resort cuts a word.
    `"".join(pieces)` equals `text` up to the whitespace at the cut points.
    """
    text = text.strip()
    if not text or fits(text):
        return [text] if text else []
    mid = len(text) // 2
    for pattern in _SPLIT_POINTS:
        cuts = [m.end() for m in pattern.finditer(text) if 0 < m.end() < len(text)]
        if cuts:
            cut = min(cuts, key=lambda c: abs(c - mid))
            break
    else:
        cut = mid
    return split_to_fit(text[:cut], fits) + split_to_fit(text[cut:], fits)
