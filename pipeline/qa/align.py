"""Pairing two versions of a document for QA: paragraphs, then sentences inside a paragraph.

Length-based alignment after Gale & Church (1993): a translation's length is about `ratio` times
its source's, with a variance that grows with length; beads of 1-1, 1-2, 2-1, 2-2, 1-0 and 0-1
units are scored by their prior probability and by how well the lengths fit, and the cheapest
path is found by dynamic programming. Paragraphs are paired one to one when the counts agree
(the usual case), and aligned only when they differ; a 1-0 bead is a paragraph (or sentence)
with no counterpart, which QA reports instead of crashing.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

# Prior probabilities of bead types (Gale & Church 1993, table 5).
_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2,
           (1, 2): 0.089 / 2, (2, 2): 0.011}
# Paragraphs: translators rarely merge or split them; a missing one is the likelier mismatch.
PARAGRAPH_PRIORS = {(1, 1): 0.9, (1, 0): 0.03, (0, 1): 0.03, (2, 1): 0.02, (1, 2): 0.02}
_VARIANCE = 6.8  # per character of source (Gale & Church); our ratios are per direction


@functools.lru_cache(maxsize=64)
def _neglog(p: float) -> float:
    return -math.log(p)


@dataclass
class Bead:
    source: list[int]  # indices of source units
    target: list[int]  # indices of target units


def _cost(ls: int, lt: int, ratio: float, kind: tuple[int, int], priors: dict) -> float:
    prior = _neglog(priors[kind])
    if 0 in kind:  # a unit with no counterpart: its length says nothing about a fit
        return prior + 1.0
    mean = (ls + lt / ratio) / 2
    delta = (lt - ls * ratio) / math.sqrt(max(mean, 1.0) * _VARIANCE)
    # -log of the two-sided normal tail probability, computed stably.
    p = math.erfc(abs(delta) / math.sqrt(2))
    return prior - math.log(max(p, 1e-300))


BAND = 30  # units either side of the diagonal the dynamic programme looks at (linear time)


def _band(n: int, m: int, width: int) -> list[tuple[int, int]]:
    """For each source index i (0..n), the range of target indices the path may visit: around the
    scaled diagonal i*m/n, wide enough to join the neighbouring rows (horizontal 0-1 beads)."""
    centre = [round(i * m / n) if n else 0 for i in range(n + 1)]
    out = []
    for i in range(n + 1):
        lo = min(centre[i], centre[max(i - 1, 0)]) - width
        hi = max(centre[i], centre[min(i + 1, n)]) + width
        out.append((max(lo, 0), min(hi, m)))
    out[0] = (0, out[0][1])
    out[n] = (out[n][0], m)
    return out


def align(src_lens: list[int], tgt_lens: list[int], ratio: float = 1.0,
          priors: dict[tuple[int, int], float] | None = None,
          anchors: tuple[list[set], list[set]] | None = None, band: int = BAND) -> list[Bead]:
    """The cheapest sequence of beads covering both sequences of unit lengths, in order.
    `anchors` (per unit: digits, links, Latin words) make beads that share them cheaper and beads
    whose source anchors are absent from the target dearer: lengths alone cannot tell two
    paragraphs of similar length apart. Only paths within `band` units of the diagonal are
    searched, so the time is linear in the number of units."""
    priors = priors or _PRIORS
    n, m = len(src_lens), len(tgt_lens)
    inf = float("inf")
    rows = _band(n, m, band)
    cost: list[dict[int, float]] = [{} for _ in range(n + 1)]
    back: list[dict[int, tuple[int, int]]] = [{} for _ in range(n + 1)]
    cost[0][0] = 0.0
    src_cum, tgt_cum = _cumsum(src_lens), _cumsum(tgt_lens)
    for i in range(n + 1):
        lo, hi = rows[i]
        row = cost[i]
        for j in range(lo, hi + 1):
            here = row.get(j, inf)
            if here == inf:
                continue
            for (di, dj) in priors:
                a, b = i + di, j + dj
                if a > n or b > m or not rows[a][0] <= b <= rows[a][1]:
                    continue
                c = here + _cost(src_cum[a] - src_cum[i], tgt_cum[b] - tgt_cum[j], ratio, (di, dj), priors)
                if anchors is not None and di and dj:
                    sa = anchors[0][i] if di == 1 else anchors[0][i] | anchors[0][i + 1]
                    ta = anchors[1][j] if dj == 1 else anchors[1][j] | anchors[1][j + 1]
                    if sa or ta:
                        c += 1.0 * len(sa ^ ta) - 2.0 * len(sa & ta)
                if c < cost[a].get(b, inf):
                    cost[a][b] = c
                    back[a][b] = (di, dj)
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        di, dj = back[i][j]
        beads.append(Bead(list(range(i - di, i)), list(range(j - dj, j))))
        i, j = i - di, j - dj
    return beads[::-1]


def _cumsum(xs: list[int]) -> list[int]:
    out = [0]
    for x in xs:
        out.append(out[-1] + x)
    return out


def pair_units(src: list[str], tgt: list[str], ratio: float = 1.0,
               priors: dict[tuple[int, int], float] | None = None) -> list[Bead]:
    """One-to-one when the counts agree, otherwise aligned by length."""
    if len(src) == len(tgt):
        return [Bead([i], [i]) for i in range(len(src))]
    return align([_len(s) for s in src], [_len(t) for t in tgt], ratio, priors,
                 ([_anchors(s) for s in src], [_anchors(t) for t in tgt]))


# An e-mail starts where a token starts (the look-behind): otherwise every position of a long
# run without spaces would be tried, each scanning to the run's end (quadratic).
_ANCHOR = re.compile(r"https?://\S+|www\.\S+|(?<![^\s@])[^\s@]+@\S+|\d[\d\s.,]*\d|\d")


def _anchors(text: str) -> set[str]:
    return {re.sub(r"[\s.,]", "", m.group()).rstrip("/") for m in _ANCHOR.finditer(text)}


def _len(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())
