"""`ngo-pipeline translate FILE --to kk,ru`: one document before publication.

Flags of the pipeline's checks are printed on stderr with their severity (ERROR / WARNING; notes
only with --notes). Exit codes, as for `qa`: 0 no error flag; 1 an error flag (the translation must
not be published as it is; the output is still written); 2 a usage error; 3 the document ran past
its time budget (`--doc-timeout`, per document, the same budget as `run`: default 300 s, 0 = none).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .common import EXIT_FAILED, EXIT_OK, UsageError, build_pipeline, langs, read, with_config
from .qa import EXIT_INTERNAL, add_timeout, timeout_of


def add_parser(sub) -> None:
    p = with_config(sub.add_parser("translate", help="translate one document"))
    add_arguments(p)
    p.set_defaults(func=run)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Shared with scripts/translate.py."""
    p.add_argument("file")
    p.add_argument("--to", help="target languages, comma separated (default: the other configured ones)")
    p.add_argument("--from", dest="source", help="source language: overrides detection")
    p.add_argument("--out", help="write the translated files and the JSON record into this folder")
    p.add_argument("--json", action="store_true", help="print the Document as JSON (with segments)")
    p.add_argument("--notes", action="store_true", help="also print flags of severity info")
    add_timeout(p, "for the document", "[pipeline] doc_timeout of the config, else 300")


def run(args) -> int:
    from ..io import write_outputs
    from ..models import ModelNotFound

    from ..qa.budget import watchdog

    targets, source = langs(args.to, targets=True), (langs(args.source) or [None])[0]
    pipe = build_pipeline(args)
    budget = timeout_of(args, getattr(pipe, "doc_timeout", None))  # the run's budget per document
    doc = pipe.prepare(read(args.file), targets, source)
    # A model call cannot be interrupted by a signal: past the budget the process ends (exit 3),
    # before anything is written.
    with watchdog(budget, f"{args.file}: stopped after the time budget of {budget:g} s per document "
                  "(--doc-timeout); nothing was written", EXIT_INTERNAL):
        try:
            doc = pipe(doc)
        except ModelNotFound:  # name every model this document needs, not only the first one missing
            pipe.check_models(targets, sorted({s.lang for s in doc.segments if s.lang in pipe.languages}))
            raise
    if targets and not doc.targets:
        raise UsageError(f"{args.file}: nothing to translate: the document is already in "
                         f"{', '.join(targets)}")
    if args.out:
        paths = write_outputs(doc, Path(args.out), Path(Path(args.file).name))
        for p in paths.values():
            print(p)
    elif args.json:
        print(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2))
    else:
        for lang in doc.targets:
            if len(doc.targets) > 1:
                print(f"=== {lang} ===")
            print(doc.translation(lang))
    return report_flags(doc.flags, args.notes)


SHOWN = {"error": "ERROR", "warning": "WARNING", "info": "note"}


def report_flags(flags, notes: bool = False, out=None) -> int:
    """Print the flags, most severe first, with their severity; EXIT_FAILED when one is an error."""
    out = out or sys.stderr
    order = list(SHOWN)
    for f in sorted(flags, key=lambda f: order.index(f.severity) if f.severity in order else 1):
        if f.severity == "info" and not notes:
            continue
        where = " ".join(x for x in (f.segment, f.lang) if x)
        print(f"{SHOWN.get(f.severity, f.severity.upper()):<7} [{f.code}]{' ' + where if where else ''}: {f.message}",
              file=out)
    n_err = sum(f.severity == "error" for f in flags)
    if n_err:
        print(f"{n_err} error flag(s): check the translation before publishing it", file=out)
    return EXIT_FAILED if n_err else EXIT_OK
