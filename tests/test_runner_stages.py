"""Misbehaving stages for the batch-runner tests (no tests here). A marker word in a document makes
the stage raise, stall, hog memory or kill its process. They live in an importable module because
the runner's worker process rebuilds the pipeline from a pickle, which imports the stage classes."""
from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

from pipeline import Stage, register


@register("test.explode-on-marker")
class ExplodeOnMarker(Stage):
    def process_batch(self, docs):
        for doc in docs:
            if "EXPLODE" in doc.text:
                raise RuntimeError("stage crashed on this document")
        return docs


@register("test.misbehave")
class Misbehave(Stage):
    """STALL: sleeps (a stall a signal could not interrupt, as far as the runner knows);
    HOG: touches 1.5 GB; CRASH: the process kills itself with SIGSEGV."""

    def process_batch(self, docs):
        for doc in docs:
            if "STALL" in doc.text:
                time.sleep(3600)
            if "HOG" in doc.text:
                hog = bytearray(1536 * 2**20)
                for i in range(0, len(hog), 4096):
                    hog[i] = 1
            if "CRASH" in doc.text:
                os.kill(os.getpid(), signal.SIGSEGV)
        return docs


def config_with_stage(model_config: Path, name: str, factory: str, dest: Path) -> Path:
    """The tiny-model config with one more stage right after `segment`."""
    text = model_config.read_text(encoding="utf-8")
    old = 'stages = ["segment", "detect", "translate", "summarize", "check"]'
    assert old in text
    text = text.replace(old, "stages = " + json.dumps(["segment", name, "detect", "translate", "summarize", "check"]))
    text += f'\n[stages.{name}]\nfactory = "{factory}"\n'
    dest.write_text(text, encoding="utf-8")
    return dest


def wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@register("test.kill-actor-once")
class KillActorOnce(Stage):
    """Kills the Ray actor processing `en3.txt` the first time (a machine lost mid-run); `flag`
    is a file that records that it happened, so the retried batch goes through."""

    def __init__(self, flag: str = ""):
        self.flag = flag

    def process_batch(self, docs):
        if any(doc.source_path and doc.source_path.name == "en3.txt" for doc in docs) and not os.path.exists(self.flag):
            Path(self.flag).write_text("killed")
            for pid in (os.getppid(), os.getpid()):  # the actor: this worker's parent, or this process
                try:
                    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                except OSError:
                    continue
                if cmdline.startswith(b"ray::"):
                    os.kill(pid, signal.SIGKILL)
                    time.sleep(60)  # the worker process dies with its actor
            raise RuntimeError("not running in a Ray actor")
        return docs


def outputs_of(folder: Path) -> dict[str, object]:
    """The outputs of a run for comparison with another run's: every file but the run's own
    bookkeeping (lock, journal, report), JSON records parsed, with a segment's status "memory"
    read as "translated" (whether a sentence came from the translation memory depends on which
    runs came before, not on what was produced)."""
    out: dict[str, object] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if not p.is_file() or p.name.startswith(".ngo-pipeline") or p.name == "report.jsonl":
            continue
        if p.suffix == ".json":
            rec = json.loads(p.read_text(encoding="utf-8"))
            for seg in rec.get("segments", []):
                seg["status"] = {k: "translated" if v == "memory" else v for k, v in seg.get("status", {}).items()}
            out[rel] = rec
        else:
            out[rel] = p.read_bytes()
    return out
