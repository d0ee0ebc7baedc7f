"""Helpers of the sentence splitter (`pipeline.text.sentences`): paired quotations, datelines,
headlines. Pure functions over one paragraph of text."""
from __future__ import annotations

import re

_MONTHS = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|январ[ьяе]|феврал[ьяе]|марта?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|августа?|сентябр[ьяе]"
    r"|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе]"
    r"|қаңтар\w*|ақпан\w*|наурыз\w*|сәуір\w*|мамыр\w*|маусым\w*|шілде\w*|тамыз\w*|қыркүйек\w*"
    r"|қазан\w*|қараша\w*|желтоқсан\w*)\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b(?:19|20)\d\d\b")
_DATE_WORDS = {"г", "г.", "года", "год", "жылғы", "жыл", "ж", "ж.", "year"}
_FINAL = re.compile(r"[.!?…:;][»”\"')\]’]*$")
_DASH = re.compile(r"\s[—–\-]\s+(?=[^\W\d_]|[«“\"])")


def paired_quote_depth(text: str) -> list[int]:
    """depth[j] = how many *paired* quotations are open just before position j (len(text)+1 values).

    An opening quote that is never closed in the paragraph is ignored, so it cannot switch
    splitting off for the rest of the paragraph."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []

    def close(openers: str, i: int) -> bool:
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] in openers:
                pairs.append((stack[k][1], i))
                del stack[k:]
                return True
        return False

    for i, ch in enumerate(text):
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if ch in "«„":
            stack.append((ch, i))
        elif ch == "»":
            close("«", i)
        elif ch == "“":
            if not close("„", i) and (prev.isspace() or prev in "([«—–-" or not close("“", i)):
                stack.append((ch, i))
        elif ch == "”":
            close("“„", i)
        elif ch == '"':
            opener = (prev.isspace() or prev in "([«—–-/") and not nxt.isspace()
            if opener or not close('"', i):
                stack.append((ch, i))
    diff = [0] * (len(text) + 2)
    for o, c in pairs:
        diff[o + 1] += 1
        diff[c + 1] -= 1
    depth, run = [], 0
    for j in range(len(text) + 1):
        run += diff[j]
        depth.append(run)
    return depth


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_][\w'’\-]*\.?", text)


def is_dateline(text: str) -> bool:
    """"17 - 18 May 2016, Almaty, Kazakhstan", "Астана, 2024 жылғы 20 қыркүйек", "March 18, 2022"."""
    text = text.strip().rstrip("—–-").strip()
    if not text or len(text) > 80 or _FINAL.search(text) and not text.endswith(("г.", "ж.")):
        return False
    if not (_MONTHS.search(text) or _NUMERIC_DATE.search(text)):
        return False
    words = _words(text)
    return len(words) <= 8 and all(w[0].isupper() or _MONTHS.fullmatch(w.rstrip(".")) or w.lower() in _DATE_WORDS
                                   for w in words)


def dateline_prefix(text: str) -> int | None:
    """End of a dateline that opens a paragraph and is joined to the lead by a dash
    ("Шымкент, 14 марта 2024 г. — ...", "ASTANA. KAZINFORM – ..."), including the dash; else None."""
    m = _DASH.search(text, 0, 90)
    if not m:
        return None
    prefix = text[:m.start()]
    words = _words(prefix)
    if not words or len(words) > 8:
        return None
    capitalised = all(w[0].isupper() or _MONTHS.fullmatch(w.rstrip(".")) or w.lower() in _DATE_WORDS for w in words)
    dated = bool(_MONTHS.search(prefix) or _NUMERIC_DATE.search(prefix))
    agency = any(len(w) >= 4 and w.rstrip(".").isupper() for w in words)
    if capitalised and (dated or agency):
        return m.end() - len(m.group()) + len(m.group().rstrip())
    return None


def line_kind(text: str) -> str:
    """The kind of a paragraph that is one unit: a dateline, a headline (short, no final
    punctuation) or a sentence."""
    t = text.strip()
    if is_dateline(t):
        return "dateline"
    if t and not _FINAL.search(t) and len(t) <= 250 and len(t.split()) <= 30:
        return "headline"
    return "sentence"


_INLINE_MARKER = re.compile(r"(?:^|(?<=\s))(?:[•⁃◦‣▪][ \t]?)?(\d{1,2}|[a-zа-я])(?:\.\)|[.)])(?=[ \t]+\S)")


def inline_list_markers(text: str) -> list[tuple[int, int]]:
    """Spans of list markers when the paragraph is an inline list ("1. The first item 2. The second
    item", "a. ... b. ...", "• 9. ... • 10. ..."): markers counting up from the first one, which opens
    the paragraph. Empty when the paragraph is not such a list."""
    found = [(m.start(), m.end(), m.group(1)) for m in _INLINE_MARKER.finditer(text)]
    if len(found) < 2 or found[0][0] != len(text) - len(text.lstrip()):
        return []
    chain = [found[0]]
    for f in found[1:]:
        prev = chain[-1][2]
        if (prev.isdigit() and f[2].isdigit() and int(f[2]) == int(prev) + 1) or (
                not prev.isdigit() and not f[2].isdigit() and ord(f[2]) == ord(prev) + 1):
            chain.append(f)
    return [(a, b) for a, b, _ in chain] if len(chain) >= 2 else []


_SHORT_Q = re.compile(r"[^.!?…]{1,60}?\?+")


def short_question_run(text: str, i: int, k: int) -> bool:
    """"Кто? где? когда? Ответов нет.": short questions in a run that ends the sentence (a capital
    or the end after the last one) are units each; "кім? не? деген сұрақтар" is one sentence."""
    if not 0 < len(re.split(r"[.!?…]", text[max(0, i - 60):i])[-1].split()) <= 5:
        return False
    for _ in range(8):
        m = _SHORT_Q.match(text, k)
        if not m or len(m.group().split()) > 5:
            return False
        k = m.end()
        while k < len(text) and (text[k] in "»”\"')]’“" or text[k].isspace()):
            k += 1
        if k >= len(text) or not text[k].islower():
            return k >= len(text) or text[k].isupper()
    return False


def line_breaks(text: str):
    """(start, end) of each line break with the spaces around it — what the pattern
    `[ \\t]*\\n\\s*` finds, in linear time (the pattern retries a long run of spaces at each of its
    positions: 100,000 spaces took 40 s)."""
    n, prev_end = len(text), 0
    i = text.find("\n")
    while i != -1:
        s = i
        while s > prev_end and text[s - 1] in " \t":
            s -= 1
        e = i + 1
        while e < n and text[e].isspace():
            e += 1
        yield s, e
        prev_end = e
        i = text.find("\n", e)


def unit_word(word: str, units: frozenset[str]) -> bool:
    word = word.rstrip(".,;:")
    return word in units or any(word.startswith(u) for u in units if len(u) >= 4)
