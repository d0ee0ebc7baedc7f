"""What the review page shows, built from a document's JSON record (and the human memory, for who
made a human translation and which similar sentences it holds): paragraphs of sentence rows, the
source beside each target language, flags at their sentence and span, summaries.

Texts are returned as plain strings and (text, marked) pieces; the templates escape every one."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from .record import open_flags

STATUS_LABELS = {
    "translated": "machine", "memory": "memory (machine)", "human": "memory (human)",
    "copied": "copied", "untranslated": "untranslated",
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
#: the review order (issue 22): a sentence with an error first, then one the models find unlikely
#: (`low-confidence`), then other warnings, then the rest; the page orders and filters by it
RISKS = ("error", "low-confidence", "warning", "none")
LOW_CONFIDENCE = "low-confidence"


def risk(flags: list[dict[str, Any]]) -> int:
    """The index in RISKS of a sentence's riskiest flag (3: no flag)."""
    if any(f.get("severity") == "error" for f in flags):
        return 0
    if any(f.get("code") == LOW_CONFIDENCE for f in flags):
        return 1
    return 2 if flags else 3


def _span(flag: dict[str, Any], length: int, side: str = "translation") -> tuple[int, int] | None:
    """The flag's character span on `side` ("translation" or "source"): the QA engine writes
    {"side", "start", "end", "text"}; a bare [start, end] is on the translation."""
    span = flag.get("span")
    if isinstance(span, dict):
        if span.get("side", "translation") != side:
            return None
        span = (span.get("start"), span.get("end"))
    elif side != "translation":
        return None
    if (isinstance(span, list | tuple) and len(span) == 2 and all(isinstance(x, int) for x in span)
            and 0 <= span[0] < span[1] <= length):
        return span[0], span[1]
    return None


def pieces(text: str, flags: list[dict[str, Any]], side: str = "translation") -> list[dict[str, Any]]:
    """`text` cut at the flagged spans: [{"text", "mark": bool, "title"}], in order, covering it all."""
    n = len(text)
    marks = sorted({s for f in flags if (s := _span(f, n, side))})
    out, pos = [], 0
    for start, end in marks:
        start = max(start, pos)
        if start >= end:
            continue
        if start > pos:
            out.append({"text": text[pos:start], "mark": False, "title": ""})
        title = "; ".join(f"{f.get('code')}: {f.get('message', '')}" for f in flags
                          if (s := _span(f, n, side)) and s[0] < end and s[1] > start)
        out.append({"text": text[start:end], "mark": True, "title": title})
        pos = end
    if pos < len(text) or not out:
        out.append({"text": text[pos:], "mark": False, "title": ""})
    return out


