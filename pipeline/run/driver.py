"""The part of a folder run that every executor shares: plan, skip unchanged documents, hand the
rest to an executor, record each outcome in the journal and the report as it arrives.

An executor has `run(items) -> Iterator[outcome]` (worker.py describes an outcome; one per item,
in any order) and `close()`. Outputs, report lines, resume and error isolation are therefore
the same whichever executor processes the documents.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from .journal import OutDirLock, ReportFile, StateJournal, sweep_temp_files
from .plan import FileResult, check_folders, discover, doc_key


def options_of(pipeline, targets: list[str] | None, source_lang: str | None) -> str:
    """What, besides a document's bytes, decides its outputs (part of its skip key)."""
    return json.dumps([pipeline.fingerprint, sorted(targets or []), source_lang])


def _unchanged(prev: dict | None, key: str, out_dir: Path) -> bool:
    return bool(prev) and prev.get("key") == key and all((out_dir / o).exists() for o in prev.get("outputs", []))


def run(pipeline, in_dir: Path, out_dir: Path, make_executor: Callable[[], object],
        targets: list[str] | None = None, source_lang: str | None = None, force: bool = False,
        dry_run: bool = False, on_plan: Callable[[int], None] | None = None) -> Iterator[FileResult]:
    in_dir, out_dir = Path(in_dir), Path(out_dir)
    check_folders(in_dir, out_dir)
    entries = discover(in_dir, out_dir)
    if on_plan is not None:
        on_plan(len(entries))
    options = options_of(pipeline, targets, source_lang)
    if dry_run:
        yield from _dry_run(entries, out_dir, options, force)
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = OutDirLock(out_dir)
    lock.acquire()
    state = report = executor = None
    complete = False
    try:
        sweep_temp_files(out_dir)
        state, report = StateJournal(out_dir), ReportFile(out_dir)
        items = []
        for e in entries:
            if e.status is not None:
                res = e.result()
            else:
                try:
                    key = doc_key(e.path, options, e.out_rel)
                except OSError as ex:
                    res = FileResult(e.rel, "failed", error=f"cannot read: {ex.strerror or ex}")
                else:
                    prev = state.get(e.rel)
                    if force or not _unchanged(prev, key, out_dir):
                        items.append({"rel": e.rel, "path": str(e.path), "out_rel": e.out_rel, "key": key})
                        continue
                    res = FileResult(e.rel, "skipped", outputs=list(prev["outputs"]), reason="unchanged")
            report.add(res)
            yield res
        if items:
            executor = make_executor()
            for out in executor.run(items):
                res = FileResult(out["rel"], out["status"], outputs=out["outputs"], error=out["error"],
                                 lang=out["lang"], reason=out["reason"])
                if res.status in ("ok", "partial"):
                    state.record(res.path, out["key"], res.outputs)
                report.add(res)
                yield res
        complete = True
    finally:
        try:
            if executor is not None:
                executor.close()
        finally:
            if state is not None:
                state.close(complete)
            if report is not None:
                report.close(complete)
            sweep_temp_files(out_dir)
            lock.release()


def _dry_run(entries, out_dir: Path, options: str, force: bool) -> Iterator[FileResult]:
    state = StateJournal.read_only(out_dir)
    for e in entries:
        if e.status is not None:
            yield e.result()
            continue
        try:
            key = doc_key(e.path, options, e.out_rel)
        except OSError as ex:
            yield FileResult(e.rel, "failed", error=f"cannot read: {ex.strerror or ex}")
            continue
        prev = state.get(e.rel)
        if not force and _unchanged(prev, key, out_dir):
            yield FileResult(e.rel, "skipped", outputs=list(prev["outputs"]), reason="unchanged")
        else:
            yield FileResult(e.rel, "planned")


__all__ = ["run", "options_of"]
