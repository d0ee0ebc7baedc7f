"""`ngo-pipeline run IN_DIR --out OUT_DIR`: process every document in a folder.

A progress bar on stderr advances per document; each problem gets one line (`FAILED path:
reason`, `partial path: reason`, `skipped path: reason`); the last line counts every status.
Ctrl-C stops at once with a short message and exit code 130: the documents finished so far are
recorded (report.jsonl, resume journal), so the same command carries on where it stopped.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..registry import executors
from .common import EXIT_FAILED, EXIT_OK, UsageError, build_pipeline, langs, with_config

EXIT_INTERRUPTED = 130
ORDER = ("ok", "partial", "failed", "skipped", "unsupported", "planned")


def add_parser(sub) -> None:
    p = with_config(sub.add_parser("run", help="process every document in a folder"))
    p.add_argument("in_dir")
    p.add_argument("--out", required=True, help="output folder (created; subfolders mirrored; "
                                                "must not be the input folder nor contain it)")
    p.add_argument("--to", help="target languages, comma separated (default: the other configured ones)")
    p.add_argument("--from", dest="source", help="source language: overrides detection")
    p.add_argument("--dry-run", action="store_true", help="list what would be processed; write nothing")
    p.add_argument("--force", action="store_true", help="redo documents even when unchanged")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--executor", choices=executors.available(),
                   help="local (default) or ray: a Ray cluster (pip install 'ngo-pipeline[ray]')")
    p.add_argument("--address", help="Ray cluster address (default: $RAY_ADDRESS, else a local Ray)")
    p.add_argument("--workers", type=int, help="Ray: number of actors (default: one per node's cores / threads)")
    p.add_argument("--doc-timeout", type=float, metavar="SECONDS",
                   help="time budget per document (default 300; 0 = none)")
    p.add_argument("--doc-memory", type=float, metavar="MB",
                   help="memory budget per chunk of documents (default 2048; 0 = none)")
    p.set_defaults(func=run)


def summary(counts: dict[str, int], skipped_unchanged: int) -> str:
    parts = []
    for status in ORDER:
        n = counts.get(status, 0)
        if status == "skipped" and n:
            parts.append(f"{n} skipped" + (f" ({skipped_unchanged} unchanged)" if skipped_unchanged else ""))
        elif n or status in ("ok", "failed"):
            parts.append(f"{n} {status}")
    return ", ".join(parts)


def _tiny_hint(config: str | None) -> str:
    """Without --config, in a source checkout: the test models' config the quick start used."""
    tiny = Path(__file__).resolve().parents[2] / "models" / "tiny" / "config.toml"
    if config or not tiny.is_file():
        return ""
    return ("\n(no --config: these are the default config's models. The quick start ran with the project's "
            f"test models: add --config {tiny} — their output is not real translation; or pull the real "
            "models on a connected machine: ngo-pipeline models pull)")


def run(args) -> int:
    from tqdm import tqdm

    from ..run.local import run_folder
    from ..run.plan import RunUsageError

    targets, source = langs(args.to, targets=True), (langs(args.source) or [None])[0]
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    for name in ("doc_timeout", "doc_memory"):
        if (getattr(args, name) or 0) < 0:
            raise UsageError(f"--{name.replace('_', '-')} must not be negative")
    in_dir, out_dir = Path(args.in_dir), Path(args.out)
    from ..run.plan import check_folders

    try:  # the folders first: a wrong path is said before (not hidden behind) a missing model
        check_folders(in_dir, out_dir)
    except RunUsageError as e:
        raise UsageError(str(e)) from None
    pipe = build_pipeline(args)
    if not args.dry_run:  # the one model pre-check: every model the run may need, at once (exit 2)
        from ..errors import ModelNotFound

        try:
            pipe.check_models(targets, source)
        except ModelNotFound as e:
            raise UsageError(f"{e}\n(narrow the run with --to, or fix the [stages.translate] models)"
                             + _tiny_hint(args.config)) from None
    bar = None

    def on_plan(n: int) -> None:
        nonlocal bar
        bar = tqdm(total=n, unit="doc", file=sys.stderr, disable=args.quiet, dynamic_ncols=True)

    counts: dict[str, int] = {}
    unchanged = 0
    results = run_folder(pipe, in_dir, out_dir, targets=targets, source_lang=source, force=args.force,
                         dry_run=args.dry_run, executor=args.executor, address=args.address,
                         workers=args.workers, time_budget=args.doc_timeout, memory_mb=args.doc_memory,
                         on_plan=on_plan)
    try:
        for res in results:
            counts[res.status] = counts.get(res.status, 0) + 1
            unchanged += res.status == "skipped" and res.reason == "unchanged"
            bar.update(1)  # type: ignore[union-attr]  (on_plan ran before the first result)
            where = in_dir / res.path
            if res.status == "failed":
                tqdm.write(f"FAILED {where}: {res.error}", file=sys.stderr)
            elif res.status == "unsupported":
                tqdm.write(f"skipped {where}: {res.error}", file=sys.stderr)
            elif res.status == "partial":
                tqdm.write(f"partial {where}: {res.reason}", file=sys.stderr)
            elif res.status == "skipped" and res.reason != "unchanged":
                tqdm.write(f"skipped {where}: {res.reason}", file=sys.stderr)
            if args.dry_run:
                print(f"{res.status}: {res.path}")
    except KeyboardInterrupt:
        results.close()  # stops the worker, closes the journal and the report, releases the lock
        if bar is not None:
            bar.close()
        done = counts.get("ok", 0) + counts.get("partial", 0)
        print(f"\ninterrupted: {done} document(s) finished and recorded in {out_dir / 'report.jsonl'}; "
              "run the same command again to carry on", file=sys.stderr)
        return EXIT_INTERRUPTED
    except RunUsageError as e:
        raise UsageError(str(e)) from None
    finally:
        if bar is not None:
            bar.close()
    tail = "(dry run)" if args.dry_run else f"(report: {out_dir / 'report.jsonl'})"
    print(summary(counts, unchanged) if counts else "no input files", tail, file=sys.stderr)
    return EXIT_FAILED if counts.get("failed") else EXIT_OK
