"""`ngo-pipeline review OUT_DIR [--port N] [--export review.html]`: review a run's outputs in the
browser (side by side, flags, editing, confirming; saves re-write the outputs and feed the human
translation memory), or write a read-only, self-contained HTML export.

The memory is the one the run recorded in OUT_DIR (.ngo-pipeline-run.json), so that post-edits
go where the next run looks; a --config naming another memory is refused."""
from __future__ import annotations

import sys
from pathlib import Path

from .common import EXIT_OK, UsageError, with_config


def add_parser(sub) -> None:
    p = with_config(sub.add_parser("review", help="review and post-edit a run's outputs in the browser"))
    p.add_argument("out_dir", help="the OUT_DIR of a run (report.jsonl and the JSON records)")
    p.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765; 0: any free port)")
    p.add_argument("--export", metavar="FILE.html", help="write a read-only self-contained HTML file and exit")
    p.add_argument("--no-memory", action="store_true",
                   help="do not open the translation memory (no fuzzy matches; edits only go to the outputs)")
    p.set_defaults(func=run)


def run(args) -> int:
    out_dir = Path(args.out_dir)
    if not out_dir.is_dir():
        raise UsageError(f"{out_dir}: not a folder (give the OUT_DIR of `ngo-pipeline run`)")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: must be 0-65535")
    from ..run import record

    rec = record.read(out_dir) or {}
    recorded_config = (rec.get("config") or {}).get("path")
    config = args.config or (recorded_config if recorded_config and Path(recorded_config).is_file() else None)
    memory = None
    if not args.no_memory:
        from .tm import _has_human_table, open_human_memory, recorded_memory

        if rec.get("config") and recorded_memory(out_dir, args.config) is None:
            print("the run used no translation memory: edits go to the outputs only", file=sys.stderr)
        else:
            try:  # the export only reads the memory; the live page writes post-edits into it
                memory = open_human_memory(args.config, read_only=bool(args.export), out_dir=out_dir)
            except UsageError as e:
                raise UsageError(f"{e}; or review without it: --no-memory") from None
            if args.export and not (memory.path.exists() and _has_human_table(memory)):
                memory = None  # no human translations yet: nothing to show from it
    from ..review.overview import overview, text_table
    from ..review.store import RunStore

    print(text_table(overview(RunStore(out_dir))), file=sys.stderr)  # the batch at a glance
    if args.export:
        from ..review.export import export_html

        n = export_html(out_dir, args.export, memory)
        print(f"{args.export}: {n} document(s)")
        return EXIT_OK
    from ..review.app import create_app, qa_recheck, serve

    app = create_app(out_dir, memory, recheck=qa_recheck(config))
    if memory is not None:
        print(f"translation memory: {memory.path}", file=sys.stderr)
    try:
        serve(app, args.port)
    except OSError as e:
        raise UsageError(f"cannot listen on 127.0.0.1:{args.port}: {e.strerror or e}") from None
    except KeyboardInterrupt:
        pass
    return EXIT_OK
