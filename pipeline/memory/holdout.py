"""Which human translations are kept for calibration and which for evaluation: one deterministic
split shared by model-confidence calibration (issue 22) and `ngo-pipeline eval` (issue 23), so that
no pair tunes a threshold and then grades a model.

A pair belongs to the calibration part when a hash of its two texts (whitespace-normalised, in
sorted order, so both directions of a unit fall on the same side) lands in the first
`CALIBRATION_PERCENT` of 10,000 buckets. The split depends on the texts only: the same sentence
pair is on the same side in the memory, in an imported TMX and in a reference file, on every
machine and in every run, and adding entries never moves old ones.

    from pipeline.memory.holdout import is_calibration, split
    calib, evaluation = split(entries)          # HumanEntry-like: .source, .target
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TypeVar

from .human import stored_form

CALIBRATION_PERCENT = 20  # of every direction's pairs, on average
_BUCKETS = 10_000
T = TypeVar("T")


def bucket(source: str, target: str) -> int:
    """0..9999, the same for (a, b) and (b, a)."""
    a, b = sorted((stored_form(source), stored_form(target)))
    digest = hashlib.sha256(f"{a}\x1f{b}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % _BUCKETS


def is_calibration(source: str, target: str, percent: float = CALIBRATION_PERCENT) -> bool:
    """True when the pair is kept for calibration (and therefore never used for evaluation)."""
    return bucket(source, target) < percent * _BUCKETS / 100


def split(entries: Iterable[T], percent: float = CALIBRATION_PERCENT) -> tuple[list[T], list[T]]:
    """(calibration, evaluation) of anything with `.source` and `.target`, order kept."""
    calib: list[T] = []
    rest: list[T] = []
    for e in entries:
        (calib if is_calibration(e.source, e.target, percent) else rest).append(e)  # type: ignore[attr-defined]
    return calib, rest


__all__ = ["CALIBRATION_PERCENT", "bucket", "is_calibration", "split"]
