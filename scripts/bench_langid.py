#!/usr/bin/env python3
"""Language identification: accuracy per language and speed, side by side for the detectors.

    python scripts/bench_langid.py [--set dev|holdout|all] [--detectors detect.lingua,detect.langdetect,lingua-3] [--errors]

Data (real text only; sources in tests/data/langid_SOURCES.md):
- dev: tests/data/langid_dev.tsv (en/ru/kk press items, mixed, other) + tests/data/langid_neighbours.tsv
  (UDHR translations and news in 15 neighbouring languages, en/ru/kk UDHR, Kazakh in Latin script)
  + langid_short.tsv (short lines of real releases and news pages: headlines, captions, section
  titles, quotes) + langid_news.tsv (news in Karakalpak Latin, Tatar, Uzbek Latin) + langid_tatoeba.tsv
  (Tatoeba's short everyday sentences in en/ru/kk);
- holdout: the *_holdout.tsv file of each.
Prints: en/ru/kk accuracy overall and under 60 characters; per neighbouring language the share
labelled `other`; Latin-script Kazakh labelled kk (script Latn); short items per second (batched
and one at a time); the time to the first answer (building the detector and loading its models).
"lingua-3" is lingua restricted to en/ru/kk with no project rules: the anchor the issue compares to.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# the models themselves are measured, not scores remembered on disk (pipeline/text/langid_cache.py)
os.environ["NGO_PIPELINE_LANGID_CACHE"] = ""
DATA = ROOT / "tests" / "data"
SETS = {"dev": ["langid_dev.tsv", "langid_neighbours.tsv", "langid_short.tsv", "langid_news.tsv",
                "langid_tatoeba.tsv"],
        "holdout": ["langid_holdout.tsv", "langid_neighbours_holdout.tsv", "langid_short_holdout.tsv",
                    "langid_news_holdout.tsv", "langid_tatoeba_holdout.tsv"]}


def load(names: list[str]) -> list[tuple[str, str, str, str]]:
    """(gold label, group, kind, text): gold is en/ru/kk/other; group names the language."""
    rows = []
    for name in names:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            gold, kind, text = line.split("\t", 2)
            label, _, sub = gold.partition(":")
            group = f"{label}:{sub}" if sub else label
            rows.append((label, group, kind, text))
    return rows


def lingua3():
    from lingua import Language, LanguageDetectorBuilder

    det = LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.RUSSIAN, Language.KAZAKH).build()
    names = {Language.ENGLISH: "en", Language.RUSSIAN: "ru", Language.KAZAKH: "kk"}

    class Plain:
        def detect_many(self, texts):
            return [(names.get(det.detect_language_of(t), "unknown"), 1.0) for t in texts]
    return Plain()


def build(name: str):
    if name == "lingua-3":
        return lingua3()
    from pipeline import registry

    return registry.create(name)


def first_answer_seconds(name: str) -> float:
    """A fresh process: import, build the detector, answer one Russian and one Kazakh sentence."""
    code = (f"import time; t=time.perf_counter(); import sys; sys.path.insert(0, {str(ROOT)!r}); "
            f"from scripts.bench_langid import build; d=build({name!r}); "
            "d.detect_many(['Форум прошёл в Алматы.', 'Бүгін Астанада форум өтті.']); "
            "print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    return float(out.stdout.strip() or "nan")


def evaluate(name: str, rows, errors: bool) -> dict:
    det = build(name)
    preds = det.detect_many([t for *_, t in rows])
    by: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong = []
    for (label, group, kind, text), pred in zip(rows, preds, strict=True):
        ok = pred[0] == label
        keys = [f"group {group}"]
        if label in ("en", "ru", "kk") and ":" not in group:
            keys += ["core overall", f"core {label}"] + (["core <60 chars"] if len(text) < 60 else [])
        if group.startswith("other:"):
            keys.append("neighbours overall")
        if group.startswith("kk:Latn"):
            keys.append("kk Latin script")
            ok = ok and getattr(pred, "script", "Latn") == "Latn"
        for key in keys:
            by[key][0] += ok
            by[key][1] += 1
        if not ok:
            wrong.append(f"    [{name}] want {group} got {pred[0]}: {text[:80]}")
    shorts = [t for _, _, _, t in rows if len(t) < 60]
    det.detect_many(shorts[:50])
    t0 = time.perf_counter()
    reps = 3
    for _ in range(reps):
        det.detect_many(shorts)
    batched = reps * len(shorts) / (time.perf_counter() - t0)
    t0, c0 = time.perf_counter(), time.process_time()
    for text in shorts:
        det.detect_many([text])
    single = len(shorts) / (time.perf_counter() - t0)
    single_cpu = len(shorts) / max(time.process_time() - c0, 1e-9)  # CPU time: robust to a busy machine
    if errors:
        print("\n".join(wrong))
    return {"by": {k: v for k, v in by.items()}, "batched": batched, "single": single, "single_cpu": single_cpu}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=["dev", "holdout", "all"], default="all")
    ap.add_argument("--detectors", default="detect.lingua,detect.langdetect,lingua-3")
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--no-startup", action="store_true", help="skip the fresh-process start-up timing")
    args = ap.parse_args()
    names = args.detectors.split(",")
    summary: dict[str, dict] = {}
    for set_name in (["dev", "holdout"] if args.set == "all" else [args.set]):
        rows = load(SETS[set_name])
        results = {n: evaluate(n, rows, args.errors) for n in names}
        keys = sorted({k for r in results.values() for k in r["by"]},
                      key=lambda k: (not k.startswith("core"), not k.startswith("neigh"), not k.startswith("kk"), k))
        print(f"== {set_name} ({len(rows)} items)")
        print(f"  {'':<26}" + "".join(f"{n:>22}" for n in names))
        for key in keys:
            cells = []
            for n in names:
                ok, total = results[n]["by"].get(key, (0, 0))
                cells.append(f"{ok}/{total} {100 * ok / total:6.2f}%" if total else "-")
            print(f"  {key:<26}" + "".join(f"{c:>22}" for c in cells))
        print(f"  {'short items/s batched':<26}" + "".join(f"{results[n]['batched']:>22,.0f}" for n in names))
        print(f"  {'short items/s one by one':<26}" + "".join(f"{results[n]['single']:>22,.0f}" for n in names))
        print(f"  {'  per CPU-second':<26}" + "".join(f"{results[n]['single_cpu']:>22,.0f}" for n in names))
        summary[set_name] = {n: {k: round(v[0] / v[1], 4) for k, v in results[n]["by"].items()
                                 if not k.startswith("group")} for n in names}
    if not args.no_startup:
        print(f"  {'first answer, fresh process':<26}" + "".join(f"{first_answer_seconds(n):>21.2f}s" for n in names))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
