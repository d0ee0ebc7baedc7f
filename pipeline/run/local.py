"""Batch processing of a folder: error isolation, resume, atomic outputs, report.jsonl.

- Subfolders of IN_DIR are mirrored under OUT_DIR; no output path may leave OUT_DIR.
- A document whose content, configuration and options are unchanged since the last run, and whose
  outputs are all present, is skipped and nothing is rewritten (`--force` redoes it).
- Documents go through the pipeline in batches (so the translator batches sentences across
  documents). If a batch fails, its documents are redone one by one, so one bad document only
  fails itself.
- OUT_DIR/report.jsonl: one line per input (path, status, outputs, error, lang).
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..io import SUPPORTED_SUFFIXES, ReadError, read_document, write_outputs
from ..io.writers import atomic_write

if TYPE_CHECKING:
    from ..pipeline import Pipeline

log = logging.getLogger(__name__)
STATE_FILE = ".ngo-pipeline-state.json"
REPORT_FILE = "report.jsonl"


@dataclass
class FileResult:
    path: str  # relative to IN_DIR
    status: str  # "ok" | "skipped" (unchanged) | "planned" (dry run) | "failed" | "unsupported"
    outputs: list[str] = field(default_factory=list)  # relative to OUT_DIR
    error: str | None = None
    lang: str | None = None


def discover(in_dir: Path, out_dir: Path) -> list[Path]:
    out_resolved = out_dir.resolve()
    files = []
    for path in sorted(in_dir.rglob("*")):
        rel = path.relative_to(in_dir)
        if any(part.startswith((".", "~$")) for part in rel.parts):
            continue  # hidden files, editor and Word lock files
        if path.resolve().is_relative_to(out_resolved) or not path.is_file():
            continue
        files.append(path)
    return files


def run_folder(pipeline: Pipeline, in_dir: Path, out_dir: Path, targets: list[str] | None = None,
               source_lang: str | None = None, force: bool = False,
               dry_run: bool = False) -> Iterator[FileResult]:
    if not in_dir.is_dir():
        raise NotADirectoryError(f"{in_dir}: input folder does not exist")
    state_path = out_dir / STATE_FILE
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    options = json.dumps([pipeline.fingerprint, sorted(targets or []), source_lang])
    results: list[FileResult] = []
    pending: list[tuple[Path, str, str]] = []  # (path, rel, run_key)

    def flush() -> Iterator[FileResult]:
        for res, key in _process(pipeline, out_dir, pending, targets, source_lang):
            if res.status == "ok":
                state[res.path] = {"key": key, "outputs": res.outputs}
            results.append(res)
            yield res
        pending.clear()
        if not dry_run:
            atomic_write(state_path, json.dumps(state, ensure_ascii=False, indent=1))

    for path in discover(in_dir, out_dir):
        rel = path.relative_to(in_dir).as_posix()
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            res = FileResult(rel, "unsupported", error=f"unsupported file type {path.suffix or '(none)'}")
            results.append(res)
            yield res
            continue
        try:
            content = path.read_bytes()
        except OSError as e:
            res = FileResult(rel, "failed", error=f"cannot read: {e}")
            results.append(res)
            yield res
            continue
        key = hashlib.sha256(content + options.encode()).hexdigest()
        prev = state.get(rel)
        if (not force and prev and prev.get("key") == key
                and all((out_dir / o).exists() for o in prev.get("outputs", []))):
            res = FileResult(rel, "skipped", outputs=prev["outputs"])
            results.append(res)
            yield res
            continue
        if dry_run:
            res = FileResult(rel, "planned")
            results.append(res)
            yield res
            continue
        pending.append((path, rel, key))
        if len(pending) >= pipeline.batch_size:
            yield from flush()
    if pending:
        yield from flush()
    if not dry_run:
        out_dir.mkdir(parents=True, exist_ok=True)
        report = "".join(json.dumps(asdict(r), ensure_ascii=False) + "\n"
                         for r in sorted(results, key=lambda r: r.path))
        atomic_write(out_dir / REPORT_FILE, report)


def _process(pipeline: Pipeline, out_dir: Path, batch: list[tuple[Path, str, str]],
             targets, source_lang) -> Iterator[tuple[FileResult, str]]:
    docs, keep = [], []
    for path, rel, key in batch:
        try:
            docs.append(pipeline.prepare(read_document(path), targets, source_lang))
            keep.append((path, rel, key))
        except ReadError as e:
            yield FileResult(rel, "failed", error=e.reason), key
    if not docs:
        return
    try:
        done = list(pipeline.pipe(docs))
    except Exception as e:
        if len(docs) == 1:
            path, rel, key = keep[0]
            log.debug("failed: %s", rel, exc_info=True)
            yield FileResult(rel, "failed", error=f"{type(e).__name__}: {e}"), key
            return
        # Isolate the bad document: redo each one alone from a fresh read.
        for item in keep:
            yield from _process(pipeline, out_dir, [item], targets, source_lang)
        return
    for doc, (_, rel, key) in zip(done, keep, strict=True):
        try:
            paths = write_outputs(doc, out_dir, Path(rel))
            written = [p.relative_to(out_dir.resolve()).as_posix() for p in paths.values()]
            yield FileResult(rel, "ok", outputs=written, lang=doc.lang), key
        except Exception as e:
            yield FileResult(rel, "failed", error=f"cannot write outputs: {type(e).__name__}: {e}",
                             lang=doc.lang), key


__all__ = ["FileResult", "run_folder", "discover", "REPORT_FILE"]
