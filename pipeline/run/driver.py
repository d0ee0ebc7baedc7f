"""The part of a folder run that every executor shares: plan, skip unchanged documents, hand the
rest to an executor, record each outcome in the journal and the report as it arrives.

An executor is made with the run record (record.py; `test_models` marks the records it writes),
has `run(items: list[RunItem]) -> Iterator[Outcome]` (one per item, in any order) and
`close(abort=False)` (`abort`: Ctrl-C, stop at once). Outputs, report lines, resume and error
isolation are therefore the same whichever executor processes the documents.

Writing to OUT_DIR can fail part-way (a full disk, a file-size limit): each document's failure is
its own, the report stays whole JSON lines, and after the last result `RunWriteError` says what
could not be written. A read-only OUT_DIR is a RunUsageError when something needs writing; when
every document is up to date the results are given all the same (the report is not rewritten).
"""
from __future__ import annotations

import errno
import json
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from ..io.atomic import make_dirs
from . import record as run_record
from .journal import OutDirLock, ReportFile, StateJournal, sweep_temp_files
from .outcome import review_state
from .plan import Entry, check_folders, discover, doc_key
from .types import WRITTEN, Counts, FileResult, Outcome, RunItem, RunUsageError, Status

log = logging.getLogger(__name__)


class RunWriteError(Exception):
    """Some of what a run had to write to OUT_DIR could not be written (the CLI exits with 1)."""


def options_of(pipeline, targets: list[str] | None, source_lang: str | None) -> str:
    """What, besides a document's bytes, decides its outputs (part of its skip key): the
    configuration, the targets as `Pipeline.targets_for` resolves them (the one place; `prepare`
    asks it too, so no --to and --to naming every configured language are the same run) and the
    source language."""
    return json.dumps([pipeline.fingerprint, sorted(pipeline.targets_for(targets)), source_lang])


def _unchanged(prev: dict | None, key: str, out_dir: Path) -> bool:
    return bool(prev) and prev.get("key") == key and all((out_dir / o).exists() for o in prev.get("outputs", []))


def _kept(e: Entry, prev: dict, out_dir: Path) -> FileResult:
    """The report line of an up-to-date document: the outcome of the run that wrote its outputs,
    with its review state as its JSON record says now."""
    was = prev.get("outcome") or {}
    review = None
    record = next((o for o in prev.get("outputs", []) if o.endswith(".json")), None)
    if record:
        try:
            review = review_state(json.loads((out_dir / record).read_bytes()).get("metadata") or {})
        except (OSError, ValueError, AttributeError):
            review = None
    status = was.get("status", Status.OK.value)
    return FileResult(e.rel, Status(status) if status in {s.value for s in Status} else Status.OK,
                      list(prev["outputs"]), lang=was.get("lang"), reason=was.get("reason"),
                      counts=Counts.of(was.get("counts")) if status != "skipped" else None, review=review,
                      unchanged=True,
                      output_name=e.output_name)


def plan(entries: list[Entry], out_dir: Path, options: str, force: bool,
         state: StateJournal) -> tuple[list[FileResult | tuple[Entry, RunItem]], int]:
    """Each entry's report line when it is already known, else (entry, item) to process."""
    decided: list[FileResult | tuple[Entry, RunItem]] = []
    todo = 0
    for e in entries:
        if e.status is not None:
            decided.append(e.result())
            continue
        try:
            key = doc_key(e.path, options, e.out_rel)
        except OSError as ex:
            decided.append(FileResult(e.rel, Status.FAILED, error=f"cannot read: {ex.strerror or ex}"))
            continue
        prev = state.get(e.rel)
        if not force and _unchanged(prev, key, out_dir):
            decided.append(_kept(e, prev, out_dir))
        else:
            decided.append((e, e.item(key)))
            todo += 1
    return decided, todo


def _writable(out_dir: Path) -> OSError | None:
    try:
        make_dirs(out_dir)
        probe = out_dir / ".ngo-pipeline.probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return e
    return None


