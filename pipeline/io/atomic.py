"""Atomic writes and safe output paths: no file is ever half-written, no path leaves its folder."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


class UnsafePathError(Exception):
    pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def make_dirs(folder: Path) -> None:
    """`folder` and its missing parents, created without recursion (Path.mkdir(parents=True) and
    os.makedirs recurse once per level: an output tree mirroring a 1,000-level input tree would
    end in RecursionError)."""
    folder = Path(folder)
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for f in reversed(missing):
        try:
            os.mkdir(f)
        except FileExistsError:
            if not f.is_dir():
                raise


def walk_tree(top: Path, enter: Callable[[Path, os.DirEntry], bool] | None = None
              ) -> Iterator[tuple[Path, os.DirEntry, bool]]:
    """(folder, entry, is_folder) for every entry under `top`, walked with a stack, not recursion
    (output trees mirror input trees of any depth; os.walk, Path.rglob and shutil.rmtree recurse
    once per level). Symlinks are never followed; a folder is entered unless `enter(folder, entry)`
    says no; a folder or entry that cannot be read is passed over."""
    stack = [Path(top)]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for de in entries:
            try:
                is_folder = de.is_dir(follow_symlinks=False)
            except OSError:
                continue
            yield folder, de, is_folder
            if is_folder and (enter is None or enter(folder, de)):
                stack.append(Path(de.path))


def remove_tree(folder: Path) -> None:
    """shutil.rmtree without recursion (it recurses once per level), errors ignored; symlinks
    are removed, never followed."""
    dirs = [Path(folder)]
    for _, e, is_folder in walk_tree(folder):
        if is_folder:
            dirs.append(Path(e.path))  # after its parent: removed before it
            continue
        try:
            os.unlink(e.path)
        except OSError:
            pass
    for d in reversed(dirs):
        try:
            os.rmdir(d)
        except OSError:
            pass


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write `path` through, streamed: it appears whole at the end, or not at all
    (a temporary file in the same folder, fsync, then `os.replace`).

    The file gets the permissions an ordinary `open()` would give (0666 minus the umask), not
    the 0600 of a temporary file, so colleagues on a shared drive can read the outputs."""
    path = Path(path)
    make_dirs(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fchmod(f.fileno(), 0o666 & ~_umask())
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` atomically (see `atomic_writer`): never half-written."""
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError:  # a file name's bytes that are not UTF-8 (cp1251): written as \xcf
            data = data.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace").encode("utf-8")
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"atomic_write needs bytes or str, not {type(data).__name__}")
    with atomic_writer(path) as f:
        f.write(data)


def safe_join(root: Path, relative: Path | str) -> Path:
    """`root / relative`, refusing anything that would land outside `root` (.., absolute, symlinks)."""
    root = Path(root).resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        raise UnsafePathError(f"output path {relative} escapes the output folder {root}")
    return target
