"""Damaged translations for the model-confidence tests and bench: the memorised correct translation
with one clause dropped, a clause added, a number changed, or a word substituted."""
from __future__ import annotations

import re

KINDS = ("drop", "add", "number", "substitute")
NUMBER_WORDS = {"en": {"two": "three", "five": "seven"}, "ru": {"двух": "трёх", "пяти": "семи"},
                "kk": {"екі": "үш", "бес": "жеті"}}
_END = re.compile(r"[.;!?]$")


def _split_end(t: str) -> tuple[str, str]:
    return (t[:-1], t[-1]) if _END.search(t) else (t, "")


def drop_clause(t: str) -> str | None:
    """The last clause (after a comma or dash) removed; a one-clause sentence loses its last third."""
    body, end = _split_end(t)
    parts = re.split(r"(?<=[,;—])\s+", body)
    if len(parts) >= 2:
        return " ".join(parts[:-1]).rstrip(",;— ") + end
    words = body.split()
    if len(words) < 3:
        return None
    return " ".join(words[:len(words) - max(1, len(words) // 3)]) + end


def add_clause(t: str, other: str) -> str:
    """Another sentence of the same language appended as a clause."""
    body, end = _split_end(t)
    o = _END.sub("", other)
    return f"{body}, {o[:1].lower()}{o[1:]}{end or '.'}"


def change_number(t: str, lang: str) -> str | None:
    """A number in digits or in words changed (None when the sentence has none)."""
    m = re.search(r"\d+", t)
    if m:
        n = int(m.group())
        return t[:m.start()] + str(n + 7 if n < 10 else n * 2 + 10) + t[m.end():]
    for a, b in NUMBER_WORDS[lang].items():
        if re.search(rf"\b{a}\b", t, re.IGNORECASE):
            return re.sub(rf"\b{a}\b", b, t, count=1, flags=re.IGNORECASE)
    return None


def substitute_word(t: str, other: str) -> str | None:
    """The longest word replaced by the longest word of another sentence that this one lacks."""
    words = re.findall(r"\w{4,}", t)
    candidates = [w for w in re.findall(r"\w{4,}", other) if w.lower() not in t.lower()]
    if not words or not candidates:
        return None
    return t.replace(max(words, key=len), max(candidates, key=len), 1)


def damaged(rows: list[dict[str, str]], lang: str) -> dict[str, list[tuple[int, str]]]:
    """{kind: [(row index, damaged translation in `lang`)]}; the other sentence used for an added
    clause or a substituted word is row i+7 (deterministic)."""
    out: dict[str, list[tuple[int, str]]] = {k: [] for k in KINDS}
    for i, r in enumerate(rows):
        t, other = r[lang], rows[(i + 7) % len(rows)][lang]
        for kind, bad in (("drop", drop_clause(t)), ("add", add_clause(t, other)),
                          ("number", change_number(t, lang)), ("substitute", substitute_word(t, other))):
            if bad and bad != t:
                out[kind].append((i, bad))
    return out


def roc_auc(good: list[float], bad: list[float]) -> float:
    """Probability that a correct translation scores higher than a damaged one (ties count half)."""
    return sum((g > b) + 0.5 * (g == b) for g in good for b in bad) / (len(good) * len(bad))
