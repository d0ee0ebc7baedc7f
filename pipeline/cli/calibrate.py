"""`ngo-pipeline calibrate`: what scores correct translations get from each installed model, so that
the `low-confidence` flag can say how unusual a translation's score is.

    ngo-pipeline calibrate --config CFG                    # from the memory's human translations
    ngo-pipeline calibrate --config CFG --pairs FILE.tsv --into-model   # public parallel data

From the memory: the calibration part of the human translations (`memory/holdout.py`: about 20%,
never used by `ngo-pipeline eval`), stored in the memory (table `calibration`), per model and
direction. From `--pairs` (a TSV whose header row names the language of each column, e.g.
"en<TAB>ru<TAB>kk"; every row the same sentence in each): stored in the memory, or with
`--into-model` in each model folder's calibration.json (how the defaults of a model are made).
Directions with fewer than 20 scorable pairs are not calibrated (said on stderr).
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

from .common import EXIT_FAILED, EXIT_OK, UsageError, with_config


def add_parser(sub) -> None:
    p = with_config(sub.add_parser("calibrate", help="rank model scores against correct translations "
                                                     "(for the low-confidence flag)"))
    p.add_argument("--pairs", help="TSV of correct translations; header row: the column languages")
    p.add_argument("--into-model", action="store_true",
                   help="write each model folder's calibration.json instead of the memory")
    p.set_defaults(func=run)


def read_pairs(path: Path) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """{(src, tgt): [(source, target)]} from a TSV with a header row of language codes (a leading
    '#' and text after the code in a header cell are allowed)."""
    from ..languages import SUPPORTED as SUPPORTED_LANGUAGES

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"{path}: cannot be read ({e})") from None
    if not lines:
        raise UsageError(f"{path}: empty")
    header = [(c.strip().lstrip("#").split() or [""])[0] for c in lines[0].split("\t")]
    bad = [c for c in header if c not in SUPPORTED_LANGUAGES]
    if bad or len(header) < 2:
        raise UsageError(f"{path}: line 1 must name the columns' languages ({', '.join(SUPPORTED_LANGUAGES)}), "
                         f"not {lines[0][:80]!r}")
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != len(header):
            raise UsageError(f"{path}: line {n} has {len(cells)} columns, the header {len(header)}")
        for i, a in enumerate(header):
            for b, text in zip(header[i + 1:], cells[i + 1:], strict=True):
                if cells[i].strip() and text.strip():
                    out.setdefault((a, b), []).append((cells[i].strip(), text.strip()))
    return out


def memory_pairs(memory_path: Path) -> dict[tuple[str, str], list[tuple[str, str]]]:
    from ..memory.holdout import split
    from ..memory.human import HumanMemory

    if not memory_path.is_file():
        raise UsageError(f"{memory_path}: no translation memory (import human translations with "
                         "ngo-pipeline tm import, or give --pairs)")
    import sqlite3

    try:
        calib, _ = split(HumanMemory(memory_path, read_only=True).entries())
    except sqlite3.Error as e:
        if "no such table" not in str(e):
            raise UsageError(f"{memory_path}: cannot read its human translations ({e})") from None
        calib = []
    if not calib:
        raise UsageError(f"{memory_path}: no human translations in its calibration part (import some with "
                         "ngo-pipeline tm import, post-edit in the review app, or give --pairs)")
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for e in calib:
        out.setdefault((e.src_lang, e.tgt_lang), []).append((e.source, e.target))
    return out


def run(args) -> int:
    from ..pipeline import Pipeline
    from ..translate import calibration
    from ..translate.confidence import DEFAULT_THRESHOLD, calibrate

    pipe = Pipeline.from_config(args.config)
    stage = next((s for _, s in pipe.stages if "scorer" in s.provides), None)
    if stage is None:
        raise UsageError("the pipeline has no translate stage: there are no models to calibrate")
    memory = stage.memory_path()
    if args.pairs:
        pairs, source = read_pairs(Path(args.pairs)), f"{Path(args.pairs).name}"
    else:
        if memory is None:
            raise UsageError("the translate stage has no memory (cache = \"\"); give --pairs")
        pairs, source = memory_pairs(memory), "the memory's human translations (calibration part)"
    done, problems = calibrate(stage.confidence().legs, pairs, source)
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)
    for ref, cal in done:
        if args.into_model:
            where = calibration.write_model_file(ref.path, ref.name, [cal])
        elif memory is None:
            raise UsageError("the translate stage has no memory (cache = \"\"); use --into-model")
        else:
            calibration.write_memory(memory, ref.identity, [cal])
            where = memory
        q, pct = cal.quantiles, DEFAULT_THRESHOLD
        how = (f"rank: below the k-th lowest, k = {cal.rank_k(pct)}" if cal.rank_k(pct) else
               f"far-out fence: under {math.ceil(100 / pct) - 1} pairs, too few for a {pct}% rank")
        print(f"{cal.direction} {ref.name}: {cal.n} correct pairs; score median {q[50]:.4f}, lowest {q[0]:.4f}; "
              f"flagged below {cal.threshold(pct):.4f} ({how}) -> {where}")
    return EXIT_OK if done else EXIT_FAILED


__all__ = ["add_parser", "read_pairs", "run"]
