#!/usr/bin/env python3
"""Translate one document before publication: the same as `ngo-pipeline translate`.

    python scripts/translate.py FILE --to kk,ru [--from en] [--out DIR] [--json] [--config FILE]

Run it with the project's environment (`. .venv/bin/activate` first, as the quick start says);
with a Python that lacks the project's dependencies it says so in one line, not a traceback.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _no_dependencies(e: ModuleNotFoundError) -> int:
    venv = ROOT / ".venv"
    py = venv / ("Scripts/python.exe" if sys.platform.startswith("win") else "bin/python")
    how = (f"activate the project's environment first ({venv / 'Scripts' / 'activate'} on Windows, "
           f"`. {venv / 'bin' / 'activate'}` elsewhere), or run {py} {' '.join(sys.argv)}"
           if py.exists() else "set it up first: python3 scripts/quickstart.py (or see the README's quick start)")
    print(f"error: this Python ({sys.executable}) does not have the project's dependencies "
          f"(no module {e.name!r}); {how}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        from pipeline.cli import main

        code = main(["translate", *sys.argv[1:]])
    except ModuleNotFoundError as e:
        if (e.name or "").split(".")[0] == "pipeline":
            raise
        code = _no_dependencies(e)
    sys.exit(code)
