"""`ngo-pipeline qa`: publication QA of any translation (an agency's, a colleague's, the pipeline's).

    ngo-pipeline qa - --json < pairs.jsonl        # {"source","translation","src_lang","tgt_lang","id"?} per line
    ngo-pipeline qa SOURCE TRANSLATION [--from en] [--to kk] [--glossary FILE] [--dnt FILE] [--out sheet.md]

Exit codes: 0 no flag of severity error; 1 an error flag was found (the translation needs fixing);
2 a usage error (a missing glossary file, an unknown language on the command line, a file that
cannot be read); 3 QA itself could not finish a pair or document (a check failed: `qa-internal`, or
the time budget ran out: `qa-timeout`), which outranks 1: the answer is incomplete, not negative.
Every input line is still answered. Time budget: `--doc-timeout` seconds per pair (JSON lines) or per
document (two files), the same budget as `run` (default 300, 0 = none).
"""
from __future__ import annotations

import json
import sys

from ..languages import SUPPORTED
from .common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError

EXIT_INTERNAL = 3  # QA could not finish a pair or a document (qa-internal, qa-timeout)
INCOMPLETE = ("qa-internal", "qa-timeout")
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
    add_timeout(p, "per pair (JSON lines) or per document")
    from .model_score import add_options  # --model-score --config (model confidence, issue 22)

    add_options(p)
    p.set_defaults(func=run)


def add_timeout(p, what: str, default: str = "") -> None:
    """--doc-timeout, as `run` has it (shared with `translate`)."""
    from ..qa.budget import DEFAULT_TIMEOUT_S

    p.add_argument("--doc-timeout", type=float, metavar="SECONDS",
                   help=f"time budget {what} (default {default or f'{DEFAULT_TIMEOUT_S:g}'}, as for run; 0 = none)")


def timeout_of(args, default: float | None = None) -> float:
    from ..qa.budget import DEFAULT_TIMEOUT_S

    t = args.doc_timeout
    if t is None:
        return float(DEFAULT_TIMEOUT_S if default is None else default)
    if not t == t or t < 0:  # NaN compares unequal to itself
        raise UsageError("--doc-timeout must be a number of seconds, 0 or more")
    return float(t)


def exit_code(flags) -> int:
    codes = {f.code for f in flags} | {f.severity for f in flags}
    if codes & set(INCOMPLETE):
        return EXIT_INTERNAL
    return EXIT_FAILED if "error" in codes else EXIT_OK


def _engine(args):
    from ..qa import GlossaryError, QAEngine

    for code in (args.src_lang, args.tgt_lang):
        if code and code not in SUPPORTED:
            raise UsageError(f"unknown language {code!r}; expected {', '.join(SUPPORTED)}")
    try:
        return QAEngine(glossary=args.glossary, dnt=args.dnt, detect=not args.no_detect,
                        time_budget=timeout_of(args))
    except GlossaryError as e:
        raise UsageError(str(e)) from None


def run(args) -> int:
    from .model_score import scorer_of, units_scored

    engine = _engine(args)
    scorer = scorer_of(args)
    if args.source == "-":
        if args.translation:
            raise UsageError("'-' reads JSON lines from stdin; give no translation file with it")
        return run_jsonl(engine, sys.stdin, sys.stdout, sys.stderr, scorer)
    if not args.translation:
        raise UsageError("give SOURCE_FILE TRANSLATION_FILE, or '-' for JSON lines on stdin")
    from ..io import ReadError
    from ..qa.budget import BudgetExceeded, time_limit
    from ..qa.documents import check_documents, review_sheet

    whole, engine.time_budget = engine.time_budget, None  # the budget is for the whole document here
    try:
        with time_limit(whole):
            found = check_documents(engine, args.source, args.translation, args.src_lang, args.tgt_lang)
    except (ReadError, ValueError) as e:
        raise UsageError(str(e)) from None
    except BudgetExceeded as e:
        print(f"error: qa-timeout: QA of {args.source} -> {args.translation} {e} per document; "
              "nothing was checked completely", file=sys.stderr)
        return EXIT_INTERNAL
    scores = units_scored(scorer, found)
    if args.json:
        for unit, score in zip(found.units, scores, strict=True):
            print(json.dumps(unit.to_dict() | score, ensure_ascii=False))
    else:
        print(found.text_summary())
    if args.out:
        from pathlib import Path

        from ..io.atomic import atomic_write

        atomic_write(Path(args.out), review_sheet(found))
        print(f"review sheet: {args.out}", file=sys.stderr)
    return exit_code(found.all_flags)


BATCH = 2000  # lines checked together (one detector call); output is written batch by batch


def run_jsonl(engine, stdin, stdout, stderr, scorer=None) -> int:
    """One output line per input line, in order. A bad line gets a `bad-input` error flag (and a
    message naming its line number on stderr); the other lines are still checked. Lines are read
    and answered in batches, so memory stays bounded on long inputs."""
    worst = EXIT_OK
    batch: list = []
    for n, line in enumerate(stdin, start=1):
        if line.strip():
            batch.append(_parse(n, line, stderr))
        if len(batch) >= BATCH:
            worst = max(worst, _answer(engine, batch, stdout, stderr, scorer))
            batch = []
    if batch:
        worst = max(worst, _answer(engine, batch, stdout, stderr, scorer))
    return worst


def _parse(n: int, line: str, stderr):
    """(id, Pair, None) for a good line, (id or None, None, bad-input flag) for a bad one."""
    from ..document import Flag
    from ..qa import Pair

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
        bad = Flag(code="bad-input", severity="error", message=msg)
        return (obj.get("id") if isinstance(obj, dict) else None), None, bad


def _answer(engine, records: list, stdout, stderr, scorer=None) -> int:
    """Write one line per record; the exit code they call for (0, 1 or 3)."""
    from .model_score import pairs_scored

    good = [p for _, p, _ in records if p is not None]
    results = iter(engine.check(good))
    scored = iter(pairs_scored(scorer, good))  # {"model_score": ...} and its flags; {} without --model-score
    worst = EXIT_OK
    for rid, pair, bad in records:
        flags, score = ([bad], {}) if pair is None else (next(results), next(scored))
        flags = flags + score.pop("flags", [])
        code = exit_code(flags)
        worst = max(worst, code)
        if code == EXIT_INTERNAL:
            for f in flags:
                if f.code in INCOMPLETE:
                    print(f"error: {'line' if rid is None else f'id {rid}'}: {f.code}: {f.message}", file=stderr)
        out = {} if rid is None else {"id": rid}
        out["flags"] = [f.to_dict() for f in flags]
        out.update(score)
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    stdout.flush()
    return worst


__all__ = ["EXIT_INTERNAL", "EXIT_USAGE", "add_parser", "exit_code", "run", "run_jsonl"]
