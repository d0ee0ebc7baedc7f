"""`ngo-pipeline summarize FILE`: print a short summary of one document."""
from __future__ import annotations

from .common import EXIT_OK, UsageError, build_pipeline, langs, read, with_config


def add_parser(sub) -> None:
    p = with_config(sub.add_parser("summarize", help="print a short summary of one document"))
    p.add_argument("file")
    p.add_argument("--lang", help="language of the summary (default: the document's)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--sentences", type=int)
    g.add_argument("--words", type=int)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..stages.summarize import ExtractiveSummarizer

    pipe = build_pipeline(args)
    doc = read(args.file)
    summarizer = next((s for _, s in pipe.stages if isinstance(s, ExtractiveSummarizer)), None)
    if summarizer is None:
        raise UsageError("the configuration has no summarize stage")
    for _, stage in pipe.stages:  # segment and detect only: translation happens for the summary alone
        if stage.factory_name.startswith(("segment", "detect")):
            doc = stage(doc)
    lang = (langs(args.lang) or [doc.lang])[0]
    doc.targets = [lang] if lang != doc.lang else []
    summarizer.warm_up()
    out = summarizer.summarize(doc, sentences=args.sentences, words=args.words)
    print(out.get(lang, ""))
    return EXIT_OK
