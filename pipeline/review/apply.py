"""Applying a reviewer's edits and confirmations to a Document: the new target sentences (status
`human`), the flags they resolve (kept in `metadata.review`, not lost), the record of who changed
what and when, and the human-memory entries they become."""
from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from ..document import Document, Flag
from ..memory.human import HumanEntry

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINEBREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


class InvalidChange(ValueError):
    pass


def source_lang(doc: Document, seg) -> str | None:
    """The language a segment was translated from (its own, or the document's when unknown)."""
    known = set(doc.targets) | {doc.lang}
    if seg.lang in known and seg.lang not in ("unknown", "other"):
        return seg.lang
    if seg.lang == "unknown" and doc.lang not in ("unknown", "other"):
        return doc.lang
    return None


def clean(text: str, limit: int) -> str:
    if len(text) > limit:
        raise InvalidChange(f"an edited sentence is longer than {limit} characters")
    if _CONTROL.search(text):
        raise InvalidChange("an edited sentence contains control characters")
    return _LINEBREAKS.sub(" ", text).strip()


def apply_changes(doc: Document, changes: list[dict[str, Any]], user: str, time: str,
                  limit: int = 5000, recheck=None) -> list[HumanEntry]:
    """Apply `changes` ([{"segment", "lang", "text"?}]) to `doc`; return the human-memory entries.

    `recheck(pairs)`: QA of the edited sentences, [(source, translation, src_lang, tgt_lang)] ->
    one list of flags ({"code", "severity", "message", "span"?}) per pair; their flags replace
    the ones the edit resolved. Confirmed sentences are not re-checked (a person accepted them)."""
    if not isinstance(changes, list) or not changes:
        raise InvalidChange("nothing to save")
    segs = {s.id: s for s in doc.segments}
    review = doc.metadata.setdefault("review", {})
    edits, confirmed = review.setdefault("edits", []), review.setdefault("confirmed", [])
    resolved = review.setdefault("resolved_flags", [])
    entries: list[HumanEntry] = []
    done: set[tuple[str, str]] = set()
    edited: list[tuple[Any, str, str, str]] = []
    n_edit = n_confirm = 0
    for ch in changes:
        if not isinstance(ch, dict):
            raise InvalidChange("each change must be an object")
        sid, lang = ch.get("segment"), ch.get("lang")
        seg = segs.get(sid) if isinstance(sid, str) else None
        if seg is None or not isinstance(lang, str) or lang not in doc.targets:
            raise InvalidChange(f"unknown sentence or language: {str(ch.get('segment'))[:40]} {str(lang)[:10]}")
        if (seg.id, lang) in done:
            raise InvalidChange(f"sentence {seg.id} [{lang}] appears twice in one save")
        done.add((seg.id, lang))
        text = ch.get("text")
        before = seg.translations.get(lang, seg.text)
        if text is not None and not isinstance(text, str):
            raise InvalidChange("text must be a string")
        text = before if text is None else clean(text, limit)
        action = "confirmed" if text == before else "post-edit"
        _set(seg, lang, text)
        if action == "post-edit":
            edits.append({"segment": seg.id, "lang": lang, "before": before, "after": text, "user": user, "time": time})
            n_edit += 1
        else:
            confirmed.append({"segment": seg.id, "lang": lang, "user": user, "time": time})
            n_confirm += 1
        keep = []
        for f in doc.flags:
            if f.segment == seg.id and f.lang == lang:
                resolved.append({**asdict(f), "by": action, "user": user, "time": time})
            else:
                keep.append(f)
        doc.flags = keep
        src = source_lang(doc, seg)
        if src and src != lang and text:
            entries.append(HumanEntry(src, lang, seg.text, text, user, time, action))
            if action == "post-edit":
                edited.append((seg, src, lang, text))
    if recheck is not None and edited:
        _recheck(doc, edited, recheck)
    review.setdefault("saves", []).append({"user": user, "time": time, "edits": n_edit, "confirmed": n_confirm})
    return entries


def _recheck(doc: Document, edited: list[tuple[Any, str, str, str]], recheck) -> None:
    try:
        results = recheck([(seg.text, text, src, lang) for seg, src, lang, text in edited])
    except Exception as e:  # QA failing must not lose the reviewer's work; say so in the record
        doc.metadata["review"].setdefault("recheck_errors", []).append(f"{type(e).__name__}: {e}")
        return
    for (seg, _src, lang, _text), flags in zip(edited, results, strict=True):
        doc.flags += [Flag(code=f["code"], message=f["message"], severity=f.get("severity", "warning"),
                           segment=seg.id, lang=lang, span=f.get("span") or None) for f in flags]


def _set(seg, lang: str, text: str) -> None:
    try:
        from ..document import Status

        seg.set_translation(lang, text, Status.HUMAN)
    except (ImportError, AttributeError):
        seg.translations[lang] = text
        if isinstance(getattr(seg, "status", None), dict):
            seg.status[lang] = "human"
