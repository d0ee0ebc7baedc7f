"""The review app (issue 11): `ngo-pipeline review OUT_DIR` serves a run's outputs to the browser
for post-editing; `--export` writes a static HTML copy.

    store.py   the run's documents (report.jsonl, JSON records) and atomic saves
    record.py  a Document rebuilt from its JSON record
    apply.py   edits and confirmations applied to a Document -> human-memory entries
    view.py    what a page shows (rows, flags at spans, fuzzy matches)
    app.py     Starlette routes, token, headers; `serve` on 127.0.0.1
    export.py  the self-contained read-only HTML file
"""
