"""From a processed Document to its outcome: the status and counts of its report line, the human
post-edits of an earlier run kept, and its outputs written as a set.

- Status: `partial` when some text could not be read (a reader's `read-partial` note) or a
  sentence in a configured language could not be translated; else `needs-review` when there are
  QA errors, low-confidence passages or sentences kept in their own language (a language outside
  the configured ones); else `ok`. A target equal to the document's own language is simply not
  produced (Document.targets leaves it out): it is not a problem.
- Human post-edits are never overwritten: when the document's JSON record from an earlier run
  holds sentences a person wrote or confirmed (status `human`), the same source sentences keep
  them, whatever the models say now (`--force` re-translates machine output only). The record's
  review state (`metadata.review`) stays when the source text is unchanged.
- Outputs are written into a hidden staging folder inside OUT_DIR, then moved into place: a
  document whose outputs cannot all be written (a full disk, a name too long) leaves none of
  them behind, and its earlier outputs, if any, untouched.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from ..document import Document, Status
from ..io.atomic import remove_tree
from .types import Counts
from .types import Status as RunStatus

#: flag codes that mean "the models were unsure" (language detection, translation confidence)
LOW_CONFIDENCE = frozenset({"lang-uncertain", "low-confidence", "model-score", "low-score"})
NOT_QA = frozenset({"read-partial", "read-note"})  # the reader's notes, not checks of the output
STAGING_PREFIX = ".ngo-run-"


def counts_of(doc: Document, languages: list[str]) -> Counts:
    """QA errors and warnings (a sentence kept in its own language on purpose is counted once, as
    untranslated, not again for the check stage's `untranslated` flag on it)."""
    kept = {(s.id, t) for s in doc.segments if s.lang not in languages
            for t, st in s.status.items() if st == Status.UNTRANSLATED}
    severities = Counter(f.severity for f in doc.flags if f.code not in NOT_QA
                         and not (f.code == "untranslated" and (f.segment, f.lang) in kept))
    return Counts(qa_errors=severities.get("error", 0), qa_warnings=severities.get("warning", 0),
                  low_confidence=sum(f.code in LOW_CONFIDENCE or f.code.startswith("low-") for f in doc.flags),
                  untranslated=sum(any(st == Status.UNTRANSLATED for st in s.status.values())
                                   for s in doc.segments if s.lang not in languages))


def classify(doc: Document, languages: list[str]) -> tuple[RunStatus, str | None, Counts]:
    """The status of a document whose outputs were written, why, and its counts."""
    counts = counts_of(doc, languages)
    problems = [f"not read: {f.message}" for f in doc.flags if f.code == "read-partial"]
    problems += sorted({f.message for f in doc.flags if f.code in ("no-model", "direction-missing")})
    stuck = Counter(t for s in doc.segments if s.lang in languages
                    for t, st in s.status.items() if st == Status.UNTRANSLATED)
    problems += [f"{n} sentence(s) could not be translated into {t}" for t, n in sorted(stuck.items())]
    if problems:
        return RunStatus.PARTIAL, "; ".join(problems), counts
    look = []
    if counts.qa_errors:
        look.append(f"{counts.qa_errors} QA error(s)")
    if counts.low_confidence:
        look.append(f"{counts.low_confidence} low-confidence passage(s)")
    if counts.untranslated:
        other = sorted({s.lang for s in doc.segments if s.lang not in languages
                        and Status.UNTRANSLATED in s.status.values()})
        look.append(f"{counts.untranslated} of {len(doc.segments)} sentence(s) left untranslated "
                    f"(language {', '.join(other)})")
    return (RunStatus.NEEDS_REVIEW, "; ".join(look), counts) if look else (RunStatus.OK, None, counts)


def review_state(metadata: dict[str, Any]) -> dict[str, Any]:
    review = metadata.get("review") or {}
    return {"reviewed": bool(review.get("saves")), "edits": len(review.get("edits") or [])}


def keep_human_edits(doc: Document, record_path: Path) -> int:
    """Put the human sentences of the earlier record at `record_path` back on `doc` (same source
    sentence, same target); keep its review state when the source is unchanged. Returns how many
    sentences were kept."""
    try:
        old = json.loads(record_path.read_bytes())
    except (OSError, ValueError):
        return 0
    if not isinstance(old, dict):
        return 0
    human: dict[tuple[str, str], str] = {}
    for s in old.get("segments") or []:
        if not isinstance(s, dict):
            continue
        for lang, st in (s.get("status") or {}).items():
            text = (s.get("translations") or {}).get(lang)
            if st == Status.HUMAN.value and isinstance(text, str):
                human[(s.get("source"), lang)] = text
    kept = 0
    targets = set(doc.targets)
    for seg in doc.segments:
        for lang in targets:
            text = human.get((seg.original, lang))
            if text is not None:
                seg.set_translation(lang, text, Status.HUMAN)
                doc.flags = [f for f in doc.flags if not (f.segment == seg.id and f.lang == lang)]
                kept += 1
    review = (old.get("metadata") or {}).get("review")
    same_source = [s.get("source") for s in old.get("segments") or [] if isinstance(s, dict)] == \
        [s.original for s in doc.segments]
    if review and same_source:
        doc.metadata["review"] = review
    return kept


def write_staged(doc: Document, out_dir: Path, out_rel: str) -> list[str]:
    """Write every output of `doc` (io.write_outputs) into a staging folder, then move them into
    place; returns their paths relative to OUT_DIR. Nothing is left behind when a write fails."""
    from ..io import write_outputs
    from ..io.atomic import make_dirs, safe_join

    root = out_dir.resolve()
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    folder = Path(out_rel).parent  # every output sits beside the others: staged flat, moved there
    moved: list[str] = []
    try:
        paths = write_outputs(doc, staging, Path(Path(out_rel).name))
        for p in paths.values():
            rel = folder / Path(p).name
            dest = safe_join(root, rel)
            make_dirs(dest.parent)
            os.replace(p, dest)
            moved.append(rel.as_posix())
    except BaseException as e:
        if moved:  # a move failed half-way (rare: same folder): say what is there
            e.add_note(f"outputs already in place: {', '.join(moved)}")
        raise
    finally:
        remove_tree(staging)
    return moved


__all__ = ["classify", "counts_of", "review_state", "keep_human_edits", "write_staged", "STAGING_PREFIX",
           "LOW_CONFIDENCE"]
