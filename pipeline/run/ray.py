"""The Ray executor: the same folder run on a Ray cluster, through Ray Data (issue 14).

    ngo-pipeline run IN --out OUT --executor ray [--address ADDR] [--workers N]

The driver (this process) plans the run exactly as the local executor does (driver.py: discovery,
skip decisions, journal, report), then hands the documents to be processed to Ray Data:

    from_items(documents) ─► map_batches(DocActor, compute=ActorPoolStrategy(size=N), num_cpus=k)
                                   │ each actor: builds the Pipeline once, keeps its models loaded,
                                   │ reads, processes and writes its documents (worker.py), with the
                                   │ same per-document time/memory budget (budget.py)
    driver ◄── one outcome per document (streamed) ─┘ records journal + report, stores new
                                                     translation-memory entries (the only writer)

- Ray sets OMP_NUM_THREADS to the actor's `num_cpus`; the actor's worker process inherits it and
  CTranslate2 (intra_threads=0) and torch use that many threads.
- An actor that dies is restarted by Ray and its batch is retried (Ray Data's defaults for actor
  pools: max_restarts=-1, max_task_retries=-1); outputs are written atomically, so a document is
  either whole or redone, never half-written. Temp files of a killed writer are swept at the end.
- IN_DIR and OUT_DIR must be on storage every node sees at the same path; models too (pulled on
  each node, or a shared models folder). The translation memory is read by the actors and written
  only by the driver (SQLite must not be written from many machines over a shared file system).

Ray is an optional extra (`pip install "ngo-pipeline[ray]"`); nothing imports this module unless
the Ray executor is chosen.
"""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from .budget import make_worker, recipe, stage_modules
from .types import Outcome, RunItem, RunUsageError

log = logging.getLogger(__name__)
THREADS_PER_ACTOR = 4  # CTranslate2 scales well up to about 4 threads per translator
DOCS_PER_BATCH = 4  # documents per actor call: small enough for per-document progress


def import_ray():
    try:
        import ray
        import ray.data  # noqa: F401  (ray without the [data] extra lacks pyarrow and pandas)
    except ImportError as e:
        raise RunUsageError(
            f"the Ray executor needs Ray Data ({e.name or e}): pip install \"ngo-pipeline[ray]\" "
            "(or pip install \"ray[data]==2.60.*\"); without it, use the default local executor") from None
    return ray


class DocActor:
    """A Ray Data actor: one Pipeline per actor, built in its own worker process (budget.py)."""

    def __init__(self, pipeline_bytes: bytes, opts: dict, time_budget: float, memory_mb: float):
        import pickle

        from .worker import import_modules

        import_modules(opts.get("imports"))
        opts = {**opts, "threads": int(os.environ.get("OMP_NUM_THREADS", "0") or 0), "collect_tm": True}
        self.worker = make_worker(pickle.loads(pipeline_bytes), opts, time_budget, memory_mb)
        self.worker.start()

    def __call__(self, batch):
        import numpy as np

        items = [RunItem(**json.loads(x)) for x in batch["item"]]
        outs = []
        for out in self.worker.run(items):
            outs.append(json.dumps(out.to_dict()))  # ASCII: a file name may hold undecodable bytes
        return {"outcome": np.array(outs, dtype=object)}


class RayExecutor:
    def __init__(self, pipeline, out_dir: Path, targets, source_lang, time_budget: float, memory_mb: float,
                 address: str | None = None, workers: int | None = None, threads: int | None = None,
                 test_models: bool = False):
        self.ray = import_ray()
        data = recipe(pipeline)
        if data is None:
            raise RunUsageError("the Ray executor needs a Pipeline whose models are not loaded yet "
                                "(build it with Pipeline.from_config and do not call warm_up)")
        if logging.getLogger().level > logging.INFO:  # Ray's notices would break the progress bar
            for name in ("ray", "ray.data"):
                logging.getLogger(name).setLevel(logging.ERROR)
        self.owns_ray = not self.ray.is_initialized()
        if self.owns_ray:
            self.ray.init(address=address or os.environ.get("RAY_ADDRESS") or None, include_dashboard=False,
                          logging_level=logging.WARNING, log_to_driver=False)
        cpus = int(self.ray.cluster_resources().get("CPU", 1))
        if workers:
            self.threads = threads or max(1, cpus // workers)
            self.workers = workers
            if workers * self.threads > cpus:  # a fixed pool larger than the cluster would wait forever
                log.warning("%d workers x %d CPU(s) do not fit the cluster's %d CPU(s); using %d",
                            workers, self.threads, cpus, max(1, cpus // self.threads))
                self.workers = max(1, cpus // self.threads)
        else:
            self.threads = threads or min(THREADS_PER_ACTOR, cpus)
            self.workers = max(1, cpus // self.threads)
        self.args = (data, {"out_dir": str(Path(out_dir).resolve()), "targets": targets,
                            "source_lang": source_lang, "log_level": logging.getLogger().level,
                            "test_models": test_models,
                            "imports": stage_modules(pipeline)},
                     time_budget, memory_mb)
        self.memory = None
        log.info("Ray executor: %d actor(s) x %d CPU(s) on a cluster of %d CPU(s)", self.workers, self.threads, cpus)

    def run(self, items: list[RunItem]) -> Iterator[Outcome]:
        ray = self.ray
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False  # the CLI's own bar counts documents
        ctx.print_on_execution_start = False
        ds = ray.data.from_items([{"item": json.dumps(asdict(it), ensure_ascii=False)} for it in items],
                                 override_num_blocks=max(1, -(-len(items) // DOCS_PER_BATCH)))
        ds = ds.map_batches(DocActor, fn_constructor_args=self.args, batch_size=DOCS_PER_BATCH,
                            compute=ray.data.ActorPoolStrategy(size=self.workers), num_cpus=self.threads,
                            batch_format="numpy")
        for row in ds.iter_rows():
            out = Outcome.from_dict(json.loads(row["outcome"]))
            self._store_memory(out.tm, out.tm_path)
            out.tm = out.tm_path = None
            yield out

    def _store_memory(self, rows, path) -> None:
        """The driver is the only writer of the translation memory."""
        if not rows or not path:
            return
        if self.memory is None:
            from ..memory import TranslationMemory

            self.memory = TranslationMemory(path)
        self.memory.store([tuple(r) for r in rows])

    def close(self, abort: bool = False) -> None:
        if self.owns_ray and self.ray.is_initialized():
            self.ray.shutdown()


__all__ = ["RayExecutor", "DocActor", "import_ray"]
