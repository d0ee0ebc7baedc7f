"""Where documents are processed: read, run through the Pipeline, write the outputs.

`process_items` does it for a chunk of documents in the current process and yields one outcome
(a plain dict, the same for every executor) per document as soon as its outputs are written. A
Python exception fails only its document: the documents after it are redone one at a time.

`child_main` is the same work in a separate, persistent process (see budget.py): it builds the
Pipeline once, keeps its models loaded, and answers chunks sent over a pipe. It ignores Ctrl-C
(the parent decides) and dies with its parent (Linux: PR_SET_PDEATHSIG), so that a killed run
leaves no orphan writing files.

Outcome: {"rel", "key", "status": ok|partial|failed, "outputs", "error", "lang", "reason",
"tm": [[translator_key, source, target], ...]} ("tm" only in collect mode: the Ray executor stores
new translation-memory entries from the driver, so that SQLite has one writer).
"""
from __future__ import annotations

import importlib
import logging
import os
import pickle
import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

log = logging.getLogger(__name__)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def set_threads(n: int) -> None:
    """Thread count for torch and CTranslate2 (which reads OMP_NUM_THREADS with intra_threads=0).
    Must run before torch is imported. A value already set (by the user, or by Ray from the
    actor's num_cpus) is kept."""
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, n)))


class MemoryCollector:
    """Keeps this process from writing the translation memory: the translate stage opens it
    read-only (`Stage.hold_memory_writes`) and new entries are handed out by `drain()` for the one writer.
    `prepare` must run before the stages load (warm_up)."""

    def __init__(self) -> None:
        self.path: str | None = None

    def prepare(self, pipeline) -> None:
        for _, stage in pipeline.stages:
            stage.hold_memory_writes()

    def drain(self, pipeline) -> list[list[str]]:
        rows: list[list[str]] = []
        for _, stage in pipeline.stages:
            held = stage.drain_memory()
            if held is not None:
                self.path = str(held[0])
                rows += held[1]
        return rows


def _partial_reason(doc, requested: list[str] | None = None) -> str | None:
    """Why a processed document is not wholly translated, or None."""
    reasons = []
    segs = doc.segments
    left = Counter(s.lang for s in segs if "untranslated" in s.flags)
    if left:
        n = sum(left.values())
        langs = ", ".join(f"{lang}" for lang in sorted(left))
        reasons.append(f"{n} of {len(segs)} sentence(s) left untranslated (language {langs})")
    no_model = sorted({f.message for f in doc.flags if f.code in ("no-model", "direction-missing")})
    reasons += no_model
    same = [t for t in (requested or doc.targets) if t == doc.lang]
    if same:
        reasons.append(f"the document is already in {', '.join(same)}: not translated into it")
    return "; ".join(reasons) or None


def _umask() -> int:
    try:
        with open("/proc/self/status") as f:
            return next(int(ln.split()[1], 8) for ln in f if ln.startswith("Umask:"))
    except (OSError, StopIteration, ValueError):
        mask = os.umask(0)
        os.umask(mask)
        return mask


def _honour_umask(paths) -> None:
    """Outputs get the mode an ordinary open() gives (0666 minus the umask), not a temporary
    file's 0600, so colleagues on a shared drive can open them."""
    mode = 0o666 & ~_umask()
    for p in paths:
        if p.stat().st_mode & 0o777 != mode:
            os.chmod(p, mode)


def _outcome(item: dict, status: str, **kw: Any) -> dict:
    return {"rel": item["rel"], "key": item["key"], "status": status, "outputs": kw.get("outputs", []),
            "error": kw.get("error"), "lang": kw.get("lang"), "reason": kw.get("reason")}


