"""Benchmark of publication QA (`pipeline.qa`) on real human translations, real MT output and
injected errors, per direction, for the dev part and the kept-aside part of every set.

    python scripts/bench_qa.py                 # dev and kept-aside figures, every gate, per direction
    python scripts/bench_qa.py --split dev     # one part only
    python scripts/bench_qa.py --calibrate     # length-ratio bounds from the dev human pairs -> ratios.toml
    python scripts/bench_qa.py --show FA|KIND|MT --split dev   # print the pairs behind a figure

Gates (issue 18): correct human pairs flagged (warning+error) <= 3%, any flag <= 8%; injected errors
caught >= 95% each (truncated >= 90%); real MT without errors flagged (warning+error) <= 3%; real
MT errors of the target classes (omission, addition, untranslated, repetition, number) flagged >= 20%.
Sets (tests/data/qa/SOURCES.md): FLORES-200 en/ru/kk (six directions), WMT22 news en<->ru human
references (each read both ways), WMT22 QE MQM en->ru MT (mqm = 100: no error found), DEMETR ru->en
MT and its perturbations of the target classes. Injected errors: one per copy, seeded, at most
--per-kind per kind and direction.
"""
from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict

from qa_bench_sets import (EXPECTED, ROOT, QAEngine, calibrate, demetr_pairs, glossary_eval, human_pairs,
                           injected_pairs, load, mqm_pairs, news_pairs)

BAD = ("error", "warning")
SPLITS = {"dev": ("dev", "dev"), "aside": ("holdout", "aside")}  # our name -> (FLORES split, others)


def _rate(hits: int, n: int) -> str:
    return f"{hits / n:6.1%} ({hits}/{n})" if n else "     -"


def _flagged(flags, severities=BAD) -> bool:
    return any(f.severity in severities for f in flags)


def human_report(engine, sets: dict[str, list], show: bool) -> None:
    print("  correct human pairs flagged: warning+error | any flag   (gate <= 3% | <= 8%)")
    for name, pairs in sets.items():
        res = engine.check(pairs)
        by_dir: dict[str, list] = defaultdict(list)
        for p, fl in zip(pairs, res):
            by_dir[f"{p.src_lang}-{p.tgt_lang}"].append((p, fl))
        items = [x for d in by_dir.values() for x in d]
        rows = [("all", items)] + sorted(by_dir.items())
        for d, xs in rows:
            bad = sum(_flagged(fl) for _, fl in xs)
            anyf = sum(_flagged(fl, ("error", "warning", "info")) for _, fl in xs)
            print(f"    {name:<7} {d:<6} {_rate(bad, len(xs)):<22} | {_rate(anyf, len(xs))}")
        codes = Counter(f.code for _, fl in items for f in fl if f.severity in BAD)
        print(f"    {name:<7} codes (warning+error): {dict(codes.most_common(12))}")
        if show:
            for p, fl in items:
                if _flagged(fl):
                    print(f"\n{p.id} {p.src_lang}-{p.tgt_lang} {[f'{f.severity} {f.code}: {f.message}' for f in fl]}"
                          f"\n  S: {p.source}\n  T: {p.translation}")


def injected_report(engine, kinds: dict[str, list], show: str) -> None:
    print("  injected errors caught by the expected check, per direction   (gate >= 95%, truncated >= 90%)")
    for kind, ps in kinds.items():
        res = engine.check(ps)
        by_dir: dict[str, list[bool]] = defaultdict(list)
        for p, fl in zip(ps, res):
            hit = any(f.code in EXPECTED[kind] for f in fl)
            by_dir[f"{p.src_lang}-{p.tgt_lang}"].append(hit)
            if show == kind and not hit:
                print(f"\nMISSED {p.id} {[f.code for f in fl]}\n  S: {p.source}\n  T: {p.translation}")
        hits = [h for v in by_dir.values() for h in v]
        per = "  ".join(f"{d} {sum(v) / len(v):.0%}" for d, v in sorted(by_dir.items()))
        print(f"    {kind:<15} {_rate(sum(hits), len(hits)):<20} {per}")


def mt_report(engine, mqm: list, demetr: list, show: bool) -> None:
    print("  real MT output (warning+error flags)   (gate: clean <= 3%; errors of the target classes >= 20%)")
    res = engine.check([p for p, _ in mqm])
    clean = [fl for (p, s), fl in zip(mqm, res) if s >= 100]
    print(f"    en-ru WMT22 MQM, no error found (mqm=100):  {_rate(sum(map(_flagged, clean)), len(clean))}")
    for lo, hi, label in ((-1e9, 100, "any error (mqm<100)"), (-1e9, 75, "major errors (mqm<75)")):
        xs = [fl for (p, s), fl in zip(mqm, res) if lo <= s < hi]
        print(f"    en-ru WMT22 MQM, {label:<22}:  {_rate(sum(map(_flagged, xs)), len(xs))}")
    res = engine.check([p for p, _ in demetr])
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for (p, kind), fl in zip(demetr, res):
        by_kind[kind].append(_flagged(fl))
        if show and _flagged(fl) == (kind == "clean"):
            print(f"\n{'FLAGGED' if kind == 'clean' else 'MISSED'} {p.id} {kind} {[f.code for f in fl]}"
                  f"\n  S: {p.source}\n  T: {p.translation}")
    errs = [h for k, v in by_kind.items() if k != "clean" for h in v]
    print(f"    ru-en DEMETR MT, clean:                     {_rate(sum(by_kind['clean']), len(by_kind['clean']))}")
    print(f"    ru-en DEMETR MT, target-class errors:       {_rate(sum(errs), len(errs))}   "
          + "  ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(by_kind.items()) if k != "clean"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=["dev", "aside", "both"], default="both")
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("--show", default="", help="FA, MT, or an injected error kind: print those pairs")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--per-kind", type=int, default=150, help="injected copies per kind and direction")
    ap.add_argument("--no-glossary", action="store_true")
    args = ap.parse_args()
    if args.calibrate:
        news = news_pairs("dev")
        text = calibrate(human_pairs(load("dev")) + news, {f"{p.src_lang}-{p.tgt_lang}" for p in news})
        (ROOT / "pipeline" / "qa" / "ratios.toml").write_text(text, encoding="utf-8")
        print("wrote pipeline/qa/ratios.toml")
        return
    engine = QAEngine()
    t0 = time.perf_counter()
    engine.check(human_pairs(load("dev")[:2]))  # the detector loads here, once
    print(f"detector load: {time.perf_counter() - t0:.1f} s")
    for split in (["dev", "aside"] if args.split == "both" else [args.split]):
        fl_split, other = SPLITS[split]
        rows = load(fl_split)
        flores, news = human_pairs(rows), news_pairs(other)
        print(f"\n=== {split} {'(kept aside: look only after tuning)' if split == 'aside' else ''}===")
        print(f"  FLORES-200 {fl_split}: {len(rows)} sentences x 6 directions; WMT22 news: {len(news)} pairs "
              "(en<->ru, each read both ways)")
        t0 = time.perf_counter()
        human_report(engine, {"flores": flores, "news": news}, args.show == "FA")
        human_s = time.perf_counter() - t0
        injected_report(engine, injected_pairs(news, rows, args.seed, args.per_kind), args.show)
        mt_report(engine, mqm_pairs(other), demetr_pairs(other), args.show == "MT")
        if not args.no_glossary:
            glossary_eval(engine, rows, args.show == "glossary")
        n = len(flores) + len(news)
        print(f"  speed: {n} human pairs in {human_s:.1f} s ({n / human_s:,.0f} pairs/s), one process")


if __name__ == "__main__":
    main()
