"""The stage interface every step of the pipeline implements (detect, translate, summarise, check...).

Modelled on Haystack 2.x components and spaCy pipes:
- `__init__` only stores parameters (cheap: `ngo-pipeline check` builds every stage);
- `warm_up()` loads models once, lazily, and is safe to call twice;
- `__call__(doc) -> doc` processes one document;
- `pipe(docs, batch_size)` processes a stream, handing `process_batch` several documents at a time
  so that a translator can batch sentences across documents.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .document import Document


class Stage:
    #: the registry name this stage was built from (set by the registry).
    factory_name: str = ""
    _warm: bool = False

    def warm_up(self) -> None:
        """Load what the stage needs (models, profiles). Idempotent; subclasses override `_load`."""
        if not self._warm:
            self._load()
            self._warm = True

    def _load(self) -> None:  # pragma: no cover - default: nothing to load
        pass

    @classmethod
    def check_params(cls, params: dict) -> list[tuple[str, str]]:
        """Semantic checks of constructor arguments beyond their types: [(key, problem)].
        Called by config validation (`ngo-pipeline check`) before anything is built."""
        return []

    def bind(self, stages: dict[str, Stage]) -> None:
        """Called by the Pipeline once all stages exist; a stage may keep a reference to another."""

    def process_batch(self, docs: list[Document]) -> list[Document]:
        raise NotImplementedError

    def __call__(self, doc: Document) -> Document:
        self.warm_up()
        return self.process_batch([doc])[0]

    def pipe(self, docs: Iterable[Document], batch_size: int = 16) -> Iterator[Document]:
        self.warm_up()
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self.process_batch(batch)
                batch = []
        if batch:
            yield from self.process_batch(batch)


class StageError(Exception):
    """A stage could not process a document (the batch runner records it and goes on)."""
