"""What a run keeps in OUT_DIR besides the outputs: the resume journal, report.jsonl, the lock.

- `.ngo-pipeline-state.jsonl`: an append-only journal, one line per finished document
  (`{"path", "key", "outputs", "outcome"}`; the last line for a path wins; `outcome` is the
  status, reason, language and counts of the run that wrote the outputs, so that a document
  skipped as unchanged keeps them). Appending costs one short write per document, so a run of N
  documents writes O(N) bytes. A complete run rewrites it once, sorted (O(N) per run); so does a
  start that finds it mostly stale.
- `report.jsonl`: started empty by each run, one line appended as each entry is decided, so a
  stalled or killed run still leaves the report of everything it finished; at the end of a
  complete run it is rewritten, sorted by path.
- Both are appended in whole lines: a line that cannot be written whole (a full disk, a file-size
  limit) is cut off again, and a torn last line (a kill during a write) is cut off when the file
  is next opened, so every line is valid JSON. A failed write does not stop the run: it is
  counted (`write_errors`) and the run ends with a clear message.
- `.ngo-pipeline.lock`: an exclusive lock per OUT_DIR (filelock: flock on Linux and macOS,
  msvcrt on Windows); a second run on the same folder is refused.
- Temporary files of interrupted atomic writes (`.NAME.XXXXXXXX.tmp`) and staging folders
  (`.ngo-run-XXXXXXXX/`) are swept at start and end.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from filelock import FileLock, Timeout

from ..io.atomic import atomic_write, remove_tree, walk_tree
from .outcome import STAGING_PREFIX
from .types import LOCK_FILE, OLD_STATE_FILE, REPORT_FILE, STATE_FILE, FileResult, RunUsageError

_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")  # tempfile.mkstemp(prefix=".NAME.", suffix=".tmp")


class LineFile:
    """A file appended in whole lines only (see the module docstring)."""

    def __init__(self, path: Path, truncate: bool = False):
        self.path = path
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (os.O_TRUNC if truncate else 0)
        self.fd = os.open(path, flags, 0o666)
        self.size = os.fstat(self.fd).st_size
        self.errors: list[OSError] = []

    def write(self, line: str) -> bool:
        data = line.encode("utf-8", "surrogateescape")
        done = 0
        try:
            while done < len(data):
                done += os.write(self.fd, data[done:])
        except OSError as e:
            self.errors.append(e)
            try:
                os.ftruncate(self.fd, self.size)  # no half line
            except OSError:
                pass
            return False
        self.size += done
        return True

    def close(self, sync: bool = False) -> None:
        if self.fd is not None:
            try:
                if sync:
                    os.fsync(self.fd)
            except OSError as e:
                self.errors.append(e)
            os.close(self.fd)
            self.fd = None


def repair_tail(path: Path) -> None:
    """Cut off a torn last line (no newline at the end: a process killed while writing it)."""
    try:
        with open(path, "rb+") as f:
            size = f.seek(0, os.SEEK_END)
            if size == 0:
                return
            f.seek(size - 1)
            if f.read(1) == b"\n":
                return
            keep = size
            while keep > 0:
                step = min(keep, 1 << 16)
                f.seek(keep - step)
                block = f.read(step)
                nl = block.rfind(b"\n")
                if nl >= 0:
                    keep = keep - step + nl + 1
                    break
                keep -= step
            f.truncate(keep)
    except OSError:
        pass


class StateJournal:
    def __init__(self, out_dir: Path, writable: bool = True):
        self.path = out_dir / STATE_FILE
        self.entries: dict[str, dict] = {}
        self._f: LineFile | None = None
        self.errors: list[OSError] = []
        lines = 0
        if writable:
            repair_tail(self.path)
        try:
            with open(self.path, encoding="utf-8", errors="surrogateescape") as f:
                for line in f:
                    lines += 1
                    try:
                        rec = json.loads(line)
                        self.entries[rec["path"]] = rec
                    except (ValueError, KeyError, TypeError):
                        continue  # a torn line from a killed run
        except FileNotFoundError:
            self._migrate(out_dir / OLD_STATE_FILE)
            lines = -1
        if writable and (lines == -1 or lines > 2 * len(self.entries) + 64):
            self.compact()

    @classmethod
    def read_only(cls, out_dir: Path) -> StateJournal:
        return cls(out_dir, writable=False)

    def _migrate(self, old: Path) -> None:
        try:
            state = json.loads(old.read_text(encoding="utf-8"))
            self.entries = {p: {"path": p, **v} for p, v in state.items()}
        except (OSError, ValueError, AttributeError, TypeError):
            self.entries = {}

    def compact(self) -> None:
        """Rewrite with one line per path, sorted (the same bytes whatever order documents finished in)."""
        if self.entries or self.path.exists():
            try:
                atomic_write(self.path, "".join(json.dumps(self.entries[p]) + "\n" for p in sorted(self.entries)))
            except OSError as e:  # the appended journal stays as it is: still whole lines
                self.errors.append(e)

    def get(self, rel: str) -> dict | None:
        return self.entries.get(rel)

    def record(self, rel: str, key: str, outputs: list[str], outcome: dict | None = None) -> None:
        rec = {"path": rel, "key": key, "outputs": outputs, **({"outcome": outcome} if outcome else {})}
        self.entries[rel] = rec
        if self._f is None:
            self._f = LineFile(self.path)
        self._f.write(json.dumps(rec) + "\n")  # ASCII: a file name may hold undecodable bytes

    def close(self, complete: bool = False) -> None:
        if self._f is not None:
            self._f.close(sync=True)
            self.errors += self._f.errors
            self._f = None
            if complete:  # once per run: O(N), and the journal no longer depends on completion order
                self.compact()


class ReportFile:
    """OUT_DIR/report.jsonl, one `FileResult` line appended as each entry is decided."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / REPORT_FILE
        self.results: list[FileResult] = []
        self._f = LineFile(self.path, truncate=True)
        self.missing = 0  # lines that could not be written

    @property
    def errors(self) -> list[OSError]:
        return self._f.errors

    def add(self, res: FileResult) -> None:
        self.results.append(res)
        self.missing += not self._f.write(line(res))

    def close(self, complete: bool) -> None:
        self._f.close()
        if complete:  # the same bytes whatever order the documents finished in
            try:
                atomic_write(self.path, "".join(line(r) for r in sorted(self.results, key=lambda r: r.path))
                             .encode("utf-8", "surrogateescape"))
                self.missing = 0
            except OSError as e:
                self._f.errors.append(e)


