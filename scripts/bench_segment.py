#!/usr/bin/env python3
"""Sentence splitting: exact match per item on the project's dev and holdout sets, side by side
with pysbd and razdel where they are installed (benchmarks only, not dependencies).

    python scripts/bench_segment.py [--set dev|holdout|all] [--errors]

Data: tests/data/sentences/{en,ru,kk}.txt (dev) and holdout_{en,ru,kk}.txt, one paragraph per line
with "¦" at each sentence boundary (sources in tests/data/sentences/SOURCES.md). An item counts as
exact when the list of sentences (stripped) equals the gold list. Also checks the round trip of
our splitter (sentences + separators == input) on every item, and prints paragraphs per second.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.text.sentences import split_units

DATA = ROOT / "tests" / "data" / "sentences"
LANGS = ("en", "ru", "kk")


def load(path: Path) -> list[tuple[str, list[str]]]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        line = line.replace("\\n", "\n")
        items.append((line.replace("¦", ""), [s.strip() for s in line.split("¦")]))
    return items


def ours(lang: str):
    def split(text: str) -> list[str]:
        units = split_units(text)
        if "".join(u.text + u.sep for u in units) != text:
            raise AssertionError(f"round trip broken on {text!r}")
        return [u.text.strip() for u in units]
    return split


def peers() -> dict[str, object]:
    out: dict[str, object] = {}
    try:
        import pysbd

        def pysbd_for(lang: str):
            seg = pysbd.Segmenter(language=lang, clean=False)
            return lambda text: [s.strip() for s in seg.segment(text) if s.strip()]
        out["pysbd"] = pysbd_for
    except ImportError:
        pass
    try:
        import razdel

        out["razdel"] = lambda lang: (lambda text: [s.text.strip() for s in razdel.sentenize(text)])
    except ImportError:
        pass
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=["dev", "holdout", "all"], default="all")
    ap.add_argument("--errors", action="store_true", help="print the items each system gets wrong")
    args = ap.parse_args()
    systems = {"ngo-pipeline": ours, **peers()}
    sets = ["dev", "holdout"] if args.set == "all" else [args.set]
    summary: dict[str, dict[str, str]] = {}
    for name_set in sets:
        print(f"== {name_set}")
        print(f"  {'system':<14}" + "".join(f"{lang:>14}" for lang in LANGS) + f"{'all':>14}")
        for sysname, factory in systems.items():
            row, tot_ok, tot_n = [], 0, 0
            for lang in LANGS:
                path = DATA / (f"{lang}.txt" if name_set == "dev" else f"holdout_{lang}.txt")
                items = load(path)
                split = factory(lang)
                ok = 0
                for text, gold in items:
                    got = split(text)
                    ok += got == gold
                    if args.errors and got != gold:
                        print(f"    [{sysname} {lang}] got  {got}\n    {' ' * (len(sysname) + len(lang) + 3)} want {gold}")
                row.append(f"{ok}/{len(items)} {100 * ok / len(items):3.0f}%")
                tot_ok, tot_n = tot_ok + ok, tot_n + len(items)
            row.append(f"{tot_ok}/{tot_n} {100 * tot_ok / tot_n:3.0f}%")
            summary.setdefault(name_set, {})[sysname] = row[-1]
            print(f"  {sysname:<14}" + "".join(f"{c:>14}" for c in row))
    texts = [t for lang in LANGS for t, _ in load(DATA / f"{lang}.txt")]
    t0 = time.perf_counter()
    reps = 20
    for _ in range(reps):
        for t in texts:
            split_units(t)
    print(f"speed: {reps * len(texts) / (time.perf_counter() - t0):,.0f} paragraphs/s (ngo-pipeline)")
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
