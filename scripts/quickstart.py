#!/usr/bin/env python3
"""Set up and run ngo-pipeline on the sample releases, on Linux, macOS or Windows: one command.

    python3 scripts/quickstart.py            # Windows: py scripts\\quickstart.py
    python3 scripts/quickstart.py --test     # then: the test suite

1. creates `.venv` and installs the project into it (`pip install -e ".[test]"`; torch is pinned
   to a CPU build);
2. checks the translation models the default config needs; if some are missing and the model hub
   can be reached, pulls them (asks first on a terminal, unless `--pull`);
3. runs `ngo-pipeline run seeds --out out`. Offline, without the real models, it runs the same job
   on the project's own tiny test models (trained once, about two minutes) and says clearly that
   their output is NOT real translation: they only prove that the machinery works.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def step(msg: str) -> None:
    print(f"\n== {msg}", flush=True)


def run(*args: str | Path, check: bool = True) -> int:
    return subprocess.run([str(a) for a in args], cwd=ROOT, check=check).returncode


def install() -> None:
    if not PY.exists():
        step(f"creating {VENV}")
        venv.create(VENV, with_pip=True)
    step("installing ngo-pipeline and its dependencies into .venv (first time: several minutes)")
    run(PY, "-m", "pip", "install", "-q", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "-q", "-e", ".[test]")


def in_venv(code: str) -> str:
    return subprocess.run([str(PY), "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def missing_models() -> list[str]:
    return in_venv(
        "from pipeline import Pipeline\n"
        "s = Pipeline.default()['translate']\n"
        "langs = ['en', 'ru', 'kk']\n"
        "print(' '.join(e.model or '' for e in s.missing_models([(a, b) for a in langs for b in langs if a != b])))"
    ).split()


def main() -> int:
    ap = argparse.ArgumentParser(description="Set up ngo-pipeline and run it on seeds/ (or the tests).")
    ap.add_argument("--test", action="store_true", help="run the test suite instead")
    ap.add_argument("--pull", action="store_true", help="pull missing models without asking")
    ap.add_argument("--offline", action="store_true", help="do not try the model hub; use the tiny models")
    ap.add_argument("--skip-install", action="store_true", help="the .venv is already set up")
    args = ap.parse_args()
    if not args.skip_install:
        install()
    if args.test:
        step("running the tests (offline; the first run trains the tiny models once)")
        return run(PY, "-m", "pytest", "-q", check=False)
    ngo = BIN / ("ngo-pipeline.exe" if os.name == "nt" else "ngo-pipeline")
    missing = missing_models()
    config: list[str] = []
    if missing and not args.offline:
        reason = in_venv("from pipeline.models import hub_reachable; print(hub_reachable() or '')").strip()
        if reason:
            print(f"models {', '.join(missing)} are not here and cannot be pulled: {reason}")
        elif args.pull or (sys.stdin.isatty() and input(
                f"Download {', '.join(missing)} (about 3 GB)? [y/N] ").strip().lower().startswith("y")):
            step(f"pulling {', '.join(missing)}")
            if run(ngo, "models", "pull", *missing, check=False) == 0:
                missing = []
    if missing:
        step("no real models here: training the project's tiny test models (once) and using them")
        run(PY, ROOT / "scripts" / "make_test_models.py")
        config = ["--config", str(ROOT / "models" / "tiny" / "config.toml")]
        print("NOTE: the tiny models only know their 21 training sentences. What they write for the "
              "sample releases is NOT a translation; it shows the pipeline working end to end. Pull "
              "the real models on a connected machine (ngo-pipeline models pull) for real output.")
    step("running: ngo-pipeline run seeds --out out")
    rc = run(ngo, "run", "seeds", "--out", "out", *config, check=False)
    print(f"\nOutputs in {ROOT / 'out'}: translations, *.json records, *.review.md sheets, report.jsonl."
          "\nLook at them in the browser: ngo-pipeline review out")
    return rc


if __name__ == "__main__":
    sys.exit(main())