def line(res: FileResult) -> str:
    """One report line: readable UTF-8, or escaped where a file name holds undecodable bytes."""
    text = json.dumps(res.to_dict(), ensure_ascii=False) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(res.to_dict()) + "\n"
    return text


class OutDirLock:
    """An exclusive lock on OUT_DIR for the length of a run (released by the OS if killed); the
    lock file holds the holder's process id, for the refusal message."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / LOCK_FILE
        self.lock = FileLock(str(self.path), timeout=0)

    def acquire(self) -> None:
        try:
            self.lock.acquire()
        except Timeout:
            try:
                holder = self.path.read_text().strip() or "?"
            except OSError:
                holder = "?"
            raise RunUsageError(f"another ngo-pipeline run (pid {holder}) is writing to {self.path.parent}; "
                                "wait for it to finish or choose another --out") from None
        try:
            self.path.write_text(str(os.getpid()))
        except OSError:
            pass

    def release(self) -> None:
        if self.lock.is_locked:
            try:
                self.path.write_text("")  # the file stays (removing it would race with a starting run)
            except OSError:
                pass
            self.lock.release()


def sweep_temp_files(out_dir: Path) -> list[Path]:
    """Remove the temporary files and staging folders that writes leave when a process is killed
    mid-write. Only called while holding the OUT_DIR lock, so no writer of this run or another is
    active. Walked without recursion (`walk_tree`: output trees mirror input trees of any depth)."""
    removed = []

    def staging(folder: Path, de: os.DirEntry) -> bool:
        return folder == out_dir and de.name.startswith(STAGING_PREFIX)

    for folder, de, is_folder in walk_tree(out_dir, enter=lambda folder, de: not staging(folder, de)):
        p = Path(de.path)
        try:
            if is_folder and staging(folder, de):
                remove_tree(p)
                removed.append(p)
            elif not is_folder and _TEMP.match(de.name):
                p.unlink()
                removed.append(p)
        except OSError:
            pass
    return removed


__all__ = ["StateJournal", "ReportFile", "OutDirLock", "LineFile", "sweep_temp_files", "repair_tail", "line",
           "LOCK_FILE"]
