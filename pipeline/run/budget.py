"""A per-document time and memory budget that holds even when a document stalls inside C code.

A signal cannot interrupt a regular expression or a model call running in C, so documents are
processed in a persistent child process (worker.child_main) that builds the Pipeline once and
keeps its models loaded. The parent sends it chunks of documents and reads one outcome per
document as each is written. While it waits it watches the child:

- time: a chunk of n documents gets n x `time_budget` seconds of the child's own work, and every
  finished document renews the allowance of those left. Its own work is the wall-clock time less
  the time its threads waited for a CPU that other programs held (Linux: /proc/PID/task/*/schedstat;
  elsewhere plain wall-clock time; at most 3/4 of it is discounted), so a document is not failed
  because the machine is busy, and a stall (sleeping, blocked) still counts in full;
- memory (psutil, on every system): the child's resident memory may grow by at most `memory_mb`
  over its size when the chunk started. A restarted child loads its models again, so its allowance also includes what
  the models took in the child before it (`model_mb`); the very first chunk of a run, whose
  models' size is not known yet, and every other chunk are held to a ceiling of 80% of the
  machine's memory;
- a crash (a C library aborting, the kernel's OOM killer).

When one of these trips, the child is killed and restarted (models load again); if only one
document was left it is reported failed with the reason, otherwise each document left is redone
alone, so only the culprit fails and the run goes on.

`InProcessWorker` has the same interface without a child (budget 0, or a Pipeline that cannot be
sent to another process): Python exceptions are isolated, stalls are not.
"""
from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

from .measure import WorkClock, physical_memory_mb, rss_mb
from .types import Outcome, RunItem
from .worker import Duplex, MemoryCollector, process_items

log = logging.getLogger(__name__)
POLL_S = 0.05
START_TIMEOUT_S = 900.0  # building the pipeline and loading its models


def recipe(pipeline) -> bytes | None:
    """The Pipeline as bytes a child can rebuild it from, or None. A Pipeline built from a config
    pickles as its recipe (rebuilt cold); any other is sent only while its models are not loaded
    (a loaded one would ship its weights, or not pickle at all)."""
    if getattr(pipeline, "_recipe", None) is None and any(getattr(s, "_warm", False) for _, s in pipeline.stages):
        return None
    try:
        return pickle.dumps(pipeline)
    except Exception as e:
        log.info("the pipeline cannot be sent to a worker process (%s)", e)
        return None


class _Child:
    """subprocess.Popen with the few multiprocessing.Process names used here."""

    def __init__(self, popen: subprocess.Popen):
        self.popen, self.pid = popen, popen.pid

    def is_alive(self) -> bool:
        return self.popen.poll() is None

    @property
    def exitcode(self) -> int | None:
        return self.popen.poll()

    def kill(self) -> None:
        self.popen.kill()

    def join(self, timeout: float | None = None) -> None:
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            pass


class InProcessWorker:
    def __init__(self, pipeline, opts: dict):
        self.pipeline, self.opts = pipeline, opts
        self.collector = MemoryCollector() if opts.get("collect_tm") else None
        self.info: dict = {}

    def start(self) -> dict:
        if self.collector:
            self.collector.prepare(self.pipeline)
        self.pipeline.warm_up()
        return self.info

    def run(self, items: list[RunItem]) -> Iterator[Outcome]:
        for out in process_items(self.pipeline, items, Path(self.opts["out_dir"]), self.opts):
            if self.collector:
                out.tm, out.tm_path = self.collector.drain(self.pipeline), self.collector.path
            yield out

    def close(self, abort: bool = False) -> None:
        pass


