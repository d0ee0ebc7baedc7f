"""Sentence splitting for English, Russian and Kazakh press text, with headlines and datelines.

`split_units(text)` cuts a paragraph into `Unit(text, sep, kind)`: the pieces and the separators
between them rebuild the input exactly, so nothing is ever lost or altered. `kind` is "sentence",
"headline" (a short line without final punctuation) or "dateline" ("Astana, 20 September 2024 —").

A boundary is a final mark (. ! ? … or a spaced ". . .", with closing quotes, brackets and an
emoticon attached) followed by whitespace and a capital, digit or opening quote — or, after a word,
a capital with no space ("жағдайы.XVIII"). It is not a boundary when:
- a dash and a lower-case word follow (`?» – деді`, `! - деп`, `— сказал он`), or any lower-case word;
- the mark is inside a paired quotation (an opening quote that is never closed does not count);
- the period ends an abbreviation that stands before a name or number (`Mr.`, `г.`, `к.п.н.`, `No. 5`)
  or an initial (`А.Б.`, `Дж.`); abbreviations that can end a sentence (`т.д.`, `etc.`, `млн.`) do end
  it before a capital, and `U.S.`, `Co.` before a common sentence opener ("The", "Он", "Бұл");
- it belongs to a list marker at the start of the paragraph (`1.`, `8.1.`, `a.`, `IV.`, `§2.`, `• 9.`).
The abbreviation lists are data: `pipeline/data/abbreviations.toml`.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import NamedTuple

from .sentence_rules import (
    line_breaks as _breaks,
    short_question_run as _short_question_run,
    unit_word as _unit,
    dateline_prefix,
    inline_list_markers,
    is_dateline,
    line_kind,
    paired_quote_depth,
)

_DATA = Path(__file__).resolve().parents[1] / "data" / "abbreviations.toml"
_MARK = re.compile(r"\.(?:[ \u00a0]\.){2,}|[.!?…]+")
_CLOSERS = "»”\"')]’“"
_EMOTICON = re.compile(r"[ \u00a0]*(?::-?[)(DPр]|;-?\)|\){2,}|[\U0001F300-\U0001FAFF\u2600-\u27BF]+)(?=\s|$)")
_SPACE = re.compile(r"\s+")
_EMOTICON_END = re.compile(r"(?<=\s)(?::-?[)(DP]|;-?\)|\){2,}|[\U0001F300-\U0001FAFF\u2600-\u27BF]+)(?=(\s+))")
_LIST_MARKER = re.compile(
    r"[ \t]*(?:[•·▪◦‣*\-–—][ \t]*)?(?:§[ \t]*)?(?:\d{1,3}(?:\.\d{1,3})*|[^\W\d_]|[IVXLC]{1,6})[.)][ \t]+")
_DASH_WORD = re.compile(r"[—–\-][ \t\u00a0]+(\w)")
_TOKEN_BEFORE = re.compile(r"(\S+)$")
_WINDOW = 64  # no abbreviation or word that matters here is longer
_NONSPACE = re.compile(r"\S*")
_NEXT_WORD = re.compile(r"[^\s,;:]*")
_OPENERS_NEXT = re.compile(r"[«“„\"'(\[‘]")
_INITIAL_CHAIN = re.compile(r"^(?:[^\W\d_]{1,3}\.)*[^\W\d_]{1,3}$")
_YEAR_MARKS = frozenset({"г", "гг", "ж", "жж", "в", "вв", "ғ", "ғғ"})  # year (г., ж.), century (в., ғ.)
_GLUED = re.compile(r"(?<=[^\W\d_]{2}[.!?])(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][^\W\d_])")
_ITEM_AFTER_SEMICOLON = re.compile(r";[ \t\u00a0]+(?=(?:\d{1,2}|[a-zа-яәіңғүұқөһ])\)[ \t\u00a0])")
_ENUM_BEFORE = re.compile(r"[^\W\d_](?:[ \t]*,[ \t]*|[ \t]+(?:and|or|и|или|және|мен|немесе|не)[ \t]+)$")
_SPACED_PART = re.compile(r"(?:^|\s)((?:[^\W\d_]{1,2}\.\s?){1,3})$")


class Unit(NamedTuple):
    text: str
    sep: str  # whitespace that followed it ("" when none)
    kind: str  # "sentence" | "headline" | "dateline"


@cache
def _abbr() -> dict[str, frozenset[str]]:
    data = tomllib.loads(_DATA.read_text(encoding="utf-8"))
    return {k: frozenset(v) for k, v in data.items()}


def split_sentences(text: str) -> list[tuple[str, str]]:
    """Split a paragraph into (sentence, following whitespace) pairs. Joining them gives `text` back."""
    return [(u.text, u.sep) for u in split_units(text)]


def split_units(text: str) -> list[Unit]:
    """Split a paragraph into sentences, headlines and datelines (see the module docstring)."""
    if not text.strip():
        return []  # nothing to say: whitespace only
    cuts: list[tuple[int, int, str]] = []  # (end of unit, start of next, kind of the unit)
    depth = paired_quote_depth(text)
    lead = _LIST_MARKER.match(text)
    pos = lead.end() if lead else 0
    dl = dateline_prefix(text)
    if dl:
        k = _SPACE.match(text, dl).end() if _SPACE.match(text, dl) else dl
        cuts.append((dl, k, "dateline"))
        pos = k
    skip = pos
    for m in _MARK.finditer(text, pos):
        if m.start() < skip:
            continue
        cut = _boundary(text, m.start(), m.end(), depth)
        if cut:
            cuts.append((cut[0], cut[1], "sentence"))
            marker = _LIST_MARKER.match(text, cut[1])
            if marker and cut[1] > cut[0]:
                skip = marker.end()  # "... реформа. б. Прозрачность": the marker's period is no end
    for m in _EMOTICON_END.finditer(text, pos):
        k = m.end() + len(m.group(1))
        if depth[m.end()] == 0 and k < len(text) and text[k].isupper():
            cuts.append((m.end(), k, "sentence"))
    cuts += _line_breaks(text, pos)
    for m in _ITEM_AFTER_SEMICOLON.finditer(text, pos):  # "...; 3) ..." starts a new unit
        cuts.append((m.start() + 1, m.end(), "sentence"))
    inline = inline_list_markers(text)
    if inline:
        skip_spans = [(a, b) for a, b in inline]
        cuts = [c for c in cuts if not any(a <= c[0] <= b for a, b in skip_spans)]
        for a, _ in inline[1:]:
            ws = len(text[:a]) - len(text[:a].rstrip())
            cuts.append((a - ws, a, "sentence"))
    units: list[Unit] = []
    start = 0
    for end, nxt, kind in sorted(set(cuts)):
        if end <= start or nxt > len(text):
            continue
        units.append(Unit(text[start:end], text[end:nxt], kind))
        start = nxt
    tail = text[start:]
    stripped = tail.rstrip()
    units.append(Unit(stripped, tail[len(stripped):], "sentence"))
    units = [u for u in units if u.text]
    if len(units) == 1:
        return [units[0]._replace(kind=line_kind(units[0].text))]
    return [u._replace(kind="dateline") if u.kind == "headline" and is_dateline(u.text) else u for u in units]


def _line_breaks(text: str, pos: int) -> list[tuple[int, int, str]]:
    """A line without final punctuation, followed by a line break and a capital, is a headline;
    in a paragraph of three or more short lines without final punctuation, every line is a unit."""
    out = []
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    listing = len(lines) >= 3 and all(len(ln.split()) <= 4 and ln[-1] not in ".!?…" for ln in lines)
    for start, end in _breaks(text):
        if start <= pos or end >= len(text):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line = text[line_start:start].strip()
        nxt = text[end]
        if listing or line and line[-1] not in ".!?…:;," and len(line) <= 200 and (
                nxt.isupper() or nxt.isdigit() or nxt in "«“\"("):
            out.append((start, end, "headline"))
    return out


def _boundary(text: str, i: int, j: int, depth: list[int]) -> tuple[int, int] | None:
    """(end of sentence, start of next) if the final mark text[i:j] ends a sentence, else None."""
    n = len(text)
    mark = text[i:j]
    while j < n and text[j] in _CLOSERS:
        j += 1
    emo = _EMOTICON.match(text, j)
    if emo:
        j = emo.end()
    if j >= n or depth[j] > 0:
        return None
    sp = _SPACE.match(text, j)
    k = sp.end() if sp else j
    if k >= n:
        return None
    nxt = text[k]
    if k == j:  # no space: "жағдайы.XVIII", "Алматы.Участники"
        return (j, j) if _glued_boundary(text, i, j) else None
    dash = _DASH_WORD.match(text, k)
    if dash and dash.group(1).islower():
        return None
    if nxt.islower() and "?" in mark and _short_question_run(text, i, k):
        return j, k
    if nxt.islower():
        marker = _LIST_MARKER.match(text, k)
        if not (marker and marker.end() < n and text[marker.end()].isupper()):
            return None
        return (j, k) if mark != "." or _period_ends(text, i, k) else None
    if not (nxt.isupper() or nxt.isdigit() or _OPENERS_NEXT.match(nxt) or nxt in "•—–-§" or not nxt.isalnum()):
        return None
    if mark == "." and not _period_ends(text, i, k):
        return None
    if mark.count(" ") == 2 and i > 0 and text[i - 1] == " ":
        return None  # "is . . . I didn't": a detached spaced ellipsis marks an omission, not an end
    return j, k


def _glued_boundary(text: str, i: int, j: int) -> bool:
    if text[i:j] not in ".!?" or j >= len(text) or not text[j].isupper():
        return False
    before = _TOKEN_BEFORE.search(text[max(0, i - _WINDOW):i])
    word = (before.group(1) if before else "").lstrip("([«“\"'")
    after = _NONSPACE.match(text, j, j + _WINDOW).group()
    number = bool(re.fullmatch(r"\d[\d,]*", word)) and len(after) > 2 and after[1:3].isalpha() and after[1:3].islower()
    if not (number or (len(word) >= 3 and word.isalpha() and word[1:].islower())):
        return False
    address = any(c in after for c in "/@:\\") or re.search(r"\.\w", after)  # a URL, a domain
    acronym = len(after) > 1 and after.isupper() and not _roman(after)
    return not (address or acronym)


def _roman(word: str) -> bool:
    return bool(re.fullmatch(r"[IVXLC]+", word.rstrip(",;:")))


def _period_ends(text: str, i: int, k: int) -> bool:
    """Does the period at text[i] end a sentence, given the next word starts at text[k]?"""
    abbr = _abbr()
    w0 = max(0, i - _WINDOW)  # look back a bounded window: linear time on text without spaces
    tok_m = _TOKEN_BEFORE.search(text[w0:i])
    if not tok_m:
        return True
    tok = _GLUED.split(tok_m.group(1))[-1].lstrip("([«“„\"'")  # "Tuesday.Mr" -> "Mr"
    spaced = _SPACED_PART.search(text[w0:i + 1])
    key = tok.lower()
    if spaced:  # "т. п." / "и т. д." / "А. Б." written with spaces
        key = re.sub(r"\s", "", spaced.group(1)).rstrip(".").lower()
    key = key.rstrip(".")
    next_word = _NEXT_WORD.match(text, k, k + _WINDOW).group().strip("«“„\"'(").lower()
    if key.isdigit() or not any(c.isalpha() for c in key):
        return True  # "in 2015." — list markers at the start are skipped before
    last = key.rsplit(".", 1)[-1]
    opener_next = k < len(text) and text[k] in "(«“„"
    if opener_next and (key in abbr["postfix"] or key in _YEAR_MARKS or last in abbr["postfix"]):
        return False  # "проц. (2023)", "т.б. (…)", "2020 г. «Самрук»": the sentence goes on
    if key in abbr["number_words"] and _unit(next_word, abbr["units"]):
        return False  # "3,5 млрд. теңге", "2 млн. АҚШ доллары"
    if key in abbr["postfix"] or last in abbr["postfix"] and "." in key:
        return True
    if key in abbr["proper"]:
        return next_word in abbr["openers"] or (key in abbr["clock"] and next_word.rstrip(".") in abbr["titles"])
    if key in abbr["numeric"]:
        return not (any(c.isdigit() for c in next_word) or next_word.startswith("№"))
    tok_start = w0 + tok_m.start()
    if key in _YEAR_MARKS and re.search(r"(?:\d{4}|\b[IVXLCХ]{1,6})\s*$", text[max(0, tok_start - 12):tok_start]):
        # "в 2020 г." / "2015 ж.": the end of a sentence unless the year opens it ("В 2023 г. В Алматы...")
        opened = re.split(r"[.!?…]\s", text[max(0, tok_start - 80):tok_start])[-1]
        words = len(opened.split())
        return words >= 4 or (words >= 3 and next_word in abbr["openers"])
    if key in abbr["prefix"] or key in abbr["initials"] and not tok[:1].islower():
        return False
    if "." in key and _INITIAL_CHAIN.match(key) and next_word in abbr["openers"]:
        return True  # "the i.v. It was", "Иванов А.Б. Он сказал"
    raw_last = tok.rstrip(".").rsplit(".", 1)[-1]
    if raw_last == "I" and tok == "I" and re.search(r"(?:^|\s)[a-z]+\s+I$", text[max(0, i - 30):i]):
        return True  # "you and I. Did ..." (the pronoun, not an initial)
    if tok == raw_last and len(tok) == 1 and tok.isupper() and _ENUM_BEFORE.search(text[max(0, i - 30):i - 1]):
        return True  # "categories A, B and C." ends with the enumeration
    if len(raw_last) == 1 and raw_last.isalpha() and raw_last.lower() != "я":
        return False  # an initial ("А.Б.", "J.") or a one-letter abbreviation ("с.", "п.")
    # "к.п.н" style chains not in the lists do not end a sentence; any other word does
    return not ("." in key and _INITIAL_CHAIN.match(key) and all(len(p) <= 2 for p in key.split(".")))


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