def document_view(record: dict[str, Any], memory=None, fuzzy_threshold: float = 0.8,
                  fuzzy_limit: int = 3) -> dict[str, Any]:
    targets = [t for t in record.get("targets") or [] if isinstance(t, str)]
    doc_lang = record.get("lang") or "unknown"
    by_seg: dict[tuple[str, str | None], list[dict[str, Any]]] = defaultdict(list)
    general = []
    for f in open_flags(record):
        if f.get("segment"):
            by_seg[(f["segment"], f.get("lang"))].append(f)
        else:
            general.append(f)
    segments = {s.get("id"): s for s in record.get("segments") or [] if isinstance(s, dict)}
    human_info = _human_info(segments.values(), targets, doc_lang, memory)
    paragraphs = []
    n_flagged = 0
    risk_counts = dict.fromkeys(RISKS, 0)
    order = 0
    for p in record.get("paragraphs") or []:
        rows = []
        for sid in p.get("segments") or []:
            s = segments.get(sid)
            if s is None:
                continue
            source = str(s.get("source", ""))
            src_flags = by_seg.get((sid, None), [])
            all_flags = [f for (seg_id, _), fs in by_seg.items() if seg_id == sid for f in fs]
            row = {"id": sid, "kind": s.get("kind", "sentence"), "lang": s.get("lang"), "source": source,
                   "source_pieces": pieces(source, all_flags, "source"), "source_flags": src_flags,
                   "targets": [], "flagged": bool(src_flags)}
            src = _src_lang(s, doc_lang, targets)
            for lang in targets:
                text = str((s.get("translations") or {}).get(lang, source))
                flags = sorted(by_seg.get((sid, lang), []), key=lambda f: SEVERITY_ORDER.get(f.get("severity"), 1))
                status = (s.get("status") or {}).get(lang, "")
                cell = {"lang": lang, "text": text, "pieces": pieces(text, flags), "flags": flags,
                        "status": status, "status_label": STATUS_LABELS.get(status, status),
                        "human": human_info.get((src, lang, s.get("model_text") or source)), "fuzzy": []}
                if memory is not None and src and src != lang and status != "human":
                    cell["fuzzy"] = [
                        {"source": m.entry.source, "target": m.entry.target, "similarity": round(m.similarity * 100),
                         "user": m.entry.user, "time": m.entry.time, "origin": m.entry.origin}
                        for m in memory.fuzzy(src, lang, s.get("model_text") or source, fuzzy_threshold,
                                              fuzzy_limit, include_exact=True)
                        if m.entry.target != text]
                row["flagged"] = row["flagged"] or bool(flags)
                row["targets"].append(cell)
            n_flagged += row["flagged"]
            row["risk"] = risk(src_flags + [f for c in row["targets"] for f in c["flags"]])
            row["risk_label"], row["order"] = RISKS[row["risk"]], order
            risk_counts[row["risk_label"]] += 1
            order += 1
            rows.append(row)
        paragraphs.append({"index": p.get("index"), "kind": p.get("kind", "body"), "rows": rows})
    review = (record.get("metadata") or {}).get("review") or {}
    return {"id": record.get("id"), "source_path": record.get("source_path"), "format": record.get("format"),
            "lang": doc_lang, "targets": targets, "paragraphs": paragraphs, "flags": general,
            "summaries": {k: v for k, v in (record.get("summaries") or {}).items() if isinstance(v, str)},
            "flagged": n_flagged, "review": review, "risk_counts": risk_counts,
            "test_models": bool((record.get("metadata") or {}).get("test_models"))}


def _src_lang(seg: dict[str, Any], doc_lang: str, targets: list[str]) -> str | None:
    lang = seg.get("lang")
    if lang not in (None, "unknown", "other"):
        return lang
    if lang == "unknown" and doc_lang not in ("unknown", "other"):
        return doc_lang
    return None


def _human_info(segments, targets, doc_lang, memory) -> dict[tuple, dict[str, str]]:
    """Who and when for the sentences whose translation came from a human entry."""
    if memory is None:
        return {}
    wanted: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s in segments:
        src = _src_lang(s, doc_lang, targets)
        for lang, status in (s.get("status") or {}).items():
            if status == "human" and src and src != lang:
                wanted[(src, lang)].append(s.get("model_text") or s.get("source", ""))
    out = {}
    for (src, lang), texts in wanted.items():
        for text, e in memory.get_many(src, lang, texts).items():
            out[(src, lang, text)] = {"user": e.user, "time": e.time, "origin": e.origin,
                                      "target": e.target}
    return out


def by_risk(view: dict[str, Any], worst: int = len(RISKS) - 1) -> list[dict[str, Any]]:
    """The document's sentence rows riskiest first (document order within a level), keeping those
    at risk level `worst` or riskier (0: errors only, 1: errors and low confidence...)."""
    rows = [r for p in view["paragraphs"] for r in p["rows"] if r["risk"] <= worst]
    return sorted(rows, key=lambda r: (r["risk"], r["order"]))


__all__ = ["RISKS", "by_risk", "document_view", "pieces", "risk", "STATUS_LABELS"]
