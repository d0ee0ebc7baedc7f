"""`ngo-pipeline translate FILE --to kk,ru`: one document before publication."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .common import EXIT_OK, UsageError, build_pipeline, langs, read, with_config


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


def run(args) -> int:
    from ..io import write_outputs
    from ..models import ModelNotFound

    targets, source = langs(args.to, targets=True), (langs(args.source) or [None])[0]
    pipe = build_pipeline(args)
    doc = pipe.prepare(read(args.file), targets, source)
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
    for f in doc.flags:
        print(f"check [{f.code}] {f.segment or ''} {f.lang or ''}: {f.message}", file=sys.stderr)
    return EXIT_OK
