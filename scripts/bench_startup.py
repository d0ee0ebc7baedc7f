#!/usr/bin/env python3
"""Start-up cost of the one-release-before-publication use (issue 9's "fast start").

    python scripts/bench_startup.py [--runs 5] [--release seeds/cadap_forum_almaty_en.txt]

Runs `ngo-pipeline translate RELEASE --to ru,kk` in fresh processes on the project's tiny models,
first once to fill a new translation memory, then `--runs` times with every sentence in the memory,
and prints the median wall time, the CPU time, and which heavy libraries were imported (none of
torch/transformers should be: with every sentence in the memory no model loads). Also `--engine ct2`
(converted tiny models: translating a new sentence must not import torch either). `scripts/bench.py
--startup` prints the same.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROBE = ("import sys, json\n"
         "from pipeline.cli import main\n"
         "rc = main(sys.argv[1:])\n"
         "heavy = sorted(m for m in ('torch', 'transformers', 'ctranslate2') if m in sys.modules)\n"
         "print('HEAVY=' + json.dumps(heavy), file=sys.stderr)\n"
         "sys.exit(rc)\n")


def one_run(args: list[str]) -> tuple[float, float, list[str]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"translate failed ({r.returncode}): {r.stderr[-2000:]}")
    heavy = json.loads(r.stderr.rsplit("HEAVY=", 1)[1].splitlines()[0])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, heavy


def config(models: Path, tmp: Path, engine: str) -> Path:
    text = (models / "config.toml").read_text(encoding="utf-8")
    for name in ("marian-en-ru", "marian-ru-en", "marian-en-kk", "marian-kk-en", "nllb-tiny", "bart-sum-en"):
        text = text.replace(f'"{name}"', json.dumps(str(models / name)))
    text = re.sub(r'(?m)^cache = ".*"$', lambda m: f"cache = {json.dumps(str(tmp / 'tm.sqlite'))}\nengine = "
                  f'"{engine}"' + ('\ncompute_type = "float32"' if engine == "ct2" else ""), text)
    assert f'engine = "{engine}"' in text, "the tiny models' config has no cache line to replace"
    path = tmp / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def measure(release: Path, runs: int, engine: str) -> dict:
    import importlib.util

    spec = importlib.util.spec_from_file_location("mtm", ROOT / "scripts" / "make_test_models.py")
    mtm = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mtm)
    models = mtm.ensure(log=lambda m: print(m, file=sys.stderr))
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if engine == "ct2":  # converted copies (the conversion itself uses transformers: done here)
            from pipeline import models as model_store

            for name in ("marian-en-ru", "marian-ru-en", "nllb-tiny"):
                shutil.copytree(models / name, tmp / name)
                model_store.convert(model_store.resolve(str(tmp / name)), "float32")
            for name in ("marian-en-kk", "marian-kk-en", "bart-sum-en", "config.toml"):
                src = models / name
                (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp / name)
            models = tmp
        cfg = config(models, tmp, engine)
        args = ["translate", str(release), "--to", "ru,kk", "--config", str(cfg)]
        first = one_run(args)
        rest = [one_run(args) for _ in range(runs)]
    return {"engine": engine, "first_wall": first[0], "first_heavy": first[2],
            "wall_median": statistics.median(r[0] for r in rest), "wall_min": min(r[0] for r in rest),
            "cpu_median": statistics.median(r[1] for r in rest), "heavy": sorted({m for r in rest for m in r[2]})}


def report(res: dict) -> None:
    print(f"engine={res['engine']}: first run (memory empty) {res['first_wall']:.2f} s, imported "
          f"{', '.join(res['first_heavy']) or 'no torch/transformers'}")
    print(f"  every sentence in the memory: wall median {res['wall_median']:.2f} s (min {res['wall_min']:.2f} s), "
          f"CPU {res['cpu_median']:.2f} s, imported {', '.join(res['heavy']) or 'no torch/transformers/ctranslate2'}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--release", type=Path, default=ROOT / "seeds" / "cadap_forum_almaty_en.txt")
    ap.add_argument("--engine", choices=["hf", "ct2", "both"], default="both")
    ap.add_argument("--no-langid-cache", action="store_true",
                    help="without the on-disk language-id scores (every run loads lingua's models)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:  # a fresh score cache: the first run fills it
        os.environ["NGO_PIPELINE_LANGID_CACHE"] = "" if args.no_langid_cache else str(Path(d) / "langid.sqlite")
        run_all(args)


def run_all(args) -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work slows every figure); "
          f"language-id score cache {'off' if args.no_langid_cache else 'on'}")
    for engine in (["hf", "ct2"] if args.engine == "both" else [args.engine]):
        report(measure(args.release, args.runs, engine))


if __name__ == "__main__":
    main()
