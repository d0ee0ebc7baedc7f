"""What a run keeps in OUT_DIR besides the outputs: the resume journal, report.jsonl, the lock.

- `.ngo-pipeline-state.jsonl`: an append-only journal, one line per finished document
  (`{"path", "key", "outputs"}`; the last line for a path wins). Appending costs one short write per
  document, so a run of N documents writes O(N) bytes (the old JSON state file was rewritten and
  fsynced after every batch: O(N^2)). A torn last line (a kill during a write) is ignored. A
  complete run rewrites it once, sorted (O(N) per run); so does a start that finds it mostly stale.
- `report.jsonl`: started empty by each run, one line appended and flushed as each entry is
  decided, so a stalled or killed run still leaves the report of everything it finished; at the
  end of a complete run it is rewritten, sorted by path.
- `.ngo-pipeline.lock`: an exclusive lock per OUT_DIR; a second run on the same folder is refused.
- Temporary files of interrupted atomic writes (`.NAME.XXXXXXXX.tmp`) are swept at start and end.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import asdict
from pathlib import Path

from ..io.writers import atomic_write
from .plan import OLD_STATE_FILE, REPORT_FILE, STATE_FILE, FileResult, RunUsageError

LOCK_FILE = ".ngo-pipeline.lock"
_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")  # tempfile.mkstemp(prefix=".NAME.", suffix=".tmp")


class StateJournal:
    def __init__(self, out_dir: Path, writable: bool = True):
        self.path = out_dir / STATE_FILE
        self.entries: dict[str, dict] = {}
        self._f = None
        lines = 0
        try:
            with open(self.path, encoding="utf-8") as f:
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
            atomic_write(self.path, "".join(json.dumps(self.entries[p]) + "\n" for p in sorted(self.entries)))

    def get(self, rel: str) -> dict | None:
        return self.entries.get(rel)

    def record(self, rel: str, key: str, outputs: list[str]) -> None:
        rec = {"path": rel, "key": key, "outputs": outputs}
        self.entries[rel] = rec
        if self._f is None:
            self._f = open(self.path, "a", encoding="utf-8")
        self._f.write(json.dumps(rec) + "\n")  # ASCII: a file name may hold undecodable bytes
        self._f.flush()

    def close(self, complete: bool = False) -> None:
        if self._f is not None:
            os.fsync(self._f.fileno())
            self._f.close()
            self._f = None
            if complete:  # once per run: O(N), and the journal no longer depends on completion order
                self.compact()


class ReportFile:
    """report.jsonl, appended as each entry is decided."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / REPORT_FILE
        self.results: list[FileResult] = []
        self._f = open(self.path, "w", encoding="utf-8")

    def add(self, res: FileResult) -> None:
        self.results.append(res)
        self._f.write(_line(res))
        self._f.flush()

    def close(self, complete: bool) -> None:
        self._f.close()
        if complete:  # the same bytes whatever order the documents finished in
            atomic_write(self.path, "".join(_line(r) for r in sorted(self.results, key=lambda r: r.path)))


def _line(res: FileResult) -> str:
    """One report line: readable UTF-8, or escaped where a file name holds undecodable bytes."""
    line = json.dumps(asdict(res), ensure_ascii=False) + "\n"
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(asdict(res)) + "\n"
    return line


class OutDirLock:
    """An exclusive lock on OUT_DIR for the length of a run (released by the OS if killed)."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / LOCK_FILE
        self._f = None

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks here; runs are not guarded
            return
        f = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "?"
            f.close()
            raise RunUsageError(f"another ngo-pipeline run (pid {holder}) is writing to {self.path.parent}; "
                                "wait for it to finish or choose another --out") from None
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        self._f = f

    def release(self) -> None:
        if self._f is not None:
            self._f.truncate(0)  # the file stays (removing it would race with a starting run)
            self._f.close()
            self._f = None


def sweep_temp_files(out_dir: Path) -> list[Path]:
    """Remove the temporary files that atomic writes leave when a process is killed mid-write.
    Only called while holding the OUT_DIR lock, so no writer of this run or another is active."""
    removed = []
    for folder, _dirs, files in os.walk(out_dir):
        for name in files:
            if _TEMP.match(name):
                p = Path(folder) / name
                try:
                    p.unlink()
                    removed.append(p)
                except OSError:
                    pass
    return removed


__all__ = ["StateJournal", "ReportFile", "OutDirLock", "sweep_temp_files", "LOCK_FILE"]
