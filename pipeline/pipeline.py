"""`Pipeline`: stages built from a config, run over documents, texts or files. A folder is the
runner's business (`pipeline.run_folder`, pipeline/run/local.py), which uses a Pipeline: this
module knows nothing of it."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from . import config as config_mod
from . import registry
from .document import Document
from .languages import SUPPORTED
from .stage import Stage, StageContext, check_contracts, check_links


class Pipeline:
    def __init__(self, stages: list[tuple[str, Stage]], languages: list[str] | None = None,
                 batch_size: int = 16, fingerprint: str = "", config_dir: Path | None = None,
                 run_options: dict[str, Any] | None = None):
        self.stages = stages
        self.languages = list(languages or SUPPORTED)
        self.batch_size = batch_size
        #: how `pipeline.run_folder` runs it (the [pipeline] keys executor, address, workers,
        #: doc_timeout, doc_memory_mb): settings of the config, read by the runner
        opts = {k: default for k, (_, default) in config_mod.RUN_OPTIONS.items()} | (run_options or {})
        self.executor, self.address, self.workers = opts["executor"], opts["address"], opts["workers"]
        self.doc_timeout, self.doc_memory_mb = opts["doc_timeout"], opts["doc_memory_mb"]
        self._recipe: tuple | None = None  # (raw config, path, overrides): how to rebuild it cold
        #: changes whenever the configuration changes (part of the batch runner's skip decision)
        self.fingerprint = fingerprint
        problems = check_contracts(stages) + check_links(stages)
        if problems:
            raise config_mod.ConfigError([config_mod.Problem("<pipeline>", "pipeline", "stages", p)
                                          for p in problems])
        self.context = StageContext(tuple(self.languages), config_dir)
        by_name = dict(stages)
        for _, stage in stages:
            stage.configure(self.context)
            for role, other in stage.uses().items():  # the declared links, checked above
                stage.bind(role, by_name.get(other))

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def from_config(cls, path: str | Path | None = None,
                    overrides: dict[str, dict[str, Any]] | None = None) -> Pipeline:
        """Build from a TOML file (the packaged default when `path` is None).

        `overrides` maps a stage name to constructor arguments that replace the file's
        (`{"translate": {"beams": 1}}`). Nothing is loaded until a document is processed.
        """
        return cls.from_loaded(config_mod.load(path), overrides)

    @classmethod
    def default(cls) -> Pipeline:
        return cls.from_config(None)

    @classmethod
    def from_loaded(cls, cfg: config_mod.Config,
                    overrides: dict[str, dict[str, Any]] | None = None) -> Pipeline:
        stages = [(spec.name, registry.create(spec.factory, **{**spec.params, **(overrides or {}).get(spec.name, {})}))
                  for spec in cfg.stages]
        fingerprint = hashlib.sha256(json.dumps(
            [cfg.raw, overrides or {}], sort_keys=True, default=str).encode()).hexdigest()[:16]
        pipe = cls(stages, cfg.languages, cfg.batch_size, fingerprint, cfg.path.parent.resolve(), cfg.run_options)
        pipe._recipe = (cfg.raw, str(cfg.path), overrides)
        return pipe

    def __reduce__(self):
        """Pickled as its recipe: a worker process or a Ray actor rebuilds it cold (nothing loaded)."""
        if self._recipe is None:
            raise TypeError("only a Pipeline built from a config can be sent to another process")
        return (_rebuild, self._recipe)

    def __getitem__(self, name: str) -> Stage:
        return dict(self.stages)[name]

    def assigns(self, field: str) -> bool:
        """Whether some stage sets `field` ("segment.translations": the pipeline translates)."""
        return any(field in stage.assigns for _, stage in self.stages)

    def setter(self, field: str) -> str | None:
        """The name of the first stage that assigns `field` (by its declared contract), or None."""
        return next((name for name, stage in self.stages if field in stage.assigns), None)

    def run_until(self, doc: Document, field: str) -> Document:
        """Run the configured stages in order up to and including the first that assigns `field`
        (`ngo-pipeline detect` stops once "doc.lang" is set)."""
        for _, stage in self.stages:
            doc = stage(doc)
            if field in stage.assigns:
                break
        return doc

    def warm_up(self) -> None:
        for _, stage in self.stages:
            stage.warm_up()

    def check_models(self, targets: list[str] | None = None, source_lang: str | list[str] | None = None) -> None:
        """The one model pre-check, before any work: raise ModelNotFound naming EVERY model missing
        for the directions this run may need (from `source_lang`, or any configured language, into
        `targets`, or every configured language; kk-Latn needs what kk needs), with the one
        command that pulls them. Loads nothing."""
        from .errors import ModelNotFound
        from .translate.routes import directions

        sources = ([source_lang] if isinstance(source_lang, str) else source_lang) or self.languages
        wanted = directions(sources, self.targets_for(targets))
        problems = [e for _, stage in self.stages for e in stage.missing_models(wanted)]
        if not problems:
            return
        pulls = [e.model for e in problems if e.model]
        lines = ["missing model(s) for the directions this run may need "
                 f"({', '.join(f'{s}-{t}' for s, t in wanted)}):"] + [f"  {e}" for e in problems]
        if pulls:
            lines.append(f"On a connected machine run: ngo-pipeline models pull {' '.join(pulls)}")
        raise ModelNotFound("\n".join(lines))

    # -- running --------------------------------------------------------------------------------
    def pipe(self, docs: Iterable[Document | str], batch_size: int | None = None) -> Iterator[Document]:
        """Stream documents (or plain texts) through every stage; each stage sees `batch_size`
        documents at a time."""
        stream: Iterable[Document] = (self.prepare(Document.from_text(d)) if isinstance(d, str) else d
                                      for d in docs)
        for _, stage in self.stages:
            stream = stage.pipe(stream, batch_size or self.batch_size)
        yield from stream

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    def targets_for(self, targets: list[str] | None) -> list[str]:
        """The targets a request means, decided in one place (the model pre-check and `prepare`
        both ask): those given, else every configured language when the pipeline translates."""
        from .errors import PipelineError

        translates = self.assigns("segment.translations")
        if targets and not translates:
            raise PipelineError(f"target languages {', '.join(targets)} were asked for, but the "
                                "configuration has no translate stage")
        return list(targets) if targets else (list(self.languages) if translates else [])

    def prepare(self, doc: Document, targets: list[str] | None = None,
                source_lang: str | None = None) -> Document:
        """Set what the run is for, in one place: the languages wanted (`targets_for`) and a
        source language that overrides detection."""
        doc.requested_targets = self.targets_for(targets)
        doc.source_lang = source_lang or None
        return doc

    def process_text(self, text: str, targets: list[str] | None = None,
                     source_lang: str | None = None, id: str | None = None) -> Document:
        doc = Document.from_text(text, id=id)
        return self(self.prepare(doc, targets, source_lang))

    def process_file(self, path: str | Path, targets: list[str] | None = None,
                     source_lang: str | None = None) -> Document:
        from .io import read_document

        return self(self.prepare(read_document(path), targets, source_lang))


def _rebuild(raw: dict[str, Any], path: str, overrides: dict | None) -> Pipeline:
    return Pipeline.from_loaded(config_mod.from_dict(raw, path), overrides)
