#!/usr/bin/env python3
"""Set up and run ngo-pipeline on the sample releases: one command, then the next ones it prints.

    python3 scripts/quickstart.py            # Windows: py scripts\\quickstart.py
    python3 scripts/quickstart.py --test     # then: the test suite

1. creates `.venv` (Python's own `venv`) and installs torch's CPU build into it the way PyTorch's
   install page says (`--index-url https://download.pytorch.org/whl/cpu` on Linux and Windows;
   macOS wheels on PyPI have no CUDA), then the project (`pip install -e ".[test]"`);
2. checks the translation models the default config needs; if some are missing and the model hub
   can be reached, pulls them (asks first on a terminal, unless `--pull`);
3. runs `ngo-pipeline run seeds --out out`. Without the real models it runs the same job with the
   project's tiny test models (committed in models/tiny: nothing to train) and says clearly that
   their output is NOT real translation: they only prove that the machinery works;
4. prints the exact commands to go on: activate `.venv`, review the outputs, run again.

Only the standard library is used here, so it runs with any Python 3.11+ before anything is
installed. Written for Linux, macOS and Windows; CI runs it on Linux only.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TORCH = "torch==2.13.0"  # the version pyproject.toml pins
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
TINY_CONFIG = Path("models") / "tiny" / "config.toml"


class Env:
    """Where the environment is and how its programs are called, per OS."""

    def __init__(self, root: Path, platform: str = sys.platform):
        self.root, self.windows = root, platform.startswith("win")
        self.bin = root / ("Scripts" if self.windows else "bin")
        self.python = self.bin / ("python.exe" if self.windows else "python")
        self.ngo = self.bin / ("ngo-pipeline.exe" if self.windows else "ngo-pipeline")


def torch_command(py: Path | str, platform: str = sys.platform, index: str | None = TORCH_CPU_INDEX) -> list[str]:
    """pip's command for torch's CPU build, as PyTorch's install page gives it: from PyTorch's CPU
    index on Linux (PyPI's Linux wheels pull several GB of CUDA libraries) and Windows; from the
    configured index on macOS (no CUDA there) or when `index` is None (not reachable)."""
    cmd = [str(py), "-m", "pip", "install", TORCH]
    if index and not platform.startswith("darwin"):
        cmd += ["--index-url", index]
    return cmd


def reachable(url: str, timeout: float = 5.0) -> bool:
    """One quick try (no minutes of pip retries against an index that is not there)."""
    import urllib.error
    import urllib.request

    try:
        urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=timeout).close()
        return True
    except urllib.error.HTTPError:  # the server answered (even "405 method not allowed"): it is there
        return True
    except Exception:
        return False


def next_steps(config: str | None, venv_dir: Path | None = None, root: Path = ROOT,
               platform: str = sys.platform) -> str:
    """The exact commands to go on from here, for this OS."""
    cfg = f" --config {config}" if config else ""
    where = venv_dir or root / ".venv"
    try:
        where = where.relative_to(root)
    except ValueError:
        pass
    if platform.startswith("win"):
        win = str(where).replace("/", "\\")
        activate = [f"  {win}\\Scripts\\activate", f"  (PowerShell: {win}\\Scripts\\Activate.ps1)"]
    else:
        activate = [f"  . {where.as_posix()}/bin/activate"]
    return "\n".join([
        "Next, in a terminal:",
        f"  cd {root}",
        *activate,
        "then look at the outputs in your browser (check, edit, save):",
        f"  ngo-pipeline review out{cfg}",
        "run again (unchanged documents are skipped; your edits are kept):",
        f"  ngo-pipeline run seeds --out out{cfg}",
        "and on your own releases" + (", once the real models are here (ngo-pipeline models pull, on a "
                                      "connected machine):" if config else ":"),
        "  ngo-pipeline run YOUR_FOLDER --out YOUR_OUT",
    ])


class Step:
    """One numbered step with a plain progress line (elapsed seconds) and its time at the end."""

    def __init__(self, n: int, total: int, title: str):
        self.label, self.start, self._stop = f"[{n}/{total}] {title}", time.monotonic(), threading.Event()
        print(f"\n{self.label} ...", flush=True)

    def elapsed(self) -> str:
        s = int(time.monotonic() - self.start)
        return f"{s // 60} min {s % 60:02d} s" if s >= 60 else f"{s} s"

    def ticking(self, every: float):
        if getattr(self, "_ticking", False):
            return self
        self._ticking = True

        def tick():
            while not self._stop.wait(every):
                print(f"    ... still working ({self.elapsed()})", flush=True)
        threading.Thread(target=tick, daemon=True).start()
        return self

    def done(self, what: str = "done") -> None:
        self._stop.set()
        print(f"    {what} in {self.elapsed()}", flush=True)


def pip(env: Env, args: list[str], log: Path, step: Step, fatal: bool = True) -> bool:
    """pip with its output in a log file (shown if it fails) and a progress line meanwhile. A
    failure ends the quick start (with the log's tail), or returns False when not `fatal`."""
    step.ticking(15)
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(args)}\n")
        out.flush()
        rc = subprocess.run(args, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT).returncode
    if rc and not fatal:
        return False
    if rc:
        step.done("FAILED")
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-25:]
        sys.exit("\n".join(tail) + f"\n\npip failed (exit {rc}); the whole log: {log}")
    return True


