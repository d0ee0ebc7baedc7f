"""Model confidence of a translation: how likely the models find it, ranked among correct ones.

For a pair (source, translation, src, tgt):
- forward: the score of the translation given the source under the src-tgt model (the score kept
  at translation time, else forced decoding); for a pivoted direction, the score kept at
  translation time (the lower leg's) — a given translation cannot be forced through a pivot;
- reverse: the score of the source given the translation under the tgt-src model, where that
  model is installed (a dropped clause leaves source words the translation does not explain).

Each is ranked with `calibration.py` against correct translations of the same model and direction.
A pair is flagged `low-confidence` (a warning) when either side's score is below its
calibration's threshold at `threshold` percent (default 2.5 each: `Calibration.threshold`, a
conformal rank where there are enough correct translations for it, else the far-out fence), with
a message that says how unusual the score is, never the bare number. Uncalibrated directions get
scores but no flag.

Guerreiro et al. (EACL 2023) found the sequence log-probability the best model-internal detector of
hallucinations; it is weaker on partial errors (one wrong word, one number): see the README.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .calibration import MIN_PAIRS, Calibration, caveat, lookup, unusual

CODE = "low-confidence"
DEFAULT_THRESHOLD = 2.5  # percent of correct translations, per side


@dataclass
class Item:
    source: str
    translation: str
    src: str
    tgt: str
    score: float | None = None  # kept at translation time (a machine translation), if any


@dataclass
class Assessment:
    forward: float | None = None
    reverse: float | None = None
    forward_below: float | None = None  # percent of correct translations that score lower
    reverse_below: float | None = None
    message: str | None = None  # set when the pair is flagged low-confidence

    @property
    def flagged(self) -> bool:
        return self.message is not None

    def to_dict(self) -> dict:
        def r(x: float | None, n: int) -> float | None:
            return None if x is None else round(x, n)

        return {"forward": r(self.forward, 4), "reverse": r(self.reverse, 4),
                "forward_percent_below": r(self.forward_below, 1),
                "reverse_percent_below": r(self.reverse_below, 1), "low_confidence": self.flagged}


class ConfidenceScorer:
    """`legs(src, tgt)`: the model translators that make a direction ([direct] or the two pivot
    legs, each with `.engine`, `.src`, `.tgt` and `.score(sources, targets)`), or None when no
    model for it is installed. `memory_path`: where user calibrations are kept."""

    def __init__(self, legs: Callable[[str, str], list | None], memory_path: Path | None = None,
                 threshold: float = DEFAULT_THRESHOLD, only_calibrated: bool = False):
        """`only_calibrated`: run no forced decoding for a side without a calibration (the check
        stage: an unranked score flags nothing, so it is not worth a forward pass)."""
        self.legs, self.memory_path, self.threshold = legs, memory_path, threshold
        self.only_calibrated = only_calibrated
        self._cal: dict[tuple[str, str], Calibration | None] = {}

    def calibration(self, leg) -> Calibration | None:
        key = (leg.engine.ref.identity, f"{leg.src}-{leg.tgt}")
        if key not in self._cal:
            self._cal[key] = lookup(leg.engine.ref, key[1], self.memory_path)
        return self._cal[key]

    def assess(self, items: list[Item]) -> list[Assessment]:
        out = [Assessment(forward=it.score) for it in items]
        by_direction: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, it in enumerate(items):
            if it.src != it.tgt and it.source.strip() and it.translation.strip():
                by_direction[(it.src, it.tgt)].append(i)
        for (src, tgt), idx in by_direction.items():
            forward, reverse = self.legs(src, tgt), self.legs(tgt, src)
            if self.only_calibrated:
                forward = forward if forward and all(self.calibration(leg) for leg in forward) else None
                reverse = reverse if reverse and all(self.calibration(leg) for leg in reverse) else None
            if forward and len(forward) == 1:
                todo = [i for i in idx if out[i].forward is None]
                scores = forward[0].score([items[i].source for i in todo], [items[i].translation for i in todo])
                for i, s in zip(todo, scores, strict=True):
                    out[i].forward = s
            if reverse and len(reverse) == 1:
                scores = reverse[0].score([items[i].translation for i in idx], [items[i].source for i in idx])
                for i, s in zip(idx, scores, strict=True):
                    out[i].reverse = s
            for i in idx:
                self._rank(out[i], src, tgt, forward or [], reverse if reverse and len(reverse) == 1 else [])
        return out

    def _rank(self, a: Assessment, src: str, tgt: str, forward: list, reverse: list) -> None:
        sides: list[tuple[bool, float, str]] = []  # (flagged, percent below, what to say)
        pct = self.threshold
        if a.forward is not None and forward:
            ranked = [(not c.is_low(a.forward, pct), c.percent_below(a.forward), c, leg)
                      for leg in forward if (c := self.calibration(leg))]
            if len(ranked) == len(forward):  # a pivot: ranked against the stricter leg
                unflagged, below, cal, leg = min(ranked, key=lambda r: r[:2])
                a.forward_below = below
                via = f" (pivoted; {leg.src}-{leg.tgt} leg)" if len(forward) > 1 else ""
                sides.append((not unflagged, below, f"the {src}-{tgt} model score of this translation{via} is "
                                                    f"{unusual(below, cal)} in this direction{caveat(cal, pct)}"))
        if a.reverse is not None and reverse and (cal := self.calibration(reverse[0])):
            a.reverse_below = cal.percent_below(a.reverse)
            sides.append((cal.is_low(a.reverse, pct), a.reverse_below,
                          f"read back with the {tgt}-{src} model, the source given this translation scores "
                          f"{unusual(a.reverse_below, cal)} in that direction{caveat(cal, pct)}; a dropped or "
                          "added clause often does this"))
        flagged = sorted((below, text) for low, below, text in sides if low)
        if flagged:
            a.message = f"low model confidence: {flagged[0][1]}"


def calibrate(legs: Callable[[str, str], list | None], pairs: dict[tuple[str, str], list[tuple[str, str]]],
              source: str, min_pairs: int = MIN_PAIRS) -> tuple[list[tuple[object, Calibration]], list[str]]:
    """Calibrations from correct translations: `pairs` maps a direction to its (source, target)
    pairs; each pair also serves the opposite direction (a correct pair is correct both ways).
    Returns ([(model ref, Calibration)], [what could not be calibrated and why])."""
    both: dict[tuple[str, str], dict[tuple[str, str], None]] = defaultdict(dict)
    for (src, tgt), rows in pairs.items():
        for s, t in rows:
            both[(src, tgt)][(s, t)] = None
            both[(tgt, src)][(t, s)] = None
    done, problems = [], []
    for (src, tgt), rows in sorted(both.items()):
        route = legs(src, tgt)
        if not route or len(route) != 1:
            problems.append(f"{src}-{tgt}: no direct model installed for this direction; not calibrated")
            continue
        scores = [x for x in route[0].score([s for s, _ in rows], [t for _, t in rows]) if x is not None]
        if len(scores) < min_pairs:
            problems.append(f"{src}-{tgt}: only {len(scores)} scorable correct pairs (at least {min_pairs} "
                            "needed); not calibrated")
            continue
        done.append((route[0].engine.ref, Calibration.from_scores(f"{src}-{tgt}", scores, source)))
    return done, problems


__all__ = ["CODE", "DEFAULT_THRESHOLD", "Assessment", "ConfidenceScorer", "Item", "calibrate"]
