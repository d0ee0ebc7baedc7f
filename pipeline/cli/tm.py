"""`ngo-pipeline tm import FILE.tmx` / `tm export --out FILE.tmx`: the human translation memory
(post-edits, confirmations, agency memories) in and out as TMX. `--run OUT_DIR` uses the memory a
run recorded in its output folder (where `review` stores post-edits and the next run looks);
`--config` chooses the memory file as `run` would (the translate stage's `cache`)."""
from __future__ import annotations

import sys
from pathlib import Path

from .common import EXIT_FAILED, EXIT_OK, UsageError, langs, with_config


def add_parser(sub) -> None:
    p = sub.add_parser("tm", help="translation memory: TMX import and export")
    tm_sub = p.add_subparsers(dest="tm_command", required=True)
    imp = with_config(tm_sub.add_parser("import", help="import a TMX file (1.1 or 1.4) as human translations"))
    imp.add_argument("file", help="TMX file (UTF-8 or UTF-16)")
    imp.add_argument("--run", metavar="OUT_DIR", help="the memory recorded by the run that wrote OUT_DIR")
    imp.add_argument("--all-directions", action="store_true",
                     help="use each unit in every direction, not only from its source language")
    imp.set_defaults(func=run_import)
    exp = with_config(tm_sub.add_parser("export", help="export the human translations as TMX 1.4"))
    exp.add_argument("--out", required=True, help="TMX file to write")
    exp.add_argument("--run", metavar="OUT_DIR", help="the memory recorded by the run that wrote OUT_DIR")
    exp.add_argument("--from", dest="source", help="only this source language")
    exp.add_argument("--to", help="only this target language")
    exp.set_defaults(func=run_export)


def memory_path(config_path: str | None) -> Path:
    """The translation-memory file `run` would use with this config."""
    from .. import config, registry
    from ..stage import StageContext

    cfg = config.load(config_path)
    where = cfg.path
    for spec in cfg.stages:  # the stage itself says where its memory is (no need for a whole pipeline)
        stage = registry.create(spec.factory, **spec.params)
        stage.configure(StageContext(tuple(cfg.languages), cfg.path.parent.resolve()))
        if "memory" in stage.provides:
            name = spec.name
            path = stage.memory_path()
            if path is None:
                raise UsageError(f"{where}: the translation memory is disabled ([stages.{name}] cache = \"\")")
            return path
    raise UsageError(f"{where}: no translate stage, so no translation memory")


def recorded_memory(out_dir: str | Path, config_path: str | None) -> Path | None:
    """The memory the run record of OUT_DIR names (None: that run had no memory, or there is no
    record, and then the config's). A --config naming another memory is a usage error."""
    from ..run import record

    rec = record.read(Path(out_dir))
    if rec is None or not rec.get("config"):
        return memory_path(config_path)
    recorded = Path(rec["memory"]) if rec.get("memory") else None
    if config_path is not None:
        given = memory_path(config_path).resolve()
        if recorded != given:
            raise UsageError(f"{out_dir} was run with the translation memory {recorded} "
                             f"(.ngo-pipeline-run.json), --config {config_path} names {given}: post-edits "
                             "stored there would not be seen by the next run. Leave out --config.")
    return recorded


def memory_error(path: Path, e: BaseException) -> UsageError:
    """A clear error naming the memory file for what SQLite or the OS said (no traceback)."""
    text = str(getattr(e, "strerror", None) or e)
    low = text.lower()
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        why = ("is damaged (not a readable SQLite database); restore it from a backup, or set "
               "[stages.translate] cache to a new file")
    elif "readonly" in low or "read-only" in low or isinstance(e, PermissionError):
        why = "is read-only (or its folder is); make it writable, or work on a copy"
    elif "locked" in low:
        why = "is locked by another program for too long; try again when it has finished"
    else:
        why = "cannot be opened"
    return UsageError(f"translation memory {path}: {why} ({text})")


def open_human_memory(config_path: str | None, read_only: bool = False, out_dir: str | Path | None = None):
    """The human translation memory of the config (or, with `out_dir`, the one its run recorded),
    opened and read once, so that a damaged or read-only file is a clear error naming it
    (UsageError) before any work."""
    import sqlite3

    from ..memory.human import HumanMemory

    path = memory_path(config_path) if out_dir is None else recorded_memory(out_dir, config_path)
    if path is None:
        raise UsageError(f"the run that wrote {out_dir} used no translation memory")
    try:
        memory = HumanMemory(path, read_only=read_only)
        if not read_only or path.exists():
            memory.count()
    except (sqlite3.Error, OSError) as e:
        if read_only and "no such table" in str(e):
            return memory  # a memory without human translations yet: nothing to read
        raise memory_error(path, e) from None
    return memory


def run_import(args) -> int:
    from ..config import load
    from ..memory.tmx import TmxError, import_tmx

    import sqlite3

    languages = load(args.config).languages
    memory = open_human_memory(args.config, out_dir=args.run)
    try:
        stats = import_tmx(args.file, memory, languages, all_directions=args.all_directions)
    except TmxError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_FAILED
    except sqlite3.Error as e:  # the memory failed while writing (read-only, disk full, damaged)
        raise memory_error(memory.path, e) from None
    print(stats.summary(args.file))
    print(f"memory: {memory.path} ({memory.count()} human translations)")
    return EXIT_OK


def run_export(args) -> int:
    from .. import __version__
    from ..memory.tmx import export_tmx

    import sqlite3

    src, tgt = (langs(args.source) or [None])[0], (langs(args.to) or [None])[0]
    memory = open_human_memory(args.config, read_only=True, out_dir=args.run)  # export only reads: a read-only memory is fine
    try:
        source = memory if memory.path.exists() and _has_human_table(memory) else _Empty()
        written, skipped = export_tmx(source, args.out, src, tgt, tool_version=__version__)
    except sqlite3.Error as e:
        raise memory_error(memory.path, e) from None
    print(f"{args.out}: {written} translation units from {memory.path}")
    if skipped:
        print(f"warning: {skipped} entries not exported: they contain characters XML 1.0 cannot hold",
              file=sys.stderr)
    return EXIT_OK


class _Empty:
    """A memory that does not exist yet (or has no human translations): exports as an empty TMX."""

    def entries(self, *_):
        return iter(())


def _has_human_table(memory) -> bool:
    import sqlite3

    try:
        memory.count()
    except sqlite3.OperationalError as e:
        if "no such table" in str(e):
            return False
        raise
    return True
