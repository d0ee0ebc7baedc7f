"""Run a Pipeline over a folder on this machine (the default executor), and `run_folder`, the
entry point that chooses the executor.

- Subfolders of IN_DIR are mirrored under OUT_DIR; no output path may leave OUT_DIR.
- A document whose content, configuration, options and output names are unchanged since the last
  run, and whose outputs are all present, is skipped and nothing is rewritten (`force` redoes it).
- Documents are processed in a worker process with a per-document time and memory budget
  (budget.py), in chunks of a few documents so that the translator batches sentences across
  documents while progress, the report and the resume journal still advance document by document.
- OUT_DIR/report.jsonl: one line per entry of IN_DIR (types.FileResult); OUT_DIR/.ngo-pipeline-run.json:
  the run record (record.py).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import RUN_OPTIONS
from . import driver
from .budget import make_worker
from .plan import discover
from .types import REPORT_FILE, FileResult, Outcome, RunItem, RunUsageError
from .worker import available_cores

if TYPE_CHECKING:
    from ..pipeline import Pipeline

log = logging.getLogger(__name__)
CHUNK_BYTES = 24 * 1024  # input bytes per chunk sent to the worker (a few press releases)


def budget_of(pipeline, time_budget: float | None, memory_mb: float | None) -> tuple[float, float]:
    """Explicit values win, then the Pipeline's `[pipeline]` settings, then config.RUN_OPTIONS's
    defaults (300 s per document, 2048 MB of growth per chunk)."""
    t = time_budget if time_budget is not None else getattr(pipeline, "doc_timeout", None)
    m = memory_mb if memory_mb is not None else getattr(pipeline, "doc_memory_mb", None)
    return (float(RUN_OPTIONS["doc_timeout"][1] if t is None else t),
            float(RUN_OPTIONS["doc_memory_mb"][1] if m is None else m))


def chunks(items: list[RunItem], max_docs: int, max_bytes: int = CHUNK_BYTES) -> Iterator[list[RunItem]]:
    chunk: list[RunItem] = []
    size = 0
    for item in items:
        try:
            n = Path(item.path).stat().st_size
        except OSError:
            n = 0
        if chunk and (len(chunk) >= max_docs or size + n > max_bytes):
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += n
    if chunk:
        yield chunk


class LocalExecutor:
    def __init__(self, pipeline, out_dir: Path, targets, source_lang, time_budget: float,
                 memory_mb: float, address: str | None = None, workers: int | None = None, threads: int = 0,
                 test_models: bool = False):
        # address and workers are the distributed executors' (one worker process here)
        opts = {"out_dir": str(out_dir), "targets": targets, "source_lang": source_lang,
                "test_models": test_models,
                "threads": threads or available_cores(), "log_level": logging.getLogger().level}
        self.batch_size = max(1, int(getattr(pipeline, "batch_size", 16)))
        self.worker = make_worker(pipeline, opts, time_budget, memory_mb)
        self.worker.start()

    def run(self, items: list[RunItem]) -> Iterator[Outcome]:
        for chunk in chunks(items, self.batch_size):
            yield from self.worker.run(chunk)

    def close(self, abort: bool = False) -> None:
        self.worker.close(abort)


def run_folder(pipeline: Pipeline, in_dir: str | Path, out_dir: str | Path, targets: list[str] | None = None,
               source_lang: str | None = None, force: bool = False, dry_run: bool = False, *,
               executor: str | None = None, address: str | None = None, workers: int | None = None,
               time_budget: float | None = None, memory_mb: float | None = None,
               on_plan: Callable[[int], None] | None = None, new_config: bool = False) -> Iterator[FileResult]:
    """Process every document under `in_dir` into `out_dir` with `pipeline`; yield one FileResult
    per entry as it is decided (re-exported as `pipeline.run_folder`). `executor`: "local"
    (default) or "ray" (then `address`, `workers`); the default comes from the Pipeline's
    `[pipeline] executor`. `time_budget` (seconds per document) and `memory_mb` bound each
    document (0 disables the worker process). `on_plan(n)` is called once with the number of
    entries before any work (a progress bar's total). `new_config`: redo an OUT_DIR written with
    another configuration (else that is a RunUsageError; record.py)."""
    from ..registry import executors

    executor = executor or getattr(pipeline, "executor", None) or "local"
    t, m = budget_of(pipeline, time_budget, memory_mb)
    try:
        cls = executors.get(executor)
    except KeyError as e:
        raise RunUsageError(str(e.args[0])) from None

    def make(run_record: dict):
        return cls(pipeline, Path(out_dir), targets, source_lang, t, m,
                   test_models=bool(run_record.get("test_models")),
                   address=address or getattr(pipeline, "address", None),
                   workers=workers or getattr(pipeline, "workers", None))
    yield from driver.run(pipeline, Path(in_dir), Path(out_dir), make, targets=targets,
                          source_lang=source_lang, force=force, dry_run=dry_run, on_plan=on_plan,
                          new_config=new_config)


__all__ = ["run_folder", "FileResult", "discover", "LocalExecutor", "REPORT_FILE", "RunUsageError", "budget_of"]
