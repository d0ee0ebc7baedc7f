#!/usr/bin/env python3
"""Translate one document before publication: the same as `ngo-pipeline translate`.

    python scripts/translate.py FILE --to kk,ru [--from en] [--out DIR] [--json] [--config FILE]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["translate", *sys.argv[1:]]))
