"""`ngo-pipeline detect FILE|-`: document and per-paragraph language; '-' reads lines from stdin."""
from __future__ import annotations

import json
import sys

from .common import EXIT_OK, build_pipeline, read, with_config


def add_parser(sub) -> None:
    p = with_config(sub.add_parser("detect", help="document and per-paragraph language; '-' reads lines from stdin"))
    p.add_argument("file")
    p.add_argument("--from", dest="source", help="force this language")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def _detector(args):
    """The configured detect stage (or detect.lingua), built like every other stage."""
    from .. import registry

    pipe = build_pipeline(args)
    for _, stage in pipe.stages:
        if stage.factory_name.startswith("detect"):
            return stage
    det = registry.create("detect.lingua")
    det.configure(pipe.context)
    return det


def run(args) -> int:
    det = _detector(args)
    if args.file == "-":
        lines = [ln.rstrip("\n") for ln in sys.stdin]
        for text, (lang, score) in zip(lines, det.detect_many(lines), strict=True):
            print(json.dumps({"lang": lang, "score": score, "text": text}, ensure_ascii=False))
        return EXIT_OK
    from ..stages.segment import SegmentStage

    doc = read(args.file)
    if args.source:
        doc.source_lang = args.source
    det(SegmentStage()(doc))
    if args.json:
        print(json.dumps({"lang": doc.lang, "score": doc.lang_score,
                          "paragraphs": [{"index": p.index, "lang": p.lang, "score": p.score,
                                          "text": p.text} for p in doc.paragraphs]}, ensure_ascii=False))
        return EXIT_OK
    print(f"{args.file}: {doc.lang} ({doc.lang_score:.2f})")
    for p in doc.paragraphs:
        print(f"  [{p.index}] {p.lang:<7} {p.score:.2f}  {p.text[:70]}")
    return EXIT_OK