def process_items(pipeline, items: list[dict], out_dir: Path, targets: list[str] | None,
                  source_lang: str | None) -> Iterator[dict]:
    from ..io import ReadError, read_document, write_outputs

    docs, keep = [], []
    for item in items:
        try:
            docs.append(pipeline.prepare(read_document(item["path"]), targets, source_lang))
            keep.append(item)
        except ReadError as e:
            yield _outcome(item, "failed", error=e.reason)
        except Exception as e:  # a reader bug must not stop the chunk either
            yield _outcome(item, "failed", error=f"cannot read: {type(e).__name__}: {e}")
    done = 0
    try:
        for doc in pipeline.pipe(docs):
            item = keep[done]
            done += 1
            try:
                paths = write_outputs(doc, out_dir, Path(item["out_rel"]))
                _honour_umask(paths.values())
                root = out_dir.resolve()
                written = [p.relative_to(root).as_posix() for p in paths.values()]
                reason = _partial_reason(doc, targets)
                yield _outcome(item, "partial" if reason else "ok", outputs=written, lang=doc.lang,
                               reason=reason)
            except Exception as e:
                yield _outcome(item, "failed", lang=doc.lang,
                               error=f"cannot write outputs: {type(e).__name__}: {e}")
    except Exception as e:
        rest = keep[done:]
        if len(rest) == 1:
            log.debug("failed: %s", rest[0]["rel"], exc_info=True)
            yield _outcome(rest[0], "failed", error=f"{type(e).__name__}: {e}")
            return
        for item in rest:  # isolate the bad document: redo each one alone from a fresh read
            yield from process_items(pipeline, [item], out_dir, targets, source_lang)


def import_modules(names: list[str]) -> None:
    for name in names or []:
        try:
            importlib.import_module(name)
        except ImportError as e:
            log.warning("cannot import %s in the worker: %s", name, e)


def _die_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _exception_bytes(e: BaseException) -> bytes:
    try:
        data = pickle.dumps(e)
        pickle.loads(data)
        return data
    except Exception:
        return pickle.dumps(RuntimeError(f"{type(e).__name__}: {e}"))


def serve(read_fd: int, write_fd: int) -> None:
    """Entry point of the worker process (started by budget.BudgetedWorker with
    `python -c "...serve(R, W)"`, not by multiprocessing, so the caller's __main__ module is never
    re-imported in the child): the first message is (pipeline bytes, options)."""
    from multiprocessing.connection import Connection

    conn = Connection(read_fd, writable=False)
    out = Connection(write_fd, readable=False)
    recipe, opts = conn.recv()
    child_main(Duplex(conn, out), recipe, opts)


class Duplex:
    """Two one-way pipes as one connection (recv/poll on one, send on the other)."""

    def __init__(self, rx: Connection, tx: Connection):
        self.rx, self.tx = rx, tx
        self.recv, self.poll, self.send = rx.recv, rx.poll, tx.send

    def close(self) -> None:
        self.rx.close()
        self.tx.close()


def child_main(conn, recipe: bytes, opts: dict) -> None:
    """The worker process: build, warm up, then answer chunks until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    set_threads(opts.get("threads") or available_cores())
    logging.basicConfig(level=opts.get("log_level", logging.WARNING),
                        format="%(levelname)s %(name)s: %(message)s")
    collector = MemoryCollector() if opts.get("collect_tm") else None
    try:
        import_modules(opts.get("imports"))
        pipeline = pickle.loads(recipe)
        if collector:
            collector.prepare(pipeline)
        pipeline.warm_up()  # a missing model is reported once, before any document
        if collector:
            collector.drain(pipeline)  # finds the memory's path
    except BaseException as e:
        conn.send(("error", _exception_bytes(e)))
        return
    conn.send(("ready", {"pid": os.getpid(), "tm_path": collector.path if collector else None}))
    out_dir = Path(opts["out_dir"])
    while True:
        try:
            items = conn.recv()
        except (EOFError, OSError):
            return
        if items is None:
            return
        for outcome in process_items(pipeline, items, out_dir, opts.get("targets"), opts.get("source_lang")):
            if collector:
                outcome["tm"] = collector.drain(pipeline)
                outcome["tm_path"] = collector.path
            conn.send(("done", outcome))


__all__ = ["process_items", "child_main", "serve", "import_modules", "MemoryCollector", "available_cores",
           "set_threads"]
