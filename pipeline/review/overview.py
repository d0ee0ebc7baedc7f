"""The batch overview: every document of a run in one sortable table (the review app's first page
and the static export): path, run status and its reason, languages, QA errors and warnings,
low-confidence passages and review state, plus whether the test models made the outputs.

Counts come from the document's JSON record (current: a review save re-checks what it changed);
a document without a record (failed, unsupported, skipped...) keeps what report.jsonl says."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .store import DocEntry

RUN_RECORD_FILE = ".ngo-pipeline-run.json"  # written by `run` (pipeline/run)
#: flag codes that say the models were unsure (language detection, translation confidence)
LOW_CONFIDENCE = frozenset({"lang-uncertain", "low-confidence", "model-score", "low-score"})
#: the reader's notes, not checks of the output
NOT_QA = frozenset({"read-partial", "read-note"})
#: most attention first
STATUS_RANK = {"failed": 0, "partial": 1, "needs-review": 2, "record": 3, "ok": 4, "skipped": 5,
               "unsupported": 6, "planned": 7}
#: ?sort= key -> the row's value it sorts by (numbers: most first)
SORT_KEYS = {
    "attention": lambda r: (STATUS_RANK.get(r["status"], 9), -r["errors"], -r["low_confidence"],
                            -r["warnings"], r["path"]),
    "path": lambda r: r["path"],
    "status": lambda r: (STATUS_RANK.get(r["status"], 9), r["path"]),
    "lang": lambda r: (r["lang"] or "~", r["path"]),
    "errors": lambda r: (-r["errors"], r["path"]),
    "warnings": lambda r: (-r["warnings"], r["path"]),
    "low": lambda r: (-r["low_confidence"], r["path"]),
    "review": lambda r: (r["reviewed"], -r["edits"], r["path"]),
}
TEST_MODELS_NOTE = ("Made with the project's TEST models (models/tiny): these are NOT real translations. "
                    "Do not publish them.")


def is_test_output(record: dict[str, Any] | None) -> bool:
    """Whether a JSON record says its outputs came from the project's test models (the run writes
    `metadata.test_models`)."""
    return bool(record and ((record.get("metadata") or {}).get("test_models") or record.get("test_models")))


def row_of(entry: DocEntry, record: dict[str, Any] | None, anchor: Any = "") -> dict[str, Any]:
    counts = dict(entry.counts or {})
    if record is not None:
        flags = [f for f in record.get("flags") or [] if isinstance(f, dict)]
        qa = [f for f in flags if f.get("code") not in NOT_QA]
        counts = {"qa_errors": sum(f.get("severity") == "error" for f in qa),
                  "qa_warnings": sum(f.get("severity", "warning") == "warning" for f in qa),
                  "low_confidence": sum(str(f.get("code", "")) in LOW_CONFIDENCE
                                        or str(f.get("code", "")).startswith("low-") for f in flags)}
    return {"id": entry.id, "path": entry.path, "status": entry.status, "reason": entry.reason,
            "error": entry.error, "lang": entry.lang, "targets": entry.targets,
            "errors": int(counts.get("qa_errors") or 0), "warnings": int(counts.get("qa_warnings") or 0),
            "low_confidence": int(counts.get("low_confidence") or 0),
            "reviewed": entry.reviewed, "edits": entry.edits, "has_record": bool(entry.id),
            "test_models": is_test_output(record), "anchor": anchor}


def sort_rows(rows: list[dict[str, Any]], key: str | None) -> tuple[list[dict[str, Any]], str]:
    key = key if key in SORT_KEYS else "attention"
    return sorted(rows, key=SORT_KEYS[key]), key


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    by_status: dict[str, int] = {}
    for r in rows:
        by_status[r["status"]] = by_status.get(r["status"], 0) + 1
    return {"documents": len(rows), "by_status": sorted(by_status.items(), key=lambda kv: STATUS_RANK.get(kv[0], 9)),
            "errors": sum(r["errors"] for r in rows), "warnings": sum(r["warnings"] for r in rows),
            "low_confidence": sum(r["low_confidence"] for r in rows),
            "reviewed": sum(r["reviewed"] for r in rows), "with_record": sum(r["has_record"] for r in rows)}


def run_record(out_dir: Path) -> dict[str, Any]:
    """OUT_DIR's run record (what made the outputs), or {} when there is none to read."""
    try:
        data = json.loads((Path(out_dir) / RUN_RECORD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def overview(store, sort: str | None = None) -> dict[str, Any]:
    """{"rows", "sort", "totals", "test_models"} for the document list of `store` (a RunStore)."""
    rows = []
    for entry in store.documents():
        record = None
        if entry.id:
            try:
                record, _ = store.load(entry.id)
            except Exception:  # a record that cannot be read is listed with what the report says
                record = None
        rows.append(row_of(entry, record))
    rows, sort = sort_rows(rows, sort)
    test = any(r["test_models"] for r in rows) or bool(run_record(store.out_dir).get("test_models"))
    return {"rows": rows, "sort": sort, "totals": totals(rows), "test_models": test}


def text_table(view: dict[str, Any]) -> str:
    """The overview as plain text for the terminal (one line per document, then the totals)."""
    lines = [f"{'status':<13}{'errors':>7}{'warn':>6}{'low':>5}  {'review':<10}{'lang':<6}document"]
    for r in view["rows"]:
        review = (f"{r['edits']} edit(s)" if r["edits"] else "reviewed") if r["reviewed"] else ("-" if r["has_record"] else "")
        nums = (r["errors"], r["warnings"], r["low_confidence"]) if r["has_record"] else ("", "", "")
        lines.append(f"{r['status']:<13}{nums[0]:>7}{nums[1]:>6}{nums[2]:>5}  "
                     f"{review:<10}{(r['lang'] or ''):<6}{r['path']}")
    t = view["totals"]
    lines.append(f"{t['documents']} document(s): " + ", ".join(f"{n} {s}" for s, n in t["by_status"])
                 + f"; {t['errors']} QA error(s), {t['warnings']} warning(s), {t['low_confidence']} low-confidence; "
                 f"{t['reviewed']} of {t['with_record']} reviewed")
    if view["test_models"]:
        lines.append("NOTE: " + TEST_MODELS_NOTE)
    return "\n".join(lines)


__all__ = ["overview", "row_of", "sort_rows", "totals", "text_table", "is_test_output", "SORT_KEYS",
           "TEST_MODELS_NOTE"]
