"""`ngo-pipeline check CONFIG`: validate a config file, every problem in one pass (exit 2 when it
has problems): structure, keys, types and ranges, values that would fail every document (a
missing or unreadable glossary, a device this machine lacks, min_confidence above 1, doc_timeout =
nan...), the stage order, and the content of glossary and do-not-translate files."""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from .common import EXIT_OK, EXIT_USAGE

#: keys whose value is a data file the QA engine reads: key -> the QAEngine argument
DATA_FILES = {"glossary": "glossary", "do_not_translate": "dnt"}


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="validate a config file: every problem at once (exit 2 when it has any)")
    p.add_argument("config_file")
    p.add_argument("--explain", action="store_true",
                   help="print the stage table: what each stage requires, assigns, uses and provides")
    p.set_defaults(func=run)


def data_file_problems(path: Path, reported: set[tuple[str, str | None]]) -> list:
    """Glossary and do-not-translate files that exist but cannot be used (no entries, missing
    columns, a term without letters...), read as the check stage would read them."""
    from ..config import Problem, value_problems

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []  # already reported by config.load
    sections = raw.get("stages") if isinstance(raw.get("stages"), dict) else {}
    out = []
    for name, body in sections.items():
        for key, arg in DATA_FILES.items():
            value = body.get(key) if isinstance(body, dict) else None
            section = f"stages.{name}"
            if not isinstance(value, str) or not value or (section, key) in reported \
                    or value_problems({key: value}, path.parent):
                continue
            from ..qa.engine import QAEngine
            from ..qa.glossary import GlossaryError

            file = Path(value).expanduser()
            try:
                QAEngine(**{arg: file if file.is_absolute() else path.parent / file}, detect=False)
            except GlossaryError as e:
                out.append(Problem(str(path), section, key, str(e)))
            except Exception as e:  # noqa: BLE001 — whatever else stops the reading, said plainly
                out.append(Problem(str(path), section, key, f"{value}: cannot be used ({type(e).__name__}: {e})"))
    return out


def run(args) -> int:
    from .. import config

    path = Path(args.config_file)
    cfg, problems = None, []
    try:
        cfg = config.load(path, contracts=True)
    except config.ConfigError as e:
        problems = list(e.problems)
    problems += data_file_problems(path, {(p.section, p.key) for p in problems})
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return EXIT_USAGE
    print(f"{cfg.path}: OK ({len(cfg.stages)} stages: "
          + ", ".join(f"{s.name}={s.factory}" for s in cfg.stages) + ")")
    if args.explain:
        print_table(cfg)
    return EXIT_OK


def print_table(cfg) -> None:
    """The stages as built (nothing loaded), one row each, as a plain-text table."""
    from ..pipeline import Pipeline
    from ..stage import explain

    rows = explain(Pipeline.from_loaded(cfg).stages)
    cols = list(rows[0])
    width = {c: max(len(c), *(len(r[c]) for r in rows)) for c in cols}
    print()
    for line in [dict(zip(cols, cols, strict=True)), {c: "-" * width[c] for c in cols}, *rows]:
        print("  ".join(line[c].ljust(width[c]) for c in cols).rstrip())