def run(pipeline, in_dir: Path, out_dir: Path, make_executor: Callable[[dict], object],
        targets: list[str] | None = None, source_lang: str | None = None, force: bool = False,
        dry_run: bool = False, on_plan: Callable[[int], None] | None = None,
        new_config: bool = False) -> Iterator[FileResult]:
    in_dir, out_dir = Path(in_dir), Path(out_dir)
    check_folders(in_dir, out_dir)
    entries = discover(in_dir, out_dir)
    options = options_of(pipeline, targets, source_lang)
    current = run_record.build(pipeline, targets, source_lang)
    previous = run_record.read(out_dir)
    if not new_config and not dry_run:
        run_record.check_same_config(out_dir, previous, current)
    if on_plan is not None:
        on_plan(len(entries))
    denied = None if dry_run else _writable(out_dir)
    if dry_run or denied is not None:
        decided, todo = plan(entries, out_dir, options, force, StateJournal.read_only(out_dir))
        if denied is not None and todo:
            raise RunUsageError(f"{out_dir}: cannot write to the output folder ({denied.strerror}); "
                                f"{todo} document(s) need processing. Choose another --out or make it writable")
        if denied is not None:
            log.warning("%s is read-only: every document is up to date; report.jsonl was not rewritten", out_dir)
        for d in decided:
            yield d if isinstance(d, FileResult) else FileResult(d[0].rel, Status.PLANNED)
        return
    lock = OutDirLock(out_dir)
    lock.acquire()
    state = report = executor = None
    complete = False
    disk_failures = 0
    record_errors: list[OSError] = []
    memory = current.get("memory")
    memory_there = bool(memory) and os.path.exists(memory)
    try:
        sweep_temp_files(out_dir)
        state, report = StateJournal(out_dir), ReportFile(out_dir)
        _save_record(out_dir, current, record_errors)
        decided, _ = plan(entries, out_dir, options, force, state)
        items: list[RunItem] = []
        names: dict[str, str | None] = {}
        for d in decided:
            if isinstance(d, FileResult):
                report.add(d)
                yield d
            else:
                items.append(d[1])
                names[d[1].rel] = d[0].output_name
        if items:
            executor = make_executor(current)
            for out in executor.run(items):
                res = FileResult.from_outcome(out, names.get(out.rel))
                if res.status in WRITTEN or res.reason == "empty":  # empty: nothing to redo until it changes
                    state.record(res.path, out.key, res.outputs, _remembered(out, names.get(out.rel)))
                disk_failures += bool(res.error and "disk full or file-size limit" in res.error)
                if memory_there and not os.path.exists(memory):
                    memory_there = False
                    log.warning("the translation memory %s was deleted while this run used it: what the "
                                "run stored there is lost (its outputs are complete); the next run starts "
                                "a new memory", memory)
                report.add(res)
                yield res
        complete = True
    finally:
        try:
            if executor is not None:
                executor.close(abort=not complete)
        finally:
            if state is not None:
                state.close(complete)
            if report is not None:
                report.close(complete)
            if complete:
                current["finished"] = run_record.now()
                _save_record(out_dir, current, record_errors)
            sweep_temp_files(out_dir)
            lock.release()
    _raise_write_problems(out_dir, report, state, record_errors, disk_failures)


def _remembered(out: Outcome, output_name: str | None) -> dict:
    return {"status": out.status.value, "reason": out.reason, "lang": out.lang,
            "counts": out.counts.__dict__, **({"output_name": output_name} if output_name else {})}


def _save_record(out_dir: Path, current: dict, errors: list[OSError]) -> None:
    try:
        run_record.write(out_dir, current)
    except OSError as e:
        errors.append(e)


def _raise_write_problems(out_dir: Path, report: ReportFile | None, state: StateJournal | None,
                          record_errors: list[OSError], disk_failures: int) -> None:
    parts = []
    if disk_failures:
        parts.append(f"{disk_failures} document(s) could not be written")
    if report is not None and report.missing:
        parts.append(f"{report.missing} line(s) are missing from report.jsonl (every line there is whole)")
    if state is not None and state.errors:
        parts.append("the resume journal is incomplete (those documents will be redone)")
    if record_errors:
        parts.append("the run record could not be updated")
    if not parts:
        return
    errors = (report.errors if report else []) + (state.errors if state else []) + record_errors
    cause = next((e.strerror for e in errors if e.strerror), None) or "disk full or file-size limit"
    raise RunWriteError(f"could not write everything to {out_dir} ({cause}): {'; '.join(parts)}. "
                        "Free some space (or raise the file-size limit) and run the same command again: "
                        "what was written is kept")


__all__ = ["run", "options_of", "plan", "RunWriteError"]