def install(env: Env, torch_index: str | None, total: int) -> None:
    step = Step(1, total, f"Python environment {env.root.name}")
    if env.python.exists():
        step.done("already there")
    else:
        venv.create(env.root, with_pip=True)
        step.done("created")
    log = env.root / "quickstart-install.log"
    step = Step(2, total, "torch, CPU build (first time: downloads a few hundred MB)")
    if subprocess.run([str(env.python), "-c", f"import torch; assert torch.__version__.startswith('{TORCH[7:]}')"],
                      capture_output=True).returncode == 0:
        step.done("already installed")
    else:
        if torch_index and not sys.platform.startswith("darwin") and not reachable(torch_index + "/torch/"):
            print(f"    {torch_index} cannot be reached: installing torch from your configured package index "
                  "instead (on Linux, PyPI's torch brings several GB of CUDA libraries; a local index or "
                  "wheel folder of the CPU build avoids that)", flush=True)
            torch_index = None
        if not pip(env, torch_command(env.python, index=torch_index), log, step, fatal=not torch_index):
            print(f"    torch could not be installed from {torch_index} (see {log}); trying your configured "
                  "package index instead", flush=True)
            pip(env, torch_command(env.python, index=None), log, step)
        step.done()
    step = Step(3, total, "ngo-pipeline and its dependencies (first time: several minutes)")
    pip(env, [str(env.python), "-m", "pip", "install", "-e", ".[test]"], log, step)
    step.done()


def in_env(env: Env, code: str) -> str:
    return subprocess.run([str(env.python), "-c", code], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def missing_models(env: Env) -> list[str]:
    return in_env(env, (
        "from pipeline import Pipeline\n"
        "s = Pipeline.default()['translate']\n"
        "langs = ['en', 'ru', 'kk']\n"
        "print(' '.join(e.model or '' for e in s.missing_models([(a, b) for a in langs for b in langs if a != b])))"
    )).split()


def choose_models(env: Env, args) -> str | None:
    """None: the real models are here (or were pulled); else the tiny test models' config."""
    missing = missing_models(env)
    if missing and not args.offline:
        reason = in_env(env, "from pipeline.models import hub_reachable; print(hub_reachable() or '')").strip()
        if reason:
            print(f"    models {', '.join(missing)} are not here and cannot be pulled: {reason}")
        elif args.pull or (sys.stdin.isatty() and input(
                f"Download {', '.join(missing)} (about 3 GB)? [y/N] ").strip().lower().startswith("y")):
            if subprocess.run([str(env.ngo), "models", "pull", *missing], cwd=ROOT).returncode == 0:
                return None
    if not missing:
        return None
    if not (ROOT / TINY_CONFIG).is_file():
        sys.exit(f"{TINY_CONFIG} is missing from this checkout (the project commits it): restore it with "
                 "`git checkout -- models/tiny`, or rebuild it with `python scripts/make_test_models.py`")
    print("    no real translation models here: using the project's tiny TEST models (models/tiny).\n"
          "    NOTE: they only know their 21 training sentences. What they write for the sample releases\n"
          "    is NOT a translation; it shows the pipeline working end to end. Every output says so.\n"
          "    For real output pull the real models on a connected machine: ngo-pipeline models pull")
    return TINY_CONFIG.as_posix()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Set up ngo-pipeline and run it on seeds/ (or the tests).")
    ap.add_argument("--test", action="store_true", help="run the test suite instead")
    ap.add_argument("--pull", action="store_true", help="pull missing models without asking")
    ap.add_argument("--offline", action="store_true", help="do not try the model hub; use the tiny models")
    ap.add_argument("--skip-install", action="store_true", help="the environment is already set up")
    ap.add_argument("--venv", type=Path, default=ROOT / ".venv", help="the environment (default: .venv)")
    ap.add_argument("--torch-index", default=TORCH_CPU_INDEX,
                    help=f"where torch's CPU build comes from (default {TORCH_CPU_INDEX}; '' = your pip index)")
    args = ap.parse_args(argv)
    env = Env(args.venv)
    total = 3 + (0 if args.test else 1)
    began = time.monotonic()
    if not args.skip_install:
        install(env, args.torch_index or None, total)
    elif not env.python.exists():
        sys.exit(f"--skip-install: no environment at {env.root} (run without --skip-install first)")
    if args.test:
        print("\nrunning the tests (offline)", flush=True)
        return subprocess.run([str(env.python), "-m", "pytest", "-q"], cwd=ROOT).returncode
    step = Step(total, total, "ngo-pipeline run seeds --out out")
    config = choose_models(env, args)
    cmd = [str(env.ngo), "run", "seeds", "--out", "out", *(["--config", config] if config else [])]
    print(f"    $ ngo-pipeline {' '.join(cmd[1:])}", flush=True)
    rc = subprocess.run(cmd, cwd=ROOT).returncode
    step.done("finished" if rc in (0, 1) else f"stopped (exit {rc})")
    minutes = (time.monotonic() - began) / 60
    print(f"\nOutputs in {ROOT / 'out'}: the translations, a .json record and a .review.md sheet per "
          f"release, and report.jsonl (all steps: {minutes:.1f} min).")
    if config:
        print("They were made with the TEST models: not real translations.")
    print("\n" + next_steps(config, env.root))
    return rc


if __name__ == "__main__":
    sys.exit(main())
