"""`ngo-pipeline qa`: publication QA of any translation (an agency's, a colleague's, the pipeline's).

    ngo-pipeline qa - --json < pairs.jsonl        # {"source","translation","src_lang","tgt_lang","id"?} per line
    ngo-pipeline qa SOURCE TRANSLATION [--from en] [--to kk] [--glossary FILE] [--dnt FILE] [--out sheet.md]

Exit code 0 when no flag of severity error was found, 1 when one was, 2 on usage errors (a missing
glossary file, an unknown language on the command line, a file that cannot be read).
"""
from __future__ import annotations

import json
import sys

from ..languages import SUPPORTED
from .common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError

REQUIRED = ("source", "translation", "src_lang", "tgt_lang")


def add_parser(sub) -> None:
    p = sub.add_parser("qa", help="check a translation before publication (numbers, links, names, "
                                  "language, omissions, loops, glossary)")
    p.add_argument("source", help="source document (.txt .md .docx .html), or '-' for JSON lines on stdin")
    p.add_argument("translation", nargs="?", help="the translated document")
    p.add_argument("--from", dest="src_lang", help="source language (default: detected)")
    p.add_argument("--to", dest="tgt_lang", help="translation language (default: detected)")
    p.add_argument("--glossary", help="TSV/CSV glossary: 'source<TAB>target' or a header row of language codes")
    p.add_argument("--dnt", help="do-not-translate list: one term per line")
    p.add_argument("--json", action="store_true", help="JSON lines out (one line per input line or per unit)")
    p.add_argument("--out", help="write a Markdown review sheet here (documents)")
    p.add_argument("--no-detect", action="store_true", help="skip the language checks (no detector)")
    p.set_defaults(func=run)


def _engine(args):
    from ..qa import GlossaryError, QAEngine

    for code in (args.src_lang, args.tgt_lang):
        if code and code not in SUPPORTED:
            raise UsageError(f"unknown language {code!r}; expected {', '.join(SUPPORTED)}")
    try:
        return QAEngine(glossary=args.glossary, dnt=args.dnt, detect=not args.no_detect)
    except GlossaryError as e:
        raise UsageError(str(e)) from None


def run(args) -> int:
    engine = _engine(args)
    if args.source == "-":
        if args.translation:
            raise UsageError("'-' reads JSON lines from stdin; give no translation file with it")
        return run_jsonl(engine, sys.stdin, sys.stdout, sys.stderr)
    if not args.translation:
        raise UsageError("give SOURCE_FILE TRANSLATION_FILE, or '-' for JSON lines on stdin")
    from ..io import ReadError
    from ..qa.documents import check_documents, review_sheet

    try:
        report = check_documents(engine, args.source, args.translation, args.src_lang, args.tgt_lang)
    except (ReadError, ValueError) as e:
        raise UsageError(str(e)) from None
    if args.json:
        for unit in report.units:
            print(json.dumps(unit.to_dict(), ensure_ascii=False))
    else:
        print(report.text_summary())
    if args.out:
        from pathlib import Path

        from ..io.atomic import atomic_write

        atomic_write(Path(args.out), review_sheet(report))
        print(f"review sheet: {args.out}", file=sys.stderr)
    return EXIT_FAILED if report.has_error else EXIT_OK


BATCH = 2000  # lines checked together (one detector call); output is written batch by batch


def run_jsonl(engine, stdin, stdout, stderr) -> int:
    """One output line per input line, in order. A bad line gets a `bad-input` error flag (and a
    message naming its line number on stderr); the other lines are still checked. Lines are read
    and answered in batches, so memory stays bounded on long inputs."""
    failed = False
    batch: list = []
    for n, line in enumerate(stdin, start=1):
        if line.strip():
            batch.append(_parse(n, line, stderr))
        if len(batch) >= BATCH:
            failed |= _answer(engine, batch, stdout)
            batch = []
    if batch:
        failed |= _answer(engine, batch, stdout)
    return EXIT_FAILED if failed else EXIT_OK


def _parse(n: int, line: str, stderr):
    """(id, Pair, None) for a good line, (id or None, None, bad-input flag) for a bad one."""
    from ..qa import Pair, QAFlag

    obj = None
    try:
        obj = json.loads(line)
        if not isinstance(obj, dict):
            raise ValueError("a line must be a JSON object")  # noqa: TRY004 - reported like bad JSON
        missing = [k for k in REQUIRED if not isinstance(obj.get(k), str)]
        if missing:
            raise ValueError(f"missing or non-string field(s): {', '.join(missing)}")
        rid = obj.get("id")
        return rid, Pair(obj["source"], obj["translation"], obj["src_lang"], obj["tgt_lang"],
                         None if rid is None else str(rid)), None
    except ValueError as e:  # json.JSONDecodeError is a ValueError
        msg = f"line {n}: {e}"
        print(f"error: stdin {msg}", file=stderr)
        return (obj.get("id") if isinstance(obj, dict) else None), None, QAFlag("bad-input", "error", msg)


def _answer(engine, records: list, stdout) -> bool:
    results = iter(engine.check([p for _, p, _ in records if p is not None]))
    failed = False
    for rid, pair, bad in records:
        flags = [bad] if pair is None else next(results)
        failed |= any(f.severity == "error" for f in flags)
        out = {} if rid is None else {"id": rid}
        out["flags"] = [f.to_dict() for f in flags]
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    stdout.flush()
    return failed


__all__ = ["EXIT_USAGE", "add_parser", "run", "run_jsonl"]
