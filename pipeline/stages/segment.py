"""`segment.sentences`: split each paragraph into sentence segments (the unit that is detected,
translated, cached and checked). The splitting rules live in `pipeline.text.sentences`."""
from __future__ import annotations

from ..document import Document, Segment
from ..stage import Stage
from ..text.sentences import split_sentences, split_to_fit


class SegmentStage(Stage):
    """Split each paragraph into sentence segments (ids "p{paragraph}s{sentence}")."""

    def __init__(self, max_chars: int = 600):
        self.max_chars = max_chars

    def process_batch(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            for p in doc.paragraphs:
                if p.segments:
                    continue
                pieces: list[tuple[str, str]] = []
                for sent, sep in split_sentences(p.text):
                    parts = split_to_fit(sent, lambda t: len(t) <= self.max_chars)
                    pieces += [(part, " ") for part in parts[:-1]] + [(parts[-1], sep)]
                p.segments = [Segment(id=f"p{p.index}s{i}", text=s, sep=sep or " ")
                              for i, (s, sep) in enumerate(pieces)]
        return docs
