"""Executors: run a Pipeline over a folder of documents.

    plan.py     what a run will do: discovery (every entry gets a report line), output names,
                folder checks, skip keys, FileResult
    journal.py  what a run keeps in OUT_DIR: resume journal, report.jsonl, lock, temp-file sweep
    driver.py   the loop every executor shares: plan, skip unchanged, record each outcome
    worker.py   where documents are read, processed and written (in a worker process or here)
    budget.py   the per-document time and memory budget: a persistent worker process, restarted
                when a document stalls, exhausts memory or crashes it
    local.py    run_folder (the entry point) and the local executor
    ray.py      the Ray executor (Ray Data actor pool; imported only when chosen)

Nothing here imports ray unless the Ray executor is chosen, and pipeline.pipeline imports this
package only inside Pipeline.run_folder.
"""
