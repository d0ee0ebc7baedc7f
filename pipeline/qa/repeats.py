"""Loops: a word or a phrase repeated in the translation where the source does not repeat.

Degenerate MT output repeats ("the the the", "в рамках проекта в рамках проекта"), but so do
sources: a chant or a slogan said three times, "step by step", a list. So a repetition counts only
when the source has none as strong: a run of k adjacent repeats is a loop when the source has no
run of k repeats (of any phrase, since the words differ between languages), and a phrase that
recurs apart is a loop when no phrase of the source recurs as often.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def runs(words: list[str], min_total: int) -> Iterator[tuple[int, int, int]]:
    """(start index, n, repeats) of consecutive repeats of an n-gram covering >= min_total words."""
    n_words = len(words)
    for n in range(1, 9):
        i = 0
        while i + 2 * n <= n_words:
            k = 1
            while i + (k + 1) * n <= n_words and words[i + k * n:i + (k + 1) * n] == words[i:i + n]:
                k += 1
            if k >= 2 and (n * k >= min_total or (n >= 4 and k >= 2)) and (n > 1 or k >= 3):
                yield i, n, k
                i += n * k
            else:
                i += 1


def _most_recurring(words: list[str], n: int) -> int:
    counts: dict[tuple[str, ...], int] = {}
    for i in range(len(words) - n + 1):
        g = tuple(words[i:i + n])
        counts[g] = counts.get(g, 0) + 1
    return max(counts.values(), default=0)


def loops(source: str, translation: str) -> Iterator[tuple[str, str, int, int]]:
    """(severity, message, start, end) of the first loop in `translation`, if any."""
    tm = list(_WORD.finditer(translation.lower()))
    words = [m.group() for m in tm]
    src_words = [m.group() for m in _WORD.finditer(source.lower())]
    src_k = max((k for _, _, k in runs(src_words, 2)), default=1)
    for i, n, k in runs(words, 3):
        gram = words[i:i + n]
        if k <= src_k or all(w.isdigit() for w in gram):
            continue  # the source repeats as much: a chant, a slogan, "step by step"
        yield "error", f"{' '.join(gram)!r} repeated {k} times", tm[i].start(), tm[i + n * k - 1].end()
        return
    # The same phrase apart: 4+ words three times, or 6+ words twice, more than any phrase of the source.
    for n, times in ((6, 3), (5, 3), (4, 3), (6, 2)):
        if len(words) < n * times:
            continue
        src_most = max(_most_recurring(src_words, m) for m in (max(n - 2, 2), n - 1, n))
        at: dict[tuple[str, ...], list[int]] = {}
        for i in range(len(words) - n + 1):
            at.setdefault(tuple(words[i:i + n]), []).append(i)
        for gram, where in at.items():
            if len(where) >= times and len(where) > src_most and not all(w.isdigit() for w in gram):
                severity = "error" if times >= 3 else "warning"
                yield severity, f"{' '.join(gram)!r} occurs {len(where)} times", \
                    tm[where[0]].start(), tm[where[-1] + n - 1].end()
                return
