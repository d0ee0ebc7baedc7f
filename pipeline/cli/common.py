"""What every command shares: exit codes, the usage error, language lists, building the pipeline."""
from __future__ import annotations

import argparse

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A usage problem the user can fix (exit code 2)."""


def langs(value: str | None, targets: bool = False) -> list[str] | None:
    """A comma-separated language list; `targets` also allows the output variants
    (kk-Latn: Kazakh in Latin script)."""
    if not value:
        return None
    from ..languages import SUPPORTED, TARGETS, unsupported

    out = [v.strip() for v in value.split(",") if v.strip()]
    bad = unsupported(out, targets)
    if bad:
        allowed = TARGETS if targets else SUPPORTED
        raise UsageError(f"unsupported language(s) {', '.join(bad)}; supported: {', '.join(allowed)}")
    return out


def with_config(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("--config", help="pipeline TOML (default: the packaged default.toml)")
    return p


def build_pipeline(args):
    from ..pipeline import Pipeline

    return Pipeline.from_config(args.config)


def read(path: str):
    from ..io import read_document

    return read_document(path)
