#!/usr/bin/env python3
"""How well model confidence tells damaged translations from correct ones, on the tiny test models.

    python scripts/bench_confidence.py [--config models/tiny/config.toml]

For every direction: the memorised correct translations of tests/data/parallel.tsv against the same
with a clause dropped, a clause added, a number changed, a word substituted (tests/confidence_cases.py).
Prints ROC AUC per kind of the forward score, the reverse score and the rank the flag uses, and how
many are flagged low-confidence: with the calibration shipped in the model folders (made from the
same pairs: in-sample) and, held out, with one made from the other half of the rows (10-11 pairs
per direction: too few for a 2.5% rank, so the far-out fence of `Calibration.threshold` decides).
Memorised sentences are far easier than real text: these are figures about the code, not about
real models (which cannot be downloaded here).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "scripts")]


def main() -> None:
    from confidence_cases import KINDS, damaged, roc_auc
    from make_test_models import load_corpus

    from pipeline import Pipeline
    from pipeline.translate.confidence import Item, calibrate

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", default=str(ROOT / "models" / "tiny" / "config.toml"))
    args = ap.parse_args()
    corpus = load_corpus()
    stage = Pipeline.from_config(args.config, overrides={"translate": {"cache": ""}})["translate"]
    dirs = [(s, t) for s in ("en", "ru", "kk") for t in ("en", "ru", "kk") if s != t]

    def risk(a):
        return min(x for x in (a.forward_below, a.reverse_below) if x is not None)

    scorer = stage.confidence()
    print(f"{'dir':<6}{'kind':<11}{'n':>3}  AUC fwd  rev  rank  flagged")
    good_flagged = good_n = 0
    flagged_by_kind = {k: [0, 0] for k in KINDS}
    for src, tgt in dirs:
        good = scorer.assess([Item(r[src], r[tgt], src, tgt) for r in corpus])
        good_flagged += sum(a.flagged for a in good)
        good_n += len(good)
        for kind, cases in damaged(corpus, tgt).items():
            bad = [a for a in scorer.assess([Item(corpus[i][src], t, src, tgt) for i, t in cases])
                   if a.forward is not None and a.reverse is not None]
            aucs = [roc_auc([f(a) for a in good], [f(a) for a in bad])
                    for f in (lambda a: a.forward, lambda a: a.reverse, risk)]
            flagged_by_kind[kind][0] += sum(a.flagged for a in bad)
            flagged_by_kind[kind][1] += len(bad)
            print(f"{src}-{tgt:<3}{kind:<11}{len(bad):>3}  {aucs[0]:.3f} {aucs[1]:.3f} {aucs[2]:.3f}  "
                  f"{sum(a.flagged for a in bad)}/{len(bad)}")
    print(f"correct translations flagged (shipped calibration, in-sample): {good_flagged}/{good_n}")
    print("damaged flagged: " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in flagged_by_kind.items()))
    held = held_n = bad_held = bad_n = 0
    for calib_rows, rest in ((corpus[::2], corpus[1::2]), (corpus[1::2], corpus[::2])):
        done, _ = calibrate(stage.legs, {(s, t): [(r[s], r[t]) for r in calib_rows] for s, t in dirs},
                            "half", min_pairs=5)
        half = stage.confidence()
        half._cal = {(ref.identity, c.direction): c for ref, c in done}  # noqa: SLF001
        found = half.assess([Item(r[s], r[t], s, t) for s, t in dirs for r in rest])
        held += sum(a.flagged for a in found)
        held_n += len(found)
        rows = {id(r) for r in rest}
        bad = [a for a in half.assess([Item(corpus[i][s], t, s, t2) for s, t2 in dirs
                                       for cases in damaged(corpus, t2).values()
                                       for i, t in cases if id(corpus[i]) in rows]) if a.forward is not None]
        bad_held += sum(a.flagged for a in bad)
        bad_n += len(bad)
    print(f"correct translations flagged (calibrated on the other half of the rows): {held}/{held_n}"
          f" ({100 * held / held_n:.1f}%); damaged flagged: {bad_held}/{bad_n}")


if __name__ == "__main__":
    main()
