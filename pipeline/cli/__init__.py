"""`ngo-pipeline`: the command line, thin on top of the library. Exit codes: 0 success, 1 some
documents failed (or QA found errors), 2 usage or configuration error. Progress bars and
per-file problems go to stderr; results to stdout.

Each command is a module with `add_parser(subparsers)`; COMMANDS is the table of them. torch and
transformers are imported only where a model is loaded, so `--help`, `check` and `detect` start fast.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import sys

from .. import __version__
from .common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError

#: command name -> module defining `add_parser(subparsers)`; the order is the order in --help.
COMMANDS = {
    "run": "pipeline.cli.run",
    "translate": "pipeline.cli.translate",
    "detect": "pipeline.cli.detect",
    "summarize": "pipeline.cli.summarize",
    "qa": "pipeline.cli.qa",
    "review": "pipeline.cli.review",
    "tm": "pipeline.cli.tm",
    "check": "pipeline.cli.check",
    "models": "pipeline.cli.models",
    "eval": "pipeline.cli.eval",
    "calibrate": "pipeline.cli.calibrate",
}


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="ngo-pipeline", description=(
        "Detect, translate (en/ru/kk), summarise and flag NGO press releases for review."))
    ap.add_argument("--version", action="version", version=f"ngo-pipeline {__version__}")
    ap.add_argument("-v", "--verbose", action="store_true", help="log progress details to stderr")
    sub = ap.add_subparsers(dest="command", required=True)
    for module in COMMANDS.values():
        importlib.import_module(module).add_parser(sub)
    for p in sub.choices.values():  # -v after the command too ("ngo-pipeline run -v ...")
        p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                       help="log progress details to stderr")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    from ..errors import ConfigError, ModelNotFound, PipelineError, ReadError, StageError

    try:
        return args.func(args)
    except ConfigError as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        return EXIT_USAGE
    except (UsageError, ModelNotFound, StageError, PipelineError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except ReadError as e:  # the one document a command was given cannot be read
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE if not e.path.exists() else EXIT_FAILED
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


__all__ = ["main", "build_parser", "COMMANDS", "UsageError", "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE"]
