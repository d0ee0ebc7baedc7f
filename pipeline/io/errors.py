"""The size limits readers enforce before reading, and `ReadError` (defined in pipeline.errors)."""
from __future__ import annotations

from pathlib import Path

from ..errors import ReadError

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a press release is kilobytes; 20 MB of text is not one
MAX_PACKAGE_BYTES = 100 * 1024 * 1024  # a .docx/.odt/.pdf file on disk
MAX_EXPANDED = 100 * 1024 * 1024  # bytes inflated from one zip package, all parts together
MAX_PART = 50 * 1024 * 1024  # bytes inflated from one part of a package


class Partial(str):
    """A reader's note saying that some text was NOT read (a `read-partial` flag); a plain `str` note
    only says how the text was read (a `read-note` flag)."""


def read_limited(path: Path, limit: int) -> bytes:
    """The file's bytes, refusing (before reading it all) a file longer than `limit`."""
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        raise ReadError(path, f"cannot read: {e.strerror or e}") from None
    if len(data) > limit:
        raise ReadError(path, f"file is larger than the limit ({limit:,} bytes)")
    return data
