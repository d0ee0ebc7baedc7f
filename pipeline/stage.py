"""The stage interface every step of the pipeline implements (detect, translate, summarise, check...).

Modelled on Haystack 2.x components and spaCy pipes:
- `__init__` only stores parameters (cheap: `ngo-pipeline check` builds every stage);
- `configure(context)`: the Pipeline hands every stage the shared settings (languages, the config's
  folder, the other stages) through one explicit `StageContext`;
- `warm_up()` loads models once, lazily, and is safe to call twice;
- `__call__(doc) -> doc` processes one document;
- `pipe(docs, batch_size)` processes a stream, handing `process_batch` several documents at a time
  so that a translator can batch sentences across documents.

Each stage declares the Document fields it `requires` and those it `assigns` (spaCy's contracts);
the Pipeline checks the chain when it is built, so a stage that needs language labels cannot run
before the detect stage without a clear error.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from .languages import SUPPORTED

if TYPE_CHECKING:
    from .document import Document
    from .models import ModelNotFound


#: What a reader sets on every Document; every stage may rely on it.
READER_ASSIGNS = frozenset({"doc.text", "doc.paragraphs"})


@dataclass(frozen=True)
class StageContext:
    """Settings shared by every stage of one pipeline, set in one place (the Pipeline)."""

    languages: tuple[str, ...] = SUPPORTED
    config_dir: Path | None = None  # relative paths in the config are relative to this folder
    stages: dict[str, Stage] = field(default_factory=dict, compare=False, hash=False)

    def path(self, value: str | Path) -> Path:
        """A path from the config: `~` expanded, relative ones taken from the config's folder."""
        p = Path(value).expanduser()
        return p if p.is_absolute() or self.config_dir is None else self.config_dir / p


class Stage:
    #: the registry name this stage was built from (set by the registry).
    factory_name: str = ""
    #: Document fields the stage reads ("segment.lang") and those it sets ("segment.translations").
    requires: ClassVar[frozenset[str]] = frozenset()
    assigns: ClassVar[frozenset[str]] = frozenset()
    _warm: bool = False
    _context: StageContext | None = None

    @property
    def context(self) -> StageContext:
        """The shared settings; a stage used on its own gets the defaults."""
        if self._context is None:
            self._context = StageContext()
        return self._context

    def configure(self, context: StageContext) -> None:
        """Called by the Pipeline once all stages exist, before anything is loaded."""
        self._context = context

    @property
    def languages(self) -> list[str]:
        return list(self.context.languages)

    def warm_up(self) -> None:
        """Load what the stage needs (models, profiles). Idempotent; subclasses override `_load`."""
        if not self._warm:
            self._load()
            self._warm = True

    def _load(self) -> None:  # pragma: no cover - default: nothing to load
        pass

    # -- optional abilities: declared here once, with do-nothing defaults (no `hasattr`) --------
    def missing_models(self, directions: list[tuple[str, str]]) -> list[ModelNotFound]:
        """The models this stage would need for these (source, target) directions and cannot
        find, all at once; loads nothing. `Pipeline.check_models` asks every stage."""
        return []

    @classmethod
    def check_params(cls, params: dict) -> list[tuple[str, str]]:
        """Semantic checks of constructor arguments beyond their types: [(key, problem)].
        Called by config validation (`ngo-pipeline check`) before anything is built."""
        return []

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


def check_contracts(stages: list[tuple[str, Stage]]) -> list[str]:
    """Problems with the order of `stages`: a field required before any stage (or the reader)
    assigns it. Returns one message per problem."""
    problems = []
    available = set(READER_ASSIGNS)
    for name, stage in stages:
        missing = sorted(stage.requires - available)
        if missing:
            setters = "a stage that sets it"
            problems.append(f"stage {name!r} ({stage.factory_name or type(stage).__name__}) needs "
                            f"{', '.join(missing)}, which no earlier stage sets; put {setters} before it")
        available |= stage.assigns
    return problems


class StageError(Exception):
    """A stage could not process a document (the batch runner records it and goes on)."""
