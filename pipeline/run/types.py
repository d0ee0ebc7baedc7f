"""The values a folder run passes around, defined once: the file names it keeps in OUT_DIR, the
statuses of a report line, a document to process (RunItem), what processing it gave (Outcome)
and the report line itself (FileResult).

Statuses (one per entry of IN_DIR):

| status | meaning |
| --- | --- |
| ok | outputs written, nothing to look at |
| needs-review | outputs written; QA errors, low-confidence passages or text left untranslated (counts) |
| partial | outputs written, but something could not be read or translated (`reason`) |
| failed | no outputs (`error`) |
| skipped | not processed on purpose (`reason`: empty, hidden file, Office lock file, ...) |
| unsupported | not a document this tool reads (`error`) |
| planned | a dry run's answer for a document that would be processed |

A document whose outputs are up to date is not processed again: its report line is the outcome
of the run that produced those outputs (status, reason, language, counts) with `unchanged: true`,
and its review state read from its JSON record now.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from enum import Enum
from typing import Any

STATE_FILE = ".ngo-pipeline-state.jsonl"
OLD_STATE_FILE = ".ngo-pipeline-state.json"  # the state file of versions before the journal
RUN_RECORD_FILE = ".ngo-pipeline-run.json"
REPORT_FILE = "report.jsonl"
LOCK_FILE = ".ngo-pipeline.lock"
REVIEW_LOCK_FILE = ".ngo-pipeline-review.lock"  # held by a review save, and by a run rewriting a document


class RunUsageError(ValueError):
    """The folders given to a run cannot work (the CLI exits with 2)."""


class Status(str, Enum):
    OK = "ok"
    NEEDS_REVIEW = "needs-review"
    PARTIAL = "partial"
    FAILED = "failed"
    SKIPPED = "skipped"
    UNSUPPORTED = "unsupported"
    PLANNED = "planned"

    def __str__(self) -> str:
        return self.value


#: statuses of a document whose outputs were written (they enter the resume journal)
WRITTEN = (Status.OK, Status.NEEDS_REVIEW, Status.PARTIAL)


@dataclass
class Counts:
    """What a reader should look at in one document's outputs."""

    qa_errors: int = 0
    qa_warnings: int = 0
    low_confidence: int = 0  # passages whose language or translation the models were unsure of
    untranslated: int = 0  # sentences kept in their own language (a language outside the configured ones)

    @classmethod
    def of(cls, d: dict | None) -> Counts:
        names = {f.name for f in fields(cls)}
        return cls(**{k: int(v) for k, v in (d or {}).items() if k in names})


@dataclass
class RunItem:
    """One document to process: its path relative to IN_DIR, where it is read from, the relative
    path whose stem names its outputs, and its skip key."""

    rel: str
    path: str
    out_rel: str
    key: str


@dataclass
class Outcome:
    """What processing one document gave (the same for every executor). `tm`: new translation-
    memory entries for the one writer (Ray), with the memory's path."""

    rel: str
    key: str
    status: Status
    outputs: list[str] = field(default_factory=list)
    error: str | None = None
    lang: str | None = None
    reason: str | None = None
    counts: Counts = field(default_factory=Counts)
    review: dict[str, Any] | None = None  # {"reviewed": bool, "edits": n} from the record written
    tm: list[list[str]] | None = None
    tm_path: str | None = None

    @classmethod
    def failed(cls, item: RunItem, error: str, lang: str | None = None) -> Outcome:
        return cls(item.rel, item.key, Status.FAILED, error=error, lang=lang)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["status"] = self.status.value
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Outcome:
        d = dict(d)
        d["status"], d["counts"] = Status(d["status"]), Counts.of(d.get("counts"))
        return cls(**{k: v for k, v in d.items() if k in {f.name for f in fields(cls)}})


@dataclass
class FileResult:
    """One line of report.jsonl: what happened to one entry of the input folder."""

    path: str  # relative to IN_DIR (the original name, whatever the outputs are called)
    status: Status
    outputs: list[str] = field(default_factory=list)  # relative to OUT_DIR
    error: str | None = None
    lang: str | None = None
    reason: str | None = None
    counts: Counts | None = None
    review: dict[str, Any] | None = None  # {"reviewed": bool, "edits": n}
    unchanged: bool = False  # outputs up to date: this is the outcome of the run that wrote them
    output_name: str | None = None  # the shortened stem of the outputs when the name was too long

    def __post_init__(self) -> None:
        self.status = Status(self.status)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["status"] = self.status.value
        return d

    @classmethod
    def from_outcome(cls, out: Outcome, output_name: str | None = None) -> FileResult:
        return cls(out.rel, out.status, list(out.outputs), out.error, out.lang, out.reason,
                   out.counts if out.status in WRITTEN else None, out.review, output_name=output_name)


__all__ = ["Status", "WRITTEN", "Counts", "RunItem", "Outcome", "FileResult", "RunUsageError",
           "STATE_FILE", "OLD_STATE_FILE", "RUN_RECORD_FILE", "REPORT_FILE", "LOCK_FILE",
           "REVIEW_LOCK_FILE"]
