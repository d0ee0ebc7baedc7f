"""What a folder run will do, decided before any model is loaded: which files are inputs, what
every other entry is reported as, where each input's outputs go, and each input's skip key.

Discovery walks IN_DIR without following folder symlinks (a symlink loop cannot hang or abort
it) and gives every entry that is not processed a report line instead of skipping it silently:

- hidden files and folders (names starting with "."), Office lock files (`~$x.docx`): skipped
- symlinks to files inside IN_DIR are processed; symlinks that leave IN_DIR, broken links and
  symlink loops are failed with the reason (an input folder is often a shared drop folder)
- symlinks to folders are not followed (skipped), FIFOs, sockets and devices are unsupported
- OUT_DIR, when it lies inside IN_DIR, and any folder holding an earlier run's state file are the
  tool's own outputs, never inputs (skipped)

Output names (issue 15 item 6): outputs are named after the input's stem (`a.txt` -> `a.ru.txt`,
`a.json`, `a.review.md`). When several inputs in one folder share a stem (case-insensitively:
`a.txt`, `a.md`, `A.docx`), each of them is named after its whole file name instead:
`a.txt` -> `a.txt.ru.txt`, `a.txt.json`; `a.md` -> `a.md.ru.md`, `a.md.json`. The rule depends
only on the folder's inputs, so the same folder always gives the same names.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..io import SUPPORTED_SUFFIXES

from .types import OLD_STATE_FILE, REPORT_FILE, STATE_FILE, FileResult, RunItem, RunUsageError, Status

#: content above this size is keyed by size and modification time instead of being hashed
HASH_LIMIT = 256 * 1024 * 1024
#: the longest output stem, in bytes: the longest suffix added (".kk-Latn.docx", ".review.md") and an
#: atomic write's temporary name (".NAME.XXXXXXXX.tmp") must still fit a file name's 255 bytes
MAX_STEM_BYTES = 200


@dataclass
class Entry:
    """An input to process (`status` None) or an entry with its final report line already known."""

    rel: str
    path: Path
    status: Status | None = None
    error: str | None = None
    reason: str | None = None
    out_rel: str = ""  # the relative path whose stem names the outputs (see the module docstring)
    shortened: bool = False  # out_rel's name was shortened (too long for the file system)

    def result(self) -> FileResult:
        return FileResult(self.rel, self.status or Status.PLANNED, error=self.error, reason=self.reason)

    def item(self, key: str) -> RunItem:
        return RunItem(self.rel, str(self.path), self.out_rel, key)

    @property
    def output_name(self) -> str | None:
        return Path(self.out_rel).stem if self.shortened else None


def check_folders(in_dir: Path, out_dir: Path) -> None:
    """Refuse folders that cannot work (issue 15 item 8): exit 2, before anything is written."""
    if not in_dir.is_dir():
        raise RunUsageError(f"{in_dir}: input folder does not exist")
    if out_dir.exists() and not out_dir.is_dir():
        raise RunUsageError(f"{out_dir}: output path exists and is not a folder")
    i, o = in_dir.resolve(), out_dir.resolve()
    if o == i:
        raise RunUsageError(f"--out {out_dir} is the input folder: outputs would be mixed with the "
                            "inputs; choose another folder (a subfolder such as IN/out is fine)")
    if i.is_relative_to(o):
        raise RunUsageError(f"--out {out_dir} contains the input folder {in_dir}: choose a folder "
                            "outside it (or a subfolder of the input folder)")


def _is_output_folder(path: Path) -> bool:
    return (path / STATE_FILE).exists() or (path / OLD_STATE_FILE).exists()


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def discover(in_dir: Path, out_dir: Path) -> list[Entry]:
    """Every entry under `in_dir`, in sorted order, each either an input or a finished report line."""
    root, out = in_dir.resolve(), out_dir.resolve()
    try:
        st = out.stat()
        out_id = (st.st_dev, st.st_ino)
    except OSError:
        out_id = None
    entries: list[Entry] = []

    def add(rel: str, path: Path, status: Status, error: str | None = None, reason: str | None = None):
        entries.append(Entry(rel, path, status, error=error, reason=reason))

    def visit(de: os.DirEntry, prefix: str) -> tuple[Path, str] | None:
        """Report one entry; a folder to enter is returned (entered later, without recursion)."""
        rel, path = prefix + de.name, Path(de.path)
        try:
            if de.is_symlink():
                _link(rel, path)
            elif de.is_dir(follow_symlinks=False):
                st = de.stat(follow_symlinks=False)
                if (st.st_dev, st.st_ino) == out_id:
                    add(rel + "/", path, Status.SKIPPED, reason="the output folder of this run")
                elif de.name.startswith("."):
                    add(rel + "/", path, Status.SKIPPED, reason="hidden folder")
                elif _is_output_folder(path):
                    add(rel + "/", path, Status.SKIPPED, reason="output folder of an earlier run")
                else:
                    return path, rel + "/"
            else:
                _file(rel, path, de.stat(follow_symlinks=False).st_mode)
        except OSError as e:
            add(rel, path, Status.FAILED, error=f"cannot read: {e.strerror or e}")
        return None

    def walk(top: Path) -> None:
        """Depth first, in sorted order, with a stack of open listings instead of recursion (a
        tree thousands of folders deep cannot exhaust Python's recursion limit)."""
        stack: list[tuple[Iterator[os.DirEntry], str]] = []

        def enter(folder: Path, prefix: str) -> None:
            try:
                children = sorted(os.scandir(folder), key=lambda d: d.name)
            except OSError as e:
                add(prefix or ".", folder, Status.FAILED, error=f"cannot list the folder: {e.strerror or e}")
                return
            stack.append((iter(children), prefix))

        enter(top, "")
        while stack:
            children, prefix = stack[-1]
            de = next(children, None)
            if de is None:
                stack.pop()
            elif (sub := visit(de, prefix)) is not None:
                enter(*sub)

    def _link(rel: str, path: Path) -> None:
        try:
            target = path.resolve(strict=True)
        except RuntimeError:  # Python 3.11: "Symlink loop from ..."
            add(rel, path, Status.FAILED, error="symlink loop")
            return
        except OSError as e:
            add(rel, path, Status.FAILED, error="symlink loop" if e.errno == 40 else
                f"broken symlink (target {os.readlink(path)!r} not found)")
            return
        if not target.is_relative_to(root):
            add(rel, path, Status.FAILED, error=f"refused: symlink to {target}, outside the input folder")
        elif target.is_dir():
            add(rel + "/", path, Status.SKIPPED, reason="symlink to a folder (not followed)")
        else:
            _file(rel, path, target.stat().st_mode, target)

    def _file(rel: str, path: Path, mode: int, read_from: Path | None = None) -> None:
        name = path.name
        if name.startswith("~$"):
            add(rel, path, Status.SKIPPED, reason="Office lock file")
        elif name.startswith("."):
            add(rel, path, Status.SKIPPED, reason="hidden file")
        elif not stat.S_ISREG(mode):
            add(rel, path, Status.UNSUPPORTED, error=f"{_kind(mode)}, not a document")
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            add(rel, path, Status.UNSUPPORTED, error=f"unsupported file type {path.suffix or '(none)'}")
        else:  # a link is read through its checked target, not followed again later
            entries.append(Entry(rel, read_from or path))

    walk(in_dir)
    name_outputs([e for e in entries if e.status is None])
    return entries


def name_outputs(inputs: list[Entry]) -> None:
    """Set `out_rel` on each input: its own path, or, when another input in the same folder has
    the same stem (case-insensitively), its file name plus ".src" so that the stem keeps the
    extension (`a.md` -> stem `a.md` -> `a.md.ru.md`)."""
    def stem_of(e: Entry) -> str:
        return str(Path(e.out_rel).with_suffix("")).lower()

    for e in inputs:
        e.out_rel = e.rel
    for _round in range(3):
        groups: dict[str, list[Entry]] = {}
        for e in inputs:
            groups.setdefault(stem_of(e), []).append(e)
        clashes = [g for g in groups.values() if len(g) > 1]
        if not clashes:
            break
        for group in clashes:
            for i, e in enumerate(group):
                if e.out_rel == e.rel:
                    e.out_rel = e.rel + ".src"
                else:  # already named after its file name: only case differs ("A.txt", "a.txt")
                    e.out_rel = f"{e.rel}~{i + 1}.src"
    for e in inputs:
        shorten(e)


def shorten(e: Entry) -> None:
    """Outputs of a name too long for the file system (a 120-letter Cyrillic title is 240 bytes
    of the 255 a name may have) are named after the start of it and a hash of the whole path:
    unique, the same every run, and recorded in the report line (`output_name`)."""
    out = Path(e.out_rel)
    stem = out.with_suffix("").name
    if len(os.fsencode(stem)) <= MAX_STEM_BYTES:
        return
    digest = hashlib.sha256(os.fsencode(e.out_rel)).hexdigest()[:10]
    short = stem
    while len(os.fsencode(short)) > MAX_STEM_BYTES - len(digest) - 1:
        short = short[:-1]
    e.out_rel = (out.parent / f"{short.rstrip(' .')}~{digest}{out.suffix}").as_posix()
    e.shortened = True


def doc_key(path: Path, options: str, out_rel: str) -> str:
    """The skip key of one input: its content, the pipeline and run options, its output names."""
    h = hashlib.sha256()
    st = path.stat()
    if st.st_size > HASH_LIMIT:  # the reader refuses it anyway; do not read gigabytes to say so
        h.update(f"size={st.st_size} mtime={st.st_mtime_ns}".encode())
    else:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    h.update(json.dumps([options, out_rel]).encode())
    return h.hexdigest()


__all__ = ["FileResult", "Entry", "RunUsageError", "check_folders", "discover", "name_outputs", "shorten",
           "doc_key", "STATE_FILE", "REPORT_FILE"]