class BudgetedWorker:
    def __init__(self, pipeline_bytes: bytes, opts: dict, time_budget: float, memory_mb: float):
        self.recipe, self.opts = pipeline_bytes, opts
        self.time_budget, self.memory_mb = time_budget, memory_mb
        self.proc = self.conn = None
        self.info: dict = {}
        self.restarts = 0
        self.fresh = True  # no document finished since the child (re)started: its models may load now
        self.start_mb = 0.0  # the child's size when it was ready (pipeline built, nothing loaded)
        self.model_mb: float | None = None  # what loading models added to a child, once seen
        self.ceiling_mb = physical_memory_mb() * 0.8

    # -- the child ------------------------------------------------------------------------------
    def start(self) -> dict:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        code = f"from pipeline.run.worker import serve; serve({to_child_r}, {from_child_w})"
        self.proc = _Child(subprocess.Popen([sys.executable, "-c", code], env=env, stdin=subprocess.DEVNULL,
                                            pass_fds=(to_child_r, from_child_w)))
        os.close(to_child_r)
        os.close(from_child_w)
        self.conn = Duplex(Connection(from_child_r, writable=False), Connection(to_child_w, readable=False))
        self.conn.send((self.recipe, self.opts))
        parent = self.conn
        deadline = time.monotonic() + START_TIMEOUT_S
        while not parent.poll(POLL_S):
            if not self.proc.is_alive() or time.monotonic() > deadline:
                code = self.proc.exitcode
                self.kill()
                raise RuntimeError(f"the worker process could not start (exit code {code})")
        try:
            kind, payload = parent.recv()
        except EOFError:
            self.kill()
            raise RuntimeError("the worker process died while loading the pipeline") from None
        if kind == "error":
            self.kill()
            raise pickle.loads(payload)
        self.info = payload
        self.fresh, self.start_mb = True, rss_mb(self.proc.pid)
        return payload

    def kill(self) -> None:
        if self.proc is not None:
            if self.proc.is_alive():
                self.proc.kill()
            self.proc.join(5)
        if self.conn is not None:
            self.conn.close()
        self.proc = self.conn = None

    def close(self, abort: bool = False) -> None:
        """Stop the child: let it finish its chunk (at most 10 s), or kill it at once (`abort`:
        Ctrl-C; its finished documents are recorded, the one in progress is redone next time)."""
        if not abort and self.proc is not None and self.proc.is_alive():
            try:
                self.conn.send(None)
                self.proc.join(10)
            except (OSError, ValueError):
                pass
        self.kill()

    # -- the work -------------------------------------------------------------------------------
    def run(self, items: list[RunItem]) -> Iterator[Outcome]:
        """One outcome per item, in the order they finish."""
        queue = [list(items)]
        while queue:
            chunk = queue.pop(0)
            if self.proc is None:
                self.restarts += 1
                self.start()
            pending = {it.rel: it for it in chunk}
            failure = None
            try:
                self.conn.send(chunk)
            except (OSError, ValueError):
                failure = "the worker process died"
            base = rss_mb(self.proc.pid)
            if self.fresh:  # its models load during this chunk
                base = None if self.model_mb is None else base + self.model_mb
            clock = WorkClock(self.proc.pid)
            allowance = self.time_budget * len(pending)
            while pending and failure is None:
                if self.conn.poll(POLL_S):
                    try:
                        _, outcome = self.conn.recv()
                    except (EOFError, OSError):
                        failure = self._death()
                        break
                    pending.pop(outcome.rel, None)
                    clock.reset()
                    allowance = self.time_budget * len(pending)
                    if self.fresh:
                        self.fresh = False
                        self.model_mb = max(self.model_mb or 0.0, rss_mb(self.proc.pid) - self.start_mb)
                    yield outcome
                elif not self.proc.is_alive():
                    failure = self._death()
                elif self.time_budget and clock.elapsed() > allowance:
                    failure = f"stopped after the time budget of {self.time_budget:g} s per document"
                elif self.memory_mb and (rss := rss_mb(self.proc.pid)) > self.ceiling_mb:
                    failure = f"stopped: used {rss:.0f} MB, more than 80% of this machine's memory"
                elif self.memory_mb and base is not None and rss - base > self.memory_mb:
                    failure = f"stopped: used more than the memory budget of {self.memory_mb:g} MB"
            if failure is None:
                continue
            self.kill()
            left = list(pending.values())
            if len(left) == 1:
                yield Outcome.failed(left[0], failure)
            else:
                log.info("%s while processing %d documents; redoing them one by one", failure, len(left))
                queue = [[it] for it in left] + queue

    def _death(self) -> str:
        self.proc.join(1)
        code = self.proc.exitcode
        if code is not None and code < 0:
            return f"the worker process was killed by signal {-code} (out of memory?)"
        return f"the worker process died (exit code {code})"


def stage_modules(pipeline) -> list[str]:
    """Modules defining the pipeline's stage classes outside this package (plugins, tests): a
    worker imports them first so that their registry names exist there too."""
    return sorted({type(s).__module__ for _, s in pipeline.stages} - {"__main__"}
                  - {m for m in (type(s).__module__ for _, s in pipeline.stages) if m.startswith("pipeline.")})


def make_worker(pipeline, opts: dict, time_budget: float, memory_mb: float):
    """A BudgetedWorker when a budget is set and the pipeline can be sent to a child, else in-process."""
    opts = {**opts, "imports": stage_modules(pipeline)}
    if time_budget or memory_mb:
        data = recipe(pipeline)
        if data is not None:
            return BudgetedWorker(data, opts, time_budget, memory_mb)
        log.warning("the pipeline already has models loaded (or cannot be copied to a worker "
                    "process): documents run in this process, without the time and memory budget")
    return InProcessWorker(pipeline, opts)


__all__ = ["BudgetedWorker", "InProcessWorker", "make_worker", "recipe", "rss_mb"]
