"""The run record, OUT_DIR/.ngo-pipeline-run.json: what produced the outputs of a folder.

    {"version": 1, "tool": "0.1.0", "started": ISO time, "finished": ISO time or null,
     "config": {"path", "fingerprint", "raw", "overrides"} or null (a Pipeline not built from a file),
     "models": {"translate": {"en-ru": {"ref", "path", "identity"}}, ...},   identity = hub id@revision
     "test_models": true when a model is one of the project's test models (models/tiny),
     "memory": the translation-memory file or null, "targets", "source_lang"}

Later commands on the same OUT_DIR use it: `run` without --config runs the recorded configuration
again, a different --config is refused unless asked for (`--new-config`), and `review` and `tm`
store post-edits in the recorded memory, where the next run looks.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..io.atomic import atomic_write
from .types import RUN_RECORD_FILE, RunUsageError

VERSION = 1


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ngo-pipeline")
    except PackageNotFoundError:
        return "unknown"


def memory_path(pipeline) -> Path | None:
    """The translation-memory file the pipeline's stages use (the first that has one)."""
    for _, stage in pipeline.stages:
        path = stage.memory_path()
        if path is not None:
            return Path(path).resolve()
    return None


def is_test_model(path: Path) -> bool:
    """A folder written by scripts/make_test_models.py (its parent holds that script's manifest)."""
    try:
        manifest = json.loads((path.parent / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and {"inputs", "parts"} <= set(manifest)


def _models(pipeline) -> dict[str, dict[str, dict[str, Any]]]:
    from .. import models

    out: dict[str, dict[str, dict[str, Any]]] = {}
    for name, stage in pipeline.stages:
        for key, ref in stage.model_refs().items():
            if not isinstance(ref, str) or not ref:
                continue
            try:
                r = models.resolve(ref, stage.context.config_dir)
                entry = {"ref": ref, "path": str(r.path), "identity": r.identity, "test": is_test_model(r.path)}
            except Exception as e:  # a missing model is the pre-check's business; record what is known
                entry = {"ref": ref, "missing": str(e).splitlines()[0]}
            out.setdefault(name, {})[key] = entry
    return out


def build(pipeline, targets: list[str] | None, source_lang: str | None) -> dict[str, Any]:
    recipe = getattr(pipeline, "_recipe", None)
    config = None
    if recipe is not None:
        raw, path, overrides = recipe
        config = {"path": str(Path(path).resolve()) if not str(path).startswith("<") else str(path),
                  "fingerprint": pipeline.fingerprint, "raw": raw, "overrides": overrides}
    found = _models(pipeline)
    memory = memory_path(pipeline)
    return {"version": VERSION, "tool": _version(), "started": now(), "finished": None, "config": config,
            "models": found, "test_models": any(m.get("test") for s in found.values() for m in s.values()),
            "memory": str(memory) if memory else None, "targets": targets, "source_lang": source_lang}


def read(out_dir: Path) -> dict[str, Any] | None:
    """The run record of OUT_DIR, or None (no run yet, or a record this version cannot read)."""
    try:
        rec = json.loads((Path(out_dir) / RUN_RECORD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return rec if isinstance(rec, dict) and rec.get("version") == VERSION else None


def write(out_dir: Path, record: dict[str, Any]) -> None:
    atomic_write(Path(out_dir) / RUN_RECORD_FILE, json.dumps(record, ensure_ascii=False, indent=2,
                                                             default=str) + "\n")


def check_same_config(out_dir: Path, previous: dict[str, Any] | None, current: dict[str, Any]) -> None:
    """Refuse a run whose configuration differs from the one that wrote OUT_DIR (RunUsageError)."""
    if not previous or not previous.get("config") or not current.get("config"):
        return
    old, new = previous["config"], current["config"]
    if old.get("fingerprint") == new.get("fingerprint") and previous.get("memory") == current.get("memory"):
        return
    memory = f"; reviewers' post-edits are in {previous['memory']}" if previous.get("memory") else ""
    raise RunUsageError(
        f"{out_dir} was written with the configuration {old.get('path')} (see {RUN_RECORD_FILE}){memory}. "
        f"This run's configuration {new.get('path')} differs. Run without --config (the recorded one "
        "is used) or with that file, or add --new-config to redo the folder with the new configuration "
        "(post-edits are kept either way)")


__all__ = ["build", "read", "write", "check_same_config", "memory_path", "is_test_model"]
