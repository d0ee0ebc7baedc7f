"""`ngo-pipeline summarize FILE`: print a short summary of one document.

Through the configured pipeline: its stages run up to the one that sets the document's language,
then its summarize stage (found by its contract, `doc.summaries`; --sentences/--words override its
settings as a config would). Only the chosen sentences are translated, by the stage the summariser
declares as its translator."""
from __future__ import annotations

from .common import EXIT_OK, UsageError, langs, read, with_config


def add_parser(sub) -> None:
    p = with_config(sub.add_parser("summarize", help="print a short summary of one document"))
    p.add_argument("file")
    p.add_argument("--lang", help="language of the summary (default: the document's)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--sentences", type=int)
    g.add_argument("--words", type=int)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..pipeline import Pipeline

    name = Pipeline.from_config(args.config).setter("doc.summaries")
    if name is None:
        raise UsageError("the configuration has no summarize stage")
    size = {"sentences": args.sentences, "words": 0} if args.sentences else (
        {"words": args.words} if args.words else {})
    pipe = Pipeline.from_config(args.config, overrides={name: size} if size else None)
    doc = pipe.run_until(pipe.prepare(read(args.file)), "doc.lang")
    lang = (langs(args.lang) or [doc.lang])[0]
    translates = pipe.assigns("segment.translations")
    if lang != doc.lang and not translates:
        raise UsageError(f"a summary in {lang} needs a translate stage; the document is in {doc.lang}")
    doc = pipe[name](pipe.prepare(doc, [lang] if translates else None))
    print(doc.summaries.get(lang, ""))
    return EXIT_OK
