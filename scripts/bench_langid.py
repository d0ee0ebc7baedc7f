#!/usr/bin/env python3
"""Accuracy and speed of the language detectors on the labelled development set.

    python scripts/bench_langid.py [--data tests/data/langid_dev.tsv] [--detectors detect.lingua,detect.langdetect]

Prints, for each detector side by side: accuracy per language, per kind (short < 60 characters,
sentence, paragraph, mixed), overall, the errors, and short items per second.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import registry  # noqa: E402


def load(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, kind, text = line.split("\t", 2)
            rows.append((lang, kind, text))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT / "tests/data/langid_dev.tsv")
    ap.add_argument("--detectors", default="detect.lingua,detect.langdetect")
    args = ap.parse_args()
    rows = load(args.data)
    summary = {}
    for name in args.detectors.split(","):
        det = registry.create(name)
        t0 = time.perf_counter()
        det.warm_up()
        load_s = time.perf_counter() - t0
        preds = det.detect_many([t for _, _, t in rows])
        by = defaultdict(lambda: [0, 0])
        errors = []
        for (lang, kind, text), (pred, score) in zip(rows, preds, strict=True):
            ok = pred == lang
            length = "short<60" if len(text) < 60 else "long>=60"
            for key in (f"lang={lang}", f"kind={kind}", f"len={length}", "overall"):
                by[key][0] += ok
                by[key][1] += 1
            if not ok:
                errors.append(f"    want {lang} got {pred} ({score:.2f}): {text[:70]}")
        shorts = [t for _, _, t in rows if len(t) < 60]
        reps = max(1, 3000 // len(shorts))
        t0 = time.perf_counter()
        for _ in range(reps):
            det.detect_many(shorts)
        per_s = reps * len(shorts) / (time.perf_counter() - t0)
        t0 = time.perf_counter()
        for text in shorts * max(1, reps // 3):
            det.detect(text)
        one_s = len(shorts) * max(1, reps // 3) / (time.perf_counter() - t0)
        print(f"== {name}  (load {load_s:.2f} s)")
        for key in sorted(by):
            ok, n = by[key]
            print(f"  {key:<18} {ok:>4}/{n:<4} {100 * ok / n:6.2f}%")
        print(f"  short items/s: {per_s:,.0f} batched, {one_s:,.0f} one at a time")
        print("  errors:" if errors else "  errors: none")
        print("\n".join(errors))
        summary[name] = {"overall": round(by["overall"][0] / by["overall"][1], 4),
                         "short": round(by["len=short<60"][0] / by["len=short<60"][1], 4),
                         "short_items_per_s": round(per_s)}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
