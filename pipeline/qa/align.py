"""Pairing two versions of a document for QA: paragraphs, then sentences inside a paragraph.

Length-based alignment after Gale & Church (1993): a translation's length is about `ratio` times
its source's, with a variance that grows with length; beads of 1-1, 1-2, 2-1, 2-2, 1-0 and 0-1
units are scored by their prior probability and by how well the lengths fit, and the cheapest
path is found by dynamic programming. Paragraphs are paired one to one when the counts agree
(the usual case), and aligned only when they differ; a 1-0 bead is a paragraph (or sentence)
with no counterpart, which QA reports instead of crashing.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Prior probabilities of bead types (Gale & Church 1993, table 5).
_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2,
           (1, 2): 0.089 / 2, (2, 2): 0.011}
# Paragraphs: translators rarely merge or split them; a missing one is the likelier mismatch.
PARAGRAPH_PRIORS = {(1, 1): 0.9, (1, 0): 0.03, (0, 1): 0.03, (2, 1): 0.02, (1, 2): 0.02}
_VARIANCE = 6.8  # per character of source (Gale & Church); our ratios are per direction


@dataclass
class Bead:
    source: list[int]  # indices of source units
    target: list[int]  # indices of target units


def _cost(ls: int, lt: int, ratio: float, kind: tuple[int, int], priors: dict) -> float:
    prior = -math.log(priors[kind])
    if 0 in kind:  # a unit with no counterpart: its length says nothing about a fit
        return prior + 1.0
    mean = (ls + lt / ratio) / 2
    delta = (lt - ls * ratio) / math.sqrt(max(mean, 1.0) * _VARIANCE)
    # -log of the two-sided normal tail probability, computed stably.
    p = math.erfc(abs(delta) / math.sqrt(2))
    return prior - math.log(max(p, 1e-300))


def align(src_lens: list[int], tgt_lens: list[int], ratio: float = 1.0,
          priors: dict[tuple[int, int], float] | None = None,
          anchors: tuple[list[set], list[set]] | None = None) -> list[Bead]:
    """The cheapest sequence of beads covering both sequences of unit lengths, in order.
    `anchors` (per unit: digits, links, Latin words) make beads that share them cheaper and beads
    whose source anchors are absent from the target dearer: lengths alone cannot tell two
    paragraphs of similar length apart."""
    priors = priors or _PRIORS
    n, m = len(src_lens), len(tgt_lens)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if cost[i][j] == inf:
                continue
            for (di, dj) in priors:
                a, b = i + di, j + dj
                if a > n or b > m:
                    continue
                c = cost[i][j] + _cost(sum(src_lens[i:a]), sum(tgt_lens[j:b]), ratio, (di, dj), priors)
                if anchors is not None and di and dj:
                    sa = set().union(*anchors[0][i:a])
                    ta = set().union(*anchors[1][j:b])
                    c += 1.0 * len(sa ^ ta) - 2.0 * len(sa & ta)
                if c < cost[a][b]:
                    cost[a][b] = c
                    back[a][b] = (di, dj)
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        step = back[i][j]
        assert step is not None
        di, dj = step
        beads.append(Bead(list(range(i - di, i)), list(range(j - dj, j))))
        i, j = i - di, j - dj
    return beads[::-1]


def pair_units(src: list[str], tgt: list[str], ratio: float = 1.0,
               priors: dict[tuple[int, int], float] | None = None) -> list[Bead]:
    """One-to-one when the counts agree, otherwise aligned by length."""
    if len(src) == len(tgt):
        return [Bead([i], [i]) for i in range(len(src))]
    return align([_len(s) for s in src], [_len(t) for t in tgt], ratio, priors,
                 ([_anchors(s) for s in src], [_anchors(t) for t in tgt]))


_ANCHOR = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|\d[\d\s.,]*\d|\d")


def _anchors(text: str) -> set[str]:
    return {re.sub(r"[\s.,]", "", m.group()).rstrip("/") for m in _ANCHOR.finditer(text)}


def _len(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())
