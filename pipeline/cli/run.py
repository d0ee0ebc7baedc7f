"""`ngo-pipeline run IN_DIR --out OUT_DIR`: process every document in a folder.

A progress bar on stderr advances per document; each document to look at gets one line
(`FAILED path: error`, `partial path: reason`, `needs-review path: reason`, `skipped path:
reason`); the last line counts every status and the QA errors and warnings. Exit code 1 when a
document failed or OUT_DIR could not be written (a full disk: the message says what is missing).
Ctrl-C stops at once with a short message and exit code 130: the documents finished so far are
recorded (report.jsonl, resume journal), so the same command carries on where it stopped.

OUT_DIR keeps a run record (.ngo-pipeline-run.json: the configuration, its models' revisions, the
translation memory, the targets). Without --config a run on that folder uses the recorded
configuration; a different --config is refused unless --new-config is given.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..document import path_text
from ..registry import executors
from .common import EXIT_FAILED, EXIT_OK, UsageError, build_pipeline, langs, with_config

EXIT_INTERRUPTED = 130
ORDER = ("ok", "needs-review", "partial", "failed", "skipped", "unsupported", "planned")
SHOWN = {"failed": "FAILED", "partial": "partial", "needs-review": "needs-review"}


def add_parser(sub) -> None:
    p = with_config(sub.add_parser("run", help="process every document in a folder"))
    p.add_argument("in_dir")
    p.add_argument("--out", required=True, help="output folder (created; subfolders mirrored; "
                                                "must not be the input folder nor contain it)")
    p.add_argument("--to", help="target languages, comma separated (default: the other configured ones)")
    p.add_argument("--from", dest="source", help="source language: overrides detection")
    p.add_argument("--dry-run", action="store_true", help="list what would be processed; write nothing")
    p.add_argument("--force", action="store_true",
                   help="redo documents even when unchanged (sentences a reviewer wrote or confirmed are kept)")
    p.add_argument("--new-config", action="store_true",
                   help="OUT was written with another configuration: redo it with this --config")
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


def summary(counts: dict[str, int], unchanged: int = 0, qa: tuple[int, int] = (0, 0)) -> str:
    """`5 ok, 2 needs-review, 0 failed, 1 skipped; QA: 7 errors, 3 warnings; 6 unchanged since the last run`"""
    parts = [f"{counts.get(s, 0)} {s}" for s in ORDER if counts.get(s) or s in ("ok", "failed")]
    text = ", ".join(parts) + f"; QA: {qa[0]} error(s), {qa[1]} warning(s)"
    return text + (f"; {unchanged} unchanged since the last run" if unchanged else "")


def _line(res) -> str | None:
    """The one line a result gets on stderr, or None."""
    status = res.status.value
    if status in SHOWN:
        return f"{SHOWN[status]}{' (unchanged)' if res.unchanged else ''} {{where}}: {res.error or res.reason}"
    if status == "unsupported":
        return f"skipped {{where}}: {res.error}"
    if status == "skipped":
        return f"skipped {{where}}: {res.reason}"
    return None


def pipeline_for(args, out_dir: Path):
    """The --config's pipeline, or, without --config, the one recorded in OUT_DIR by its last run."""
    from ..run import record

    rec = record.read(out_dir)
    if args.config or not rec or not (rec.get("config") or {}).get("raw"):
        return build_pipeline(args)
    from .. import config as config_mod
    from ..pipeline import Pipeline

    cfg = rec["config"]
    print(f"using the configuration recorded in {out_dir} ({cfg.get('path')})", file=sys.stderr)
    return Pipeline.from_loaded(config_mod.from_dict(cfg["raw"], cfg.get("path") or "<config>"), cfg.get("overrides"))


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

    from ..run.driver import RunWriteError
    from ..run.local import run_folder
    from ..run.types import RunUsageError

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
    pipe = pipeline_for(args, out_dir)
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
    unchanged = errors = warnings = 0
    results = run_folder(pipe, in_dir, out_dir, targets=targets, source_lang=source, force=args.force,
                         dry_run=args.dry_run, executor=args.executor, address=args.address,
                         workers=args.workers, time_budget=args.doc_timeout, memory_mb=args.doc_memory,
                         on_plan=on_plan, new_config=args.new_config)
    write_error = None
    try:
        for res in results:
            counts[res.status.value] = counts.get(res.status.value, 0) + 1
            unchanged += res.unchanged
            if res.counts is not None:
                errors, warnings = errors + res.counts.qa_errors, warnings + res.counts.qa_warnings
            bar.update(1)  # type: ignore[union-attr]  (on_plan ran before the first result)
            if (text := _line(res)) is not None:
                tqdm.write(text.format(where=path_text(in_dir / res.path)), file=sys.stderr)
            if args.dry_run:
                print(f"{res.status}: {path_text(res.path)}")
    except RunWriteError as e:
        write_error = e
    except KeyboardInterrupt:
        results.close()  # stops the worker at once, closes the journal and the report, releases the lock
        if bar is not None:
            bar.close()
        done = sum(counts.get(s, 0) for s in ("ok", "needs-review", "partial"))
        print(f"\ninterrupted: {done} document(s) finished and recorded in {out_dir / 'report.jsonl'}; "
              "run the same command again to carry on", file=sys.stderr)
        return EXIT_INTERRUPTED
    except RunUsageError as e:
        raise UsageError(str(e)) from None
    finally:
        if bar is not None:
            bar.close()
    tail = "(dry run)" if args.dry_run else f"(report: {out_dir / 'report.jsonl'})"
    print(summary(counts, unchanged, (errors, warnings)) if counts else "no input files", tail, file=sys.stderr)
    if write_error is not None:
        print(f"error: {write_error}", file=sys.stderr)
    return EXIT_FAILED if counts.get("failed") or write_error is not None else EXIT_OK


