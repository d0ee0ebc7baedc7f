"""Old Word files (.doc): converted to .docx by LibreOffice, headless, when it is installed; a clear
message otherwise. The converted copy lives in a private temporary folder for the process."""
from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import ReadError

TIMEOUT_S = 120
_TMP: list[str] = []


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_doc(path: Path) -> Path:
    """The .docx LibreOffice makes of `path` (in a temporary folder removed at exit)."""
    exe = _soffice()
    if exe is None:
        raise ReadError(path, "reading .doc needs LibreOffice (apt-get install libreoffice-writer-nogui, "
                              "or Windows/macOS: install LibreOffice), or save the file as .docx in Word")
    out = tempfile.mkdtemp(prefix="ngo-doc-")
    if not _TMP:
        atexit.register(lambda: [shutil.rmtree(d, ignore_errors=True) for d in _TMP])
    _TMP.append(out)
    profile = Path(out) / "profile"
    cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", "docx:MS Word 2007 XML", "--outdir", out, str(path)]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise ReadError(path, f"LibreOffice did not convert the file within {TIMEOUT_S} s") from None
    result = Path(out) / (path.stem + ".docx")
    if done.returncode != 0 or not result.exists():
        msg = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[-300:]
        raise ReadError(path, f"LibreOffice could not convert the .doc file: {msg or 'no output'}")
    return result
