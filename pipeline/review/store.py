"""The review app's access to one run's output folder: the documents it holds (from report.jsonl and
the JSON record written per document), a Document rebuilt from its record, and saving a reviewed
document (its outputs re-written by the project's writers, atomically as a set).

Document ids are the record's path relative to OUT_DIR without ".json" ("news/a"). An id is only
ever looked up in the table built from the folder's own files, never joined to a path, so no id
can reach outside OUT_DIR. Every record path is also checked to resolve inside OUT_DIR (symlinks).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock

from ..document import Document
from ..io import write_outputs
from ..io.atomic import atomic_write, walk_tree
from ..run.types import REPORT_FILE, REVIEW_LOCK_FILE
from .record import RebuildError, document_from_record, open_flags

LOG_FILE = "review-log.jsonl"
MAX_TEXT = 5000  # characters in one edited sentence


LOCK_FILE = REVIEW_LOCK_FILE  # a run takes it too while it rewrites a document (post-edits kept)


@contextmanager
def folder_lock(out_dir: Path):
    """An exclusive lock on OUT_DIR/.ngo-pipeline-review.lock while a save checks and writes, so two `review`
    servers on one folder cannot interleave (filelock: flock on Linux and macOS, msvcrt on Windows)."""
    with FileLock(str(out_dir / LOCK_FILE)):
        yield


_move = os.replace  # (a name of its own so tests can make one move fail)


class ReviewError(Exception):
    """A request the store refuses; `status` is the HTTP status the app answers with."""

    status = 400


class NotFound(ReviewError):
    status = 404


class StaleVersion(ReviewError):
    status = 409


class SaveFailed(ReviewError):
    status = 500


class SourceMissing(ReviewError):
    status = 409


@dataclass
class DocEntry:
    id: str  # "" for a failed input without a record
    path: str  # the input's path relative to IN_DIR (from report.jsonl) or the record's
    status: str  # ok | skipped | failed | unsupported | record (found without a report line)
    error: str | None = None
    record: Path | None = None
    lang: str | None = None
    targets: list[str] = field(default_factory=list)
    flags: dict[str, int] = field(default_factory=dict)  # open flags by severity
    reviewed: bool = False
    edits: int = 0
    reason: str | None = None  # the run's reason for its status (report.jsonl)
    counts: dict[str, int] = field(default_factory=dict)  # the run's QA counts (report.jsonl), if any


def json_files(top: Path) -> list[Path]:
    """Every `*.json` under `top` outside hidden files and folders, symlinked folders not entered;
    walked without recursion (`walk_tree`: `Path.rglob` recurses once per level and a 1,000-level
    output tree hits Python's recursion limit)."""
    return [Path(de.path) for _, de, is_folder in walk_tree(top, enter=lambda _, de: not de.name.startswith("."))
            if not is_folder and not de.name.startswith(".") and de.name.endswith(".json")]


def version_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


class RunStore:
    def __init__(self, out_dir: str | Path):
        self.out_dir = Path(out_dir).resolve()
        if not self.out_dir.is_dir():
            raise NotFound(f"{out_dir}: not a folder")
        self._lock = threading.Lock()

    # -- listing -------------------------------------------------------------------------------
    def _inside(self, path: Path) -> Path | None:
        try:
            real = path.resolve()
        except OSError:
            return None
        return real if real.is_relative_to(self.out_dir) and real.is_file() else None

    def _records(self) -> dict[str, Path]:
        """{doc id: record path} for every JSON record of a document under OUT_DIR."""
        out = {}
        for path in sorted(json_files(self.out_dir)):
            if self._inside(path) is not None:
                out[path.relative_to(self.out_dir).with_suffix("").as_posix()] = path
        return out

    def documents(self) -> list[DocEntry]:
        records = self._records()
        entries: list[DocEntry] = []
        seen: set[str] = set()
        report = self.out_dir / REPORT_FILE
        lines = report.read_text(encoding="utf-8").splitlines() if self._inside(report) else []
        for line in lines:
            try:
                item = json.loads(line)
            except ValueError:
                continue
            rec_id = next((o[:-5] for o in item.get("outputs") or [] if o.endswith(".json")), None)
            e = DocEntry(rec_id if rec_id in records else "", item.get("path", "?"), item.get("status", "?"),
                         item.get("error"), lang=item.get("lang"), reason=item.get("reason"),
                         counts=item.get("counts") if isinstance(item.get("counts"), dict) else {})
            if e.id:
                seen.add(e.id)
                self._describe(e, records[e.id])
            entries.append(e)
        for doc_id, path in records.items():
            if doc_id not in seen:
                e = DocEntry(doc_id, doc_id, "record")
                if self._describe(e, path):
                    entries.append(e)
        return entries

    def _describe(self, e: DocEntry, path: Path) -> bool:
        try:
            record = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return False
        if not isinstance(record, dict) or "segments" not in record or "paragraphs" not in record:
            return False
        e.record, e.lang, e.targets = path, record.get("lang"), list(record.get("targets") or [])
        for f in open_flags(record):
            sev = str(f.get("severity") or "warning")
            e.flags[sev] = e.flags.get(sev, 0) + 1
        review = (record.get("metadata") or {}).get("review") or {}
        e.reviewed, e.edits = bool(review.get("saves")), len(review.get("edits") or [])
        return True

    # -- one document --------------------------------------------------------------------------
    def record_path(self, doc_id: str) -> Path:
        path = self._records().get(doc_id) if isinstance(doc_id, str) else None
        if path is None:
            raise NotFound("no such document in this run")
        return path

    def load(self, doc_id: str) -> tuple[dict[str, Any], str]:
        """The JSON record of a document and its version (a hash of the file)."""
        path = self.record_path(doc_id)
        data = path.read_bytes()
        try:
            record = json.loads(data)
        except ValueError as e:
            raise ReviewError(f"{path.name}: the record is not valid JSON ({e})") from None
        if not isinstance(record, dict) or "segments" not in record:
            raise ReviewError(f"{path.name}: not a document record")
        return record, version_of(data)

    def save(self, doc_id: str, version: str, changes: list[dict[str, Any]], user: str, time: str,
             memory=None, recheck=None) -> dict[str, Any]:
        """Apply edits and confirmations, store them in the human memory and rewrite the outputs.

        `changes`: [{"segment": id, "lang": target, "text": str | None}] (text None or unchanged =
        a confirmation). Refused with StaleVersion when the record changed since `version`."""
        from .apply import apply_changes

        with self._lock, folder_lock(self.out_dir):
            path = self.record_path(doc_id)
            record, current = self.load(doc_id)
            if version != current:
                raise StaleVersion("this document was saved from another tab or re-run after you "
                                   "opened it; your changes were NOT saved. Reload the page to see "
                                   "the current version, then redo them.")
            try:
                doc = document_from_record(record)
            except RebuildError as e:
                raise SourceMissing(f"cannot save: {e}") from None
            except Exception as e:  # the reader's own errors (ReadError...) name the file
                raise SourceMissing(f"cannot save: the document could not be rebuilt from its source "
                                    f"and record ({type(e).__name__}: {e})") from None
            human = apply_changes(doc, changes, user, time, MAX_TEXT, recheck)
            staged = self._render(doc, path)
            try:
                if memory is not None and human:
                    try:
                        memory.put_many(human)
                    except Exception as e:
                        raise SaveFailed(f"the translation memory {getattr(memory, 'path', '')} could not be "
                                         f"written ({type(e).__name__}: "
                                         f"{e}); nothing was saved, the outputs are unchanged") from e
                self._install(staged)
            finally:
                shutil.rmtree(staged[0], ignore_errors=True)
            warnings = []
            try:
                self._log(doc_id, doc.metadata["review"]["saves"][-1], user, time)
            except OSError as e:  # the edit is saved and recorded in the JSON record all the same
                warnings.append(f"{LOG_FILE} could not be appended: {e}")
            _, new_version = self.load(doc_id)
            touched = {(c.get("segment"), c.get("lang")) for c in changes}
            flags = [{"segment": f.segment, "lang": f.lang, "code": f.code, "severity": f.severity,
                      "message": f.message} for f in doc.flags if (f.segment, f.lang) in touched]
            return {"version": new_version, "human": len(human), "flags": flags, "warnings": warnings,
                    "saved": [p.relative_to(self.out_dir).as_posix() for _, p in staged[1]]}

    def _render(self, doc: Document, record: Path) -> tuple[Path, list[tuple[Path, Path]]]:
        """Write every output into a hidden staging folder inside OUT_DIR with the project's writers;
        nothing in place changes if that fails."""
        rel = record.relative_to(self.out_dir)
        staging = Path(tempfile.mkdtemp(prefix=".review-", dir=self.out_dir))
        try:
            paths = write_outputs(doc, staging, rel)
        except Exception as e:
            shutil.rmtree(staging, ignore_errors=True)
            raise SaveFailed(f"could not write the outputs ({type(e).__name__}: {e}); the previous "
                             "outputs are unchanged") from e
        moves = []
        for p in paths.values():
            p = Path(p).resolve()
            dest = (self.out_dir / p.relative_to(staging.resolve())).resolve()
            if not dest.is_relative_to(self.out_dir):
                shutil.rmtree(staging, ignore_errors=True)
                raise SaveFailed("an output path leaves the output folder; nothing was saved")
            moves.append((p, dest))
        return staging, moves

    def _install(self, staged: tuple[Path, list[tuple[Path, Path]]]) -> None:
        """Move the staged files into place; if one move fails, put the previous files back."""
        backups: list[tuple[Path, bytes | None]] = []
        try:
            for src, dest in staged[1]:
                backups.append((dest, dest.read_bytes() if dest.exists() else None))
                _move(src, dest)
        except Exception as e:
            for dest, old in backups:
                try:
                    if old is None:
                        dest.unlink(missing_ok=True)
                    else:
                        atomic_write(dest, old)
                except OSError:
                    pass
            raise SaveFailed(f"could not replace the outputs ({type(e).__name__}: {e}); the previous "
                             "outputs were restored") from e

    def _log(self, doc_id: str, save: dict[str, Any], user: str, time: str) -> None:
        """Append the save to OUT_DIR/review-log.jsonl (rewritten atomically)."""
        log = self.out_dir / LOG_FILE
        old = log.read_bytes() if self._inside(log) else b""
        line = json.dumps({"document": doc_id, "user": user, "time": time, **save}, ensure_ascii=False)
        atomic_write(log, old + line.encode("utf-8") + b"\n")


__all__ = ["RunStore", "DocEntry", "ReviewError", "NotFound", "StaleVersion", "SaveFailed",
           "document_from_record", "version_of"]
