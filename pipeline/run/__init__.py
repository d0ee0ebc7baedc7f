"""Executors: run a Pipeline over a folder of documents.

    types.py    the values passed around, defined once: file names, Status, RunItem, Outcome,
                FileResult (a report line)
    plan.py     what a run will do: discovery (every entry gets a report line, walked without
                recursion), output names (shortened when too long), folder checks, skip keys
    record.py   the run record in OUT_DIR (configuration, model revisions, memory, targets)
    journal.py  what a run keeps in OUT_DIR: resume journal, report.jsonl (whole lines), lock,
                temp-file sweep
    driver.py   the loop every executor shares: plan, skip unchanged, record each outcome, write
                failures, read-only OUT_DIR
    worker.py   where documents are read, processed and written (in a worker process or here)
    outcome.py  a processed document's status and counts, post-edits kept, outputs staged
    budget.py   the per-document time and memory budget: a persistent worker process, restarted
                when a document stalls, exhausts memory or crashes it
    measure.py  what the budget measures (psutil memory, the worker's own working time)
    local.py    run_folder (the entry point, re-exported as `pipeline.run_folder`) and the
                local executor
    ray.py      the Ray executor (Ray Data actor pool; imported only when chosen)

Nothing here imports ray unless the Ray executor is chosen. The runner uses a Pipeline; the
Pipeline (pipeline/pipeline.py) knows nothing of the runner: the package's `__init__`, above both,
offers `run_folder(pipe, in_dir, out_dir)`.
"""
