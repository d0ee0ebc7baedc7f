"""`ngo-pipeline check CONFIG`: validate a config file (exit 2 when it has problems)."""
from __future__ import annotations

import sys

from .common import EXIT_OK, EXIT_USAGE


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="validate a config file (exit 2 when it has problems)")
    p.add_argument("config_file")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import config

    try:
        cfg = config.load(args.config_file)
    except config.ConfigError as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        print(f"{len(e.problems)} problem(s) found", file=sys.stderr)
        return EXIT_USAGE
    print(f"{cfg.path}: OK ({len(cfg.stages)} stages: "
          + ", ".join(f"{s.name}={s.factory}" for s in cfg.stages) + ")")
    return EXIT_OK
