"""`ngo-pipeline detect FILE|-`: document and per-paragraph language; '-' reads lines from stdin.

Through the configured pipeline: its stages run, in order, up to the one that sets the document's
language (normalisation and segmentation as configured; `--from` as `Pipeline.prepare` sets it)."""
from __future__ import annotations

import json
import sys

from .common import EXIT_OK, UsageError, build_pipeline, read, with_config


def add_parser(sub) -> None:
    p = with_config(sub.add_parser("detect", help="document and per-paragraph language; '-' reads lines from stdin"))
    p.add_argument("file")
    p.add_argument("--from", dest="source", help="force this language")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..document import Document

    pipe = build_pipeline(args)
    if pipe.setter("doc.lang") is None:
        raise UsageError("the configuration has no stage that detects the language (add a detect stage)")
    if args.file == "-":
        for line in (ln.rstrip("\n") for ln in sys.stdin):
            doc = pipe.run_until(pipe.prepare(Document.from_text(line), source_lang=args.source), "doc.lang")
            print(json.dumps({"lang": doc.lang, "score": doc.lang_score, "text": line}, ensure_ascii=False))
        return EXIT_OK
    doc = pipe.run_until(pipe.prepare(read(args.file), source_lang=args.source), "doc.lang")
    if args.json:
        print(json.dumps({"lang": doc.lang, "score": doc.lang_score,
                          "paragraphs": [{"index": p.index, "lang": p.lang, "score": p.score,
                                          "text": p.text} for p in doc.paragraphs]}, ensure_ascii=False))
        return EXIT_OK
    print(f"{args.file}: {doc.lang} ({doc.lang_score:.2f})")
    for p in doc.paragraphs:
        print(f"  [{p.index}] {p.lang:<7} {p.score:.2f}  {p.text[:70]}")
    return EXIT_OK
