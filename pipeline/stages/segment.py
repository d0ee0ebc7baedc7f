"""`segment.sentences`: split each paragraph into segments (the unit that is detected, translated,
cached and checked): sentences, headlines and datelines, each with its `kind`. The splitting rules
live in `pipeline.text.sentences`.

When the normalize stage changed a paragraph (look-alike letters, invisible characters), the
paragraph keeps its original in `source_text`; each segment then gets the matching slice of the
original in `source_text` too, so that text copied through to the output is the author's.
"""
from __future__ import annotations

from ..document import Document, Segment
from ..stage import Stage
from ..text.normalize import normalize
from ..text.notlang import mark_paragraphs
from ..text.sentences import split_to_fit, split_units


class SegmentStage(Stage):
    """Split each paragraph into segments (ids "p{paragraph}s{n}", `kind` sentence/headline/dateline)."""

    requires = frozenset({"doc.paragraphs"})
    assigns = frozenset({"doc.segments"})

    def __init__(self, max_chars: int = 600):
        self.max_chars = max_chars

    @classmethod
    def check_params(cls, params: dict) -> list[tuple[str, str]]:
        value = params.get("max_chars", 600)
        if isinstance(value, int) and value < 20:
            return [("max_chars", f"must be at least 20 (got {value})")]
        return []

    def process_batch(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            mark_paragraphs(doc)  # when the normalize stage did not run
            for p in doc.paragraphs:
                if not p.segments:
                    p.segments = self._opaque(p) if p.not_language else self._segments(p)
        return docs

    @staticmethod
    def _opaque(p) -> list[Segment]:
        """A paragraph that is not language: one segment, kept whole, marked so that nothing
        translates it (it is copied through)."""
        text = p.text.strip()
        seg = Segment(id=f"p{p.index}s0", text=text, sep=p.text[p.text.find(text) + len(text):])
        _set(seg, "not_language", p.not_language)
        return [seg]

    def _segments(self, p) -> list[Segment]:
        original = getattr(p, "source_text", None)
        norm = normalize(original) if original else None
        if norm is not None and norm.text != p.text:
            norm = None  # the paragraph changed after normalisation: no safe mapping
        if p.kind == "heading" and len(p.text) <= self.max_chars and p.text.strip():
            units = [(p.text.strip(), "", "headline", p.text.find(p.text.strip()))]
        else:
            units, pos = [], 0
            for u in split_units(p.text):
                start = p.text.find(u.text, pos)
                pos = start + len(u.text) + len(u.sep)
                units.append((u.text, u.sep, u.kind, start))
        out: list[Segment] = []
        for text, sep, kind, start in units:
            parts = split_to_fit(text, lambda t: len(t) <= self.max_chars)
            offset = start
            for j, part in enumerate(parts):
                seg = Segment(id=f"p{p.index}s{len(out)}", text=part, sep=sep if j == len(parts) - 1 else " ")
                _set(seg, "kind", kind)
                if norm is not None:
                    s = p.text.find(part, offset)
                    src = norm.original_span(original, s, s + len(part))
                    if src != part:
                        _set(seg, "source_text", src)
                    offset = s + len(part)
                out.append(seg)
        return out


def _set(seg: Segment, name: str, value: object) -> None:
    """Set a Segment field (plain attribute until document.py declares it: see notes/issue-12.md)."""
    setattr(seg, name, value)
