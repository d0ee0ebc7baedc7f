"""Where documents are processed: read, run through the Pipeline, write the outputs.

`process_items` does it for a chunk of documents in the current process and yields one outcome
(a plain dict, the same for every executor) per document as soon as its outputs are written. A
Python exception fails only its document: the documents after it are redone one at a time.

`child_main` is the same work in a separate, persistent process (see budget.py): it builds the
Pipeline once, keeps its models loaded, and answers chunks sent over a pipe. It ignores Ctrl-C
(the parent decides) and dies with its parent (Linux: PR_SET_PDEATHSIG), so that a killed run
leaves no orphan writing files.

An outcome is a types.Outcome; in collect mode its `tm` holds the new translation-memory entries
([[translator_key, source, target], ...]): the Ray executor stores them from the driver, so that
SQLite has one writer. outcome.py decides statuses and writes the outputs.
"""
from __future__ import annotations

import errno
import importlib
import logging
import os
import pickle
import signal
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock

from .outcome import classify, keep_human_edits, review_state, write_staged
from .types import REVIEW_LOCK_FILE, Outcome, RunItem
from .types import Status as RunStatus

log = logging.getLogger(__name__)
TEST_MODELS_NOTE = "made with the project's test models (models/tiny): not real translations"


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


def process_items(pipeline, items: list[RunItem], out_dir: Path, opts: dict) -> Iterator[Outcome]:
    """Read, process and write a chunk of documents; one Outcome per item as each is written.
    `opts`: targets, source_lang, test_models (mark the records: made with the test models)."""
    from ..io import ReadError, read_document

    targets, source_lang = opts.get("targets"), opts.get("source_lang")
    docs, keep = [], []
    for item in items:
        try:
            docs.append(pipeline.prepare(read_document(item.path), targets, source_lang))
            keep.append(item)
        except ReadError as e:
            yield _read_failure(item, e)
        except Exception as e:  # a reader bug must not stop the chunk either
            yield Outcome.failed(item, f"cannot read: {type(e).__name__}: {e}")
    done = 0
    try:
        for doc in pipeline.pipe(docs):
            item = keep[done]
            done += 1
            yield finish(pipeline, doc, item, out_dir, opts)
    except Exception as e:
        rest = keep[done:]
        if len(rest) == 1:
            log.debug("failed: %s", rest[0].rel, exc_info=True)
            yield Outcome.failed(rest[0], f"{type(e).__name__}: {e}")
            return
        for item in rest:  # isolate the bad document: redo each one alone from a fresh read
            yield from process_items(pipeline, [item], out_dir, opts)


def _read_failure(item: RunItem, e) -> Outcome:
    if "empty document" in e.reason:  # nothing to translate is not a failure
        return Outcome(item.rel, item.key, RunStatus.SKIPPED, reason="empty")
    return Outcome.failed(item, e.reason)


def finish(pipeline, doc, item: RunItem, out_dir: Path, opts: dict) -> Outcome:
    """Keep the earlier human edits, mark test output, classify and write one processed document."""
    from ..io.writers import output_paths

    try:
        doc.id = os.fsencode(doc.id).decode("utf-8", "backslashreplace")  # a cp1251 file name's stem
        if opts.get("test_models"):
            doc.metadata["test_models"] = TEST_MODELS_NOTE
        with FileLock(str(Path(out_dir) / REVIEW_LOCK_FILE)):  # no review save between reading and writing
            keep_human_edits(doc, output_paths(doc, out_dir, Path(item.out_rel))["json"])
            status, reason, counts = classify(doc, list(pipeline.languages))
            written = write_staged(doc, out_dir, item.out_rel)
    except Exception as e:
        return Outcome.failed(item, f"cannot write outputs: {_error_text(e)}", lang=doc.lang)
    return Outcome(item.rel, item.key, status, written, lang=doc.lang, reason=reason, counts=counts,
                   review=review_state(doc.metadata))


def _error_text(e: Exception) -> str:
    if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return f"{e.strerror} (disk full or file-size limit): {e.filename or ''}".rstrip(": ")
    return f"{type(e).__name__}: {e}"


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
    """Two one-way pipe connections used as one (the worker's and its parent's end alike)."""

    def __init__(self, rx, tx):
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
        for outcome in process_items(pipeline, items, out_dir, opts):
            if collector:
                outcome.tm, outcome.tm_path = collector.drain(pipeline), collector.path
            conn.send(("done", outcome))


__all__ = ["process_items", "child_main", "serve", "import_modules", "MemoryCollector", "available_cores",
           "set_threads", "finish", "TEST_MODELS_NOTE"]
