"""`normalize`: the first stage. Repairs the text the models see — Unicode NFC, zero-width
characters and soft hyphens removed, look-alike letters inside words ("мəтiн" typed with Latin ə
and i) — and keeps the author's text for output: a changed paragraph keeps its original in
`source_text` (the segment stage cuts it along with the repaired text), and the review sheet gets
one `info` flag per document saying what was repaired where. Typographic quotes and dashes are
kept. A paragraph that is not language (a run without spaces, base64, hex: `pipeline.text.notlang`)
is flagged `not-language` here, the first stage, and left as it is. The repairs themselves are `pipeline.text.normalize`.
"""
from __future__ import annotations

from collections import Counter

from ..document import Document
from ..stage import Stage
from ..text.normalize import Normalized, normalize
from ..text.notlang import mark_paragraphs


class NormalizeStage(Stage):
    """Repair paragraph (and, when already split, segment) text for the models; keep the original."""

    requires = frozenset({"doc.paragraphs"})
    assigns = frozenset({"paragraph.text"})

    def __init__(self, lookalikes: bool = True):
        self.lookalikes = lookalikes

    def process_batch(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            mark_paragraphs(doc)  # text that is not language: reported here, never repaired or translated
            total: Counter = Counter()
            where: list[str] = []
            for p in doc.paragraphs:
                if p.not_language:
                    continue
                n = normalize(p.text, self.lookalikes)
                if n.changed:
                    _keep_original(p, n)
                    total += n.changes
                    where.append(str(p.index))
                for s in p.segments:  # a document segmented before this stage ran
                    sn = normalize(s.text, self.lookalikes)
                    if sn.changed:
                        _keep_original(s, sn)
                        if not n.changed:
                            total += sn.changes
            if total:
                summary = Normalized("", None, total).describe()
                places = f" in paragraph{'s' if len(where) > 1 else ''} {', '.join(where)}" if where else ""
                doc.flag("normalized", f"text repaired for translation{places}: {summary}; "
                         "the original is kept in the output", severity="info")
        return docs


def _keep_original(unit, n: Normalized) -> None:
    if getattr(unit, "source_text", None) is None:
        unit.source_text = unit.text
    unit.text = n.text
