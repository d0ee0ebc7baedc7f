"""`ngo-pipeline run IN_DIR --out OUT_DIR`: process every document in a folder."""
from __future__ import annotations

import sys
from pathlib import Path

from .common import EXIT_FAILED, EXIT_OK, UsageError, build_pipeline, langs, with_config


def add_parser(sub) -> None:
    p = with_config(sub.add_parser("run", help="process every document in a folder"))
    p.add_argument("in_dir")
    p.add_argument("--out", required=True, help="output folder (created; subfolders mirrored)")
    p.add_argument("--to", help="target languages, comma separated (default: the other configured ones)")
    p.add_argument("--from", dest="source", help="source language: overrides detection")
    p.add_argument("--dry-run", action="store_true", help="list what would be processed; write nothing")
    p.add_argument("--force", action="store_true", help="redo documents even when unchanged")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args) -> int:
    from tqdm import tqdm

    from ..run.local import discover

    targets, source = langs(args.to), (langs(args.source) or [None])[0]
    pipe = build_pipeline(args)
    in_dir, out_dir = Path(args.in_dir), Path(args.out)
    if not in_dir.is_dir():
        raise UsageError(f"{in_dir}: input folder does not exist")
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: output path exists and is not a folder")
    if not args.dry_run:
        pipe.warm_up()  # a missing model is a usage error, reported once, not once per document
    total = len(discover(in_dir, out_dir))
    counts: dict[str, int] = {}
    bar = tqdm(total=total, unit="doc", file=sys.stderr, disable=args.quiet, dynamic_ncols=True)
    for res in pipe.run_folder(in_dir, out_dir, targets=targets, source_lang=source,
                               force=args.force, dry_run=args.dry_run):
        counts[res.status] = counts.get(res.status, 0) + 1
        bar.update(1)
        if res.status == "failed":
            tqdm.write(f"FAILED {in_dir / res.path}: {res.error}", file=sys.stderr)
        elif res.status == "unsupported":
            tqdm.write(f"skipped {in_dir / res.path}: {res.error}", file=sys.stderr)
        elif args.dry_run:
            print(f"{res.status}: {res.path}")
    bar.close()
    print(", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no input files",
          f"(report: {out_dir / 'report.jsonl'})" if not args.dry_run else "(dry run)", file=sys.stderr)
    return EXIT_FAILED if counts.get("failed") else EXIT_OK
