"""The stage interface every step of the pipeline implements (detect, translate, summarise, check...).

Modelled on Haystack 2.x components and spaCy pipes:
- `__init__` only stores parameters (cheap: `ngo-pipeline check` builds every stage);
- `configure(context)`: the Pipeline hands every stage the shared settings (languages, the config's
  folder) through one explicit `StageContext`;
- `warm_up()` loads models once, lazily, and is safe to call twice;
- `__call__(doc) -> doc` processes one document;
- `pipe(docs, batch_size)` processes a stream, handing `process_batch` several documents at a time
  so that a translator can batch sentences across documents.

Each stage declares the Document fields it `requires` and those it `assigns` (spaCy's contracts);
the Pipeline checks the names against the Document's fields and the chain when it is built, so a
stage that needs language labels cannot run before the detect stage without a clear error.

Optional abilities are part of this one contract, declared here with do-nothing defaults (as
Haystack's `warm_up`): nobody asks `hasattr(stage, ...)`.
- `provides`: what other parts may ask of the stage: "translator" (`translate_texts`), "memory"
  (a translation memory: `memory_path`, `hold_memory_writes`, `drain_memory`), "scorer" (model
  confidence of any translation: `confidence`);
- `uses()`: the other stages it calls, by role ({"translator": "translate"}); the Pipeline checks
  that the named stage provides the role and hands it over with `bind` (the one link between
  stages: the summariser translates its summary with the translate stage);
- `missing_models(directions)`: what `Pipeline.check_models` reports before any work;
- `model_refs()`: the models it is configured with, for the run record.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from .document import Document, Paragraph, Segment
from .errors import StageError  # noqa: F401  (stages raise it; defined at the bottom)
from .languages import SUPPORTED

if TYPE_CHECKING:
    from .errors import ModelNotFound


#: What a reader sets on every Document; every stage may rely on it.
READER_ASSIGNS = frozenset({"doc.text", "doc.paragraphs"})


@dataclass(frozen=True)
class StageContext:
    """Settings shared by every stage of one pipeline, set in one place (the Pipeline)."""

    languages: tuple[str, ...] = SUPPORTED
    config_dir: Path | None = None  # relative paths in the config are relative to this folder

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
    #: abilities other parts may use: "translator", "memory" (see the module's docstring)
    provides: ClassVar[frozenset[str]] = frozenset()
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
    def uses(self) -> dict[str, str]:
        """The other stages this one calls, by role: {"translator": "<stage name>"}."""
        return {}

    def bind(self, role: str, stage: Stage | None) -> None:
        """The Pipeline hands over the stage named for `role` by `uses` (None: no such stage)."""

    def missing_models(self, directions: list[tuple[str, str]]) -> list[ModelNotFound]:
        """The models this stage would need for these (source, target) directions and cannot
        find, all at once; loads nothing. `Pipeline.check_models` asks every stage."""
        return []

    def model_refs(self) -> dict[str, str]:
        """The models this stage is configured with, {key: catalog name or folder} (for the run
        record, which resolves and fingerprints them); loads nothing."""
        return {}

    def translate_texts(self, texts: list[str], src: str, tgt: str) -> list[str]:
        """"translator": `texts` from `src` into `tgt` (a stage that provides it overrides this)."""
        raise NotImplementedError(f"{type(self).__name__} does not translate")

    def confidence(self, threshold: float | None = None, only_calibrated: bool = False):
        """"scorer": a `translate.confidence.ConfidenceScorer` on this stage's models."""
        raise NotImplementedError(f"{type(self).__name__} has no models to score translations with")

    def memory_path(self) -> Path | None:
        """"memory": the translation-memory file this stage uses, or None (disabled, or none)."""
        return None

    def hold_memory_writes(self) -> None:
        """"memory": open the memory read-only and keep new entries for `drain_memory` (a worker
        process that must not write the file). Call before `warm_up`."""

    def drain_memory(self) -> tuple[Path, list[list[str]]] | None:
        """"memory": (file, new entries kept since the last call) when writes are held, else None."""
        return None

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


#: the objects a contract name ("segment.lang") may name, and where their fields are
SUBJECTS = {"doc": Document, "paragraph": Paragraph, "segment": Segment}


def known_fields(subject: type) -> set[str]:
    """A Document type's fields and properties (what `requires`/`assigns` may name)."""
    return {f.name for f in fields(subject)} | {n for n, v in vars(subject).items() if isinstance(v, property)}


def unknown_fields(names: Iterable[str]) -> list[str]:
    """The contract names that do not name a field of Document, Paragraph or Segment."""
    return sorted(n for n in names if (subject := SUBJECTS.get(n.partition(".")[0])) is None
                  or n.partition(".")[2] not in known_fields(subject))


def check_contracts(stages: list[tuple[str, Stage]]) -> list[str]:
    """Problems with `stages`: a contract name that is not a Document field, a field required
    before any stage (or the reader) assigns it. Returns one message per problem."""
    problems = []
    available = set(READER_ASSIGNS)
    for name, stage in stages:
        label = stage.factory_name or type(stage).__name__
        unknown = unknown_fields(stage.requires | stage.assigns)
        if unknown:
            problems.append(f"stage {name!r} ({label}) names {', '.join(unknown)}, which "
                            f"{'is not a field' if len(unknown) == 1 else 'are not fields'} of the Document "
                            "(doc.*, paragraph.*, segment.*)")
        missing = sorted(stage.requires - available)
        if missing:
            setters = "a stage that sets it"
            problems.append(f"stage {name!r} ({label}) needs "
                            f"{', '.join(missing)}, which no earlier stage sets; put {setters} before it")
        available |= stage.assigns
    return problems


def check_links(stages: list[tuple[str, Stage]]) -> list[str]:
    """Problems with the declared links: a stage named for a role that does not provide it."""
    by_name = dict(stages)
    problems = []
    for name, stage in stages:
        for role, other in stage.uses().items():
            if other in by_name and role not in by_name[other].provides:
                problems.append(f"stage {name!r} uses {other!r} as its {role}, but {other!r} "
                                f"({by_name[other].factory_name or type(by_name[other]).__name__}) is not a {role}")
    return problems


def explain(stages: list[tuple[str, Stage]]) -> list[dict[str, str]]:
    """The stage table (spaCy's `analyze_pipes`): per stage, in order, what it requires and
    assigns, the links it uses and what it provides; the reader first."""
    rows = [{"stage": "(reader)", "factory": "io.read_document", "requires": "",
             "assigns": ", ".join(sorted(READER_ASSIGNS)), "uses": "", "provides": ""}]
    for name, stage in stages:
        rows.append({"stage": name, "factory": stage.factory_name or type(stage).__name__,
                     "requires": ", ".join(sorted(stage.requires)), "assigns": ", ".join(sorted(stage.assigns)),
                     "uses": ", ".join(f"{role}: {other}" for role, other in stage.uses().items()),
                     "provides": ", ".join(sorted(stage.provides))})
    return rows
