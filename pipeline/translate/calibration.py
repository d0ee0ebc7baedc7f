"""Calibration of model scores: how unusual a score is among scores of correct translations.

A model's score (mean token log-probability, `seq2seq.py`) means little as a bare number: it
depends on the model, the direction and the text. What a reviewer can use is a rank: "lower than
97% of correct translations in this direction". A `Calibration` is the distribution of forced-
decoding scores of correct translations for one model and direction (101 quantiles), and
`percent_below` places a score in it.

Where calibrations come from, first found first:
1. the translation memory (table `calibration`, keyed by the model's identity and direction),
   written by `ngo-pipeline calibrate --config CFG` from the user's own human translations (the
   calibration part of `memory/holdout.py`'s split: those pairs never grade a model);
2. `calibration.json` in the model's folder: shipped for the project's tiny test models, written
   by `ngo-pipeline calibrate --config CFG --pairs FILE --into-model` from public parallel data.

When is a score low enough to flag? With `percent` (2.5) per side and n correct translations:
- n large enough that k = floor(percent/100 * (n+1)) >= 1 (n >= 39 at 2.5%): below the k-th lowest
  correct score. A new correct translation (exchangeable with the calibration set) falls there with
  probability k/(n+1) <= percent/100, whatever the distribution of scores (the conformal rank).
- fewer: no rank can be placed that low (a new correct translation falls below the lowest of n
  with probability 1/(n+1): 9% with 10 pairs), so only a score beyond the *far-out fence* is
  flagged: below the lowest correct score and more than 3 interquartile ranges beyond the quartile
  of log(-score) (Tukey's "far out"; were log(-score) normally distributed, about one correct
  translation in a million would fall there). That is a convention, not a guarantee: where correct
  scores have a heavier tail it flags more of them (scripts/bench_confidence.py measures it on the
  tiny models). The message then says that the score is below all n and far outside their spread,
  and gives no percentage.

One table serves both checks of a pair: the forward score of (source -> translation) with the
src-tgt model, and the reverse score of (translation -> source) with the tgt-src model, each ranked
against that model's own correct translations (a correct pair is correct in both directions).
"""
from __future__ import annotations

import bisect
import json
import logging
import math
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .. import models
from ..memory.db import connect

log = logging.getLogger(__name__)
FILE = "calibration.json"
FORMAT = "ngo-pipeline-calibration/1"
TOLERANCE = 1e-4  # per-token log-probability differences below this are engine noise
MIN_PAIRS = 20  # fewer correct translations than this say too little about a direction
_SCHEMA = ("CREATE TABLE IF NOT EXISTS calibration (model TEXT NOT NULL, direction TEXT NOT NULL, "
           "data TEXT NOT NULL, "
           "PRIMARY KEY (model, direction))")


