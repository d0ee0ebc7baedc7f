"""Model-free stages for fast batch-runner tests (no tests here; importable by the worker process,
which rebuilds the pipeline from its config and imports these classes).

`test.fake-mt`: one segment per paragraph; a paragraph's language is given by a marker word
(`LANG=ru`, `LANG=kk`, `LANG=other`; default en), the document's is its first paragraph's; each
segment is "translated" as `[tgt] text`, or kept untranslated when its language is `other`.
Markers: `QAERR` adds a QA error flag, `QAWARN` a warning, `UNSURE` a low-confidence flag,
`PARTREAD` a reader's read-partial note, `DELMEM` deletes the memory file, `SLEEP=x` sleeps x
seconds (CPU idle), `SPIN=x` burns x seconds of CPU.
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

from pipeline import Stage, register
from pipeline.document import Segment, Status

_LANG = re.compile(r"LANG=(\w+)")
_SLEEP = re.compile(r"SLEEP=([\d.]+)")
_SPIN = re.compile(r"SPIN=([\d.]+)")


@register("test.fake-mt")
class FakeMT(Stage):
    assigns = frozenset({"doc.segments", "segment.lang", "doc.lang", "segment.translations"})
    provides = frozenset({"memory"})

    def __init__(self, cache: str = "", model: str = ""):
        self.cache, self.model = cache, model  # `model` is only recorded (the run record), never loaded

    def model_refs(self):
        return {"model": self.model} if self.model else {}

    def memory_path(self):
        return self.context.path(self.cache) if self.cache else None

    def process_batch(self, docs):
        for doc in docs:
            if m := _SLEEP.search(doc.text):
                time.sleep(float(m.group(1)))
            if m := _SPIN.search(doc.text):
                end = time.process_time() + float(m.group(1))
                while time.process_time() < end:
                    pass
            for p in doc.paragraphs:
                m = _LANG.search(p.text)
                p.lang = m.group(1) if m else "en"
                p.segments = [Segment(id=f"p{p.index}s0", text=p.text, lang=p.lang, score=0.9)]
            doc.lang = doc.paragraphs[0].lang if doc.paragraphs else "unknown"
            for seg in doc.segments:
                for tgt in doc.targets:
                    if seg.lang == "other":
                        seg.set_translation(tgt, seg.text, Status.UNTRANSLATED)
                    else:
                        seg.set_translation(tgt, f"[{tgt}] {seg.text}", Status.TRANSLATED)
                if "QAERR" in seg.text:
                    doc.flag("numbers-mismatch", "a number differs", severity="error", segment=seg.id,
                             lang=(doc.targets or [None])[0])
                if "QAWARN" in seg.text:
                    doc.flag("length-ratio", "long", severity="warning", segment=seg.id)
                if "UNSURE" in seg.text:
                    doc.flag("lang-uncertain", "language detected with low confidence")
            if "DELMEM" in doc.text and self.cache:
                self.memory_path().unlink(missing_ok=True)
            if "PARTREAD" in doc.text:
                doc.flag("read-partial", "page 2 has no text layer")
        return docs


def fakemt_config(tmp: Path, name: str = "fake.toml", cache: str = "", extra: str = "", **pipeline) -> Path:
    """A config of the one fake stage (languages en, ru, kk); `pipeline`: more [pipeline] keys."""
    keys = "".join(f"{k} = {json.dumps(v)}\n" for k, v in pipeline.items())
    path = tmp / name
    path.write_text('[pipeline]\nlanguages = ["en", "ru", "kk"]\nstages = ["mt"]\n' + keys
                    + f'\n[stages.mt]\nfactory = "test.fake-mt"\ncache = {json.dumps(cache)}\n' + extra,
                    encoding="utf-8")
    return path


def report(out: Path) -> dict[str, dict]:
    return {r["path"]: r for r in map(json.loads, (out / "report.jsonl").read_text(encoding="utf-8").splitlines())}