@dataclass(frozen=True)
class Calibration:
    """Scores of `n` correct translations of one model and direction, as 101 quantiles."""

    direction: str
    n: int
    quantiles: tuple[float, ...]
    source: str = ""  # where the correct translations came from (said in messages and reports)
    #: mean and spread of log(-score) over the correct translations: the lower tail beyond the
    #: lowest correct score, fitted as log-normal (a small calibration set has no tail of its own)
    log_mean: float | None = None
    log_std: float | None = None
    #: the lowest scores exactly (a tenth of n, at least one): the ranks a threshold up to 10% uses
    lowest: tuple[float, ...] = ()

    @classmethod
    def from_scores(cls, direction: str, scores: list[float], source: str = "") -> Calibration:
        if not scores:
            raise ValueError(f"{direction}: no scores to calibrate on")
        xs = sorted(scores)
        qs = []
        for i in range(101):
            pos = i / 100 * (len(xs) - 1)
            lo = int(pos)
            hi = min(lo + 1, len(xs) - 1)
            qs.append(xs[lo] + (xs[hi] - xs[lo]) * (pos - lo))
        logs = [math.log(-x) for x in xs if x < 0]
        mean = sum(logs) / len(logs) if logs else None
        std = (math.sqrt(sum((v - mean) ** 2 for v in logs) / (len(logs) - 1))
               if mean is not None and len(logs) > 1 else None)
        lowest = tuple(xs[:max(1, (len(xs) + 1) // 10)])
        return cls(direction, len(xs), tuple(qs), source, mean, std or None, lowest)

    def percent_below(self, score: float) -> float:
        """Which share (0-100) of correct translations is expected to score lower than `score`.

        The k-th lowest of the n correct scores stands for k/(n+1) of all correct translations
        (plotting positions: with 21 pairs the lowest is at 4.5%, not 0%); a score below every one
        of them is placed on the fitted log-normal tail (never above the lowest's position; 0
        without a fit). Scores within `TOLERANCE` of a calibration score count as equal to it: the
        engines and quantisations differ by that much (transformers and CTranslate2 float32 by
        about 3e-6 per token)."""
        q, n = self.quantiles, self.n
        score += TOLERANCE
        if score < q[0]:
            if self.log_mean is None or self.log_std is None or score >= 0:
                return 0.0
            z = (math.log(-score) - self.log_mean) / self.log_std
            return min(100 / (n + 1), 50 * math.erfc(z / math.sqrt(2)))
        if score >= q[-1]:
            pos = 1.0
        else:
            i = bisect.bisect_right(q, score) - 1
            span = q[i + 1] - q[i]
            pos = (i + ((score - q[i]) / span if span > 0 else 0.0)) / 100
        return 100 * (1 + pos * (n - 1)) / (n + 1)

    def order_statistic(self, k: int) -> float:
        """The k-th lowest (1-based) of the n correct scores: exact for the stored lowest, else
        interpolated from the quantiles."""
        if k <= len(self.lowest):
            return self.lowest[k - 1]
        q, n = self.quantiles, self.n
        pos = 100 * (k - 1) / (n - 1) if n > 1 else 0.0
        i = min(int(pos), 99)
        return q[i] + (q[i + 1] - q[i]) * (pos - i)

    def fence(self) -> float:
        """The far-out fence: the score 3 interquartile ranges of log(-score) beyond its quartile
        on the low side (on the scores themselves where some are not negative)."""
        lo, hi = self.quantiles[25], self.quantiles[75]
        if hi < 0:
            u_lo, u_hi = math.log(-hi), math.log(-lo)  # log(-score): higher is worse
            return -math.exp(u_hi + 3 * (u_hi - u_lo))
        return lo - 3 * (hi - lo)

    def rank_k(self, percent: float) -> int:
        """k: a flagged score is below the k-th lowest correct score (0: n too small for `percent`)."""
        return math.floor(percent / 100 * (self.n + 1) + 1e-9)

    def threshold(self, percent: float) -> float:
        """Scores below this are flagged at `percent` (see the module's docstring)."""
        k = self.rank_k(percent)
        if k >= 1:
            return self.order_statistic(k)
        return min(self.quantiles[0], self.fence())

    def is_low(self, score: float, percent: float) -> bool:
        return score + TOLERANCE < self.threshold(percent)

    def to_dict(self) -> dict:
        return {"n": self.n, "quantiles": [float(f"{x:.8g}") for x in self.quantiles], "source": self.source,
                "log_mean": self.log_mean, "log_std": self.log_std,
                "lowest": [float(f"{x:.8g}") for x in self.lowest]}


def unusual(percent_below: float, cal: Calibration) -> str:
    """The rank in words ("lower than 98% of 412 correct translations ..."), never a number alone,
    and never more than n pairs can tell: below the lowest of them it says just that."""
    if percent_below < 100 / (cal.n + 1) * 0.999:  # below the lowest calibration score
        return f"lower than all {cal.n} correct translations used for calibration"
    return f"lower than {math.floor(100 - percent_below)}% of {cal.n} correct translations"


def caveat(cal: Calibration, percent: float) -> str:
    """What a flag from too few pairs can and cannot say (empty when the rank says it)."""
    if cal.rank_k(percent) >= 1:
        return ""
    return f", and far outside their spread ({cal.n} pairs are too few to say how rare such a score is)"


def _from_dict(direction: str, v: dict) -> Calibration:
    def opt(key: str) -> float | None:
        return None if v.get(key) is None else float(v[key])

    return Calibration(direction, int(v["n"]), tuple(float(x) for x in v["quantiles"]), str(v.get("source", "")),
                       opt("log_mean"), opt("log_std"), tuple(float(x) for x in v.get("lowest") or ()))


# -- storage -------------------------------------------------------------------------------------
def read_model_file(path: Path) -> dict[str, Calibration]:
    """{direction: Calibration} from a model folder's calibration.json ({} when there is none).
    A damaged file is named in one warning and ignored."""
    f = path / FILE
    if not f.exists():
        return {}
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"format is {data.get('format')!r}, not {FORMAT!r}")
        return {d: _from_dict(d, v) for d, v in data["directions"].items()}
    except (OSError, ValueError, KeyError, TypeError) as e:
        log.warning("%s: cannot be used (%s); this model is not calibrated", f, e)
        return {}


def write_model_file(path: Path, model: str, cals: list[Calibration]) -> Path:
    """Add or replace these directions in the folder's calibration.json (written atomically)."""
    from ..io.atomic import atomic_write

    current = {d: c.to_dict() for d, c in read_model_file(path).items()}
    current.update({c.direction: c.to_dict() for c in cals})
    atomic_write(path / FILE, json.dumps({"format": FORMAT, "model": model, "directions": current},
                                         ensure_ascii=False, indent=1) + "\n")
    return path / FILE


def read_memory(memory_path: Path | None, identity: str) -> dict[str, Calibration]:
    """{direction: Calibration} stored in the memory for this model identity ({} when none)."""
    if memory_path is None or not Path(memory_path).expanduser().is_file():
        return {}
    try:
        uri = f"{Path(memory_path).expanduser().resolve().as_uri()}?mode=ro"
        with sqlite3.connect(uri, uri=True, timeout=60) as conn:
            rows = conn.execute("SELECT direction, data FROM calibration WHERE model = ?",
                                (identity,)).fetchall()
    except sqlite3.Error as e:
        if "no such table" not in str(e):
            log.warning("translation memory %s: cannot read its calibration (%s)", memory_path, e)
        return {}
    return {d: _from_dict(d, json.loads(q)) for d, q in rows}


def write_memory(memory_path: Path, identity: str, cals: list[Calibration]) -> None:
    conn = connect(Path(memory_path).expanduser(), [_SCHEMA])
    try:
        with conn:
            conn.executemany("INSERT OR REPLACE INTO calibration VALUES (?, ?, ?)",
                             [(identity, c.direction, json.dumps(c.to_dict())) for c in cals])
    finally:
        conn.close()


def lookup(ref: models.ModelRef, direction: str, memory_path: Path | None = None) -> Calibration | None:
    """The calibration of this model and direction: the memory's, else the model folder's."""
    return (read_memory(memory_path, ref.identity).get(direction)
            or read_model_file(ref.path).get(direction))


__all__ = ["Calibration", "FILE", "MIN_PAIRS", "caveat", "lookup", "read_memory", "read_model_file", "unusual",
           "write_memory", "write_model_file"]
