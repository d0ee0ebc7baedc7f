"""`Pipeline`: stages built from a config, run over documents, texts, files or folders."""
from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from . import config as config_mod
from . import registry
from .document import Document
from .stage import Stage


class Pipeline:
    def __init__(self, stages: list[tuple[str, Stage]], languages: list[str] | None = None,
                 batch_size: int = 16, fingerprint: str = ""):
        self.stages = stages
        self.languages = list(languages or config_mod.SUPPORTED_LANGUAGES)
        self.batch_size = batch_size
        #: changes whenever the configuration changes (part of the batch runner's skip decision)
        self.fingerprint = fingerprint
        by_name = dict(stages)
        for _, stage in stages:
            stage.bind(by_name)

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def from_config(cls, path: str | Path | None = None,
                    overrides: dict[str, dict[str, Any]] | None = None) -> Pipeline:
        """Build from a TOML file (the packaged default when `path` is None).

        `overrides` maps a stage name to constructor arguments that replace the file's
        (`{"translate": {"beams": 1}}`). Nothing is loaded until a document is processed.
        """
        cfg = config_mod.load(path)
        return cls.from_loaded(cfg, overrides)

    @classmethod
    def default(cls) -> Pipeline:
        return cls.from_config(None)

    @classmethod
    def from_loaded(cls, cfg: config_mod.Config,
                    overrides: dict[str, dict[str, Any]] | None = None) -> Pipeline:
        stages = []
        for spec in cfg.stages:
            params = {**spec.params, **(overrides or {}).get(spec.name, {})}
            factory = registry.get(spec.factory)
            accepted = inspect.signature(factory.__init__).parameters
            if "languages" in accepted and "languages" not in params:
                params["languages"] = cfg.languages
            if "config_dir" in accepted and "config_dir" not in params:
                params["config_dir"] = str(cfg.path.parent.resolve())
            stages.append((spec.name, registry.create(spec.factory, **params)))
        fingerprint = hashlib.sha256(json.dumps(
            [cfg.raw, overrides or {}], sort_keys=True, default=str).encode()).hexdigest()[:16]
        return cls(stages, cfg.languages, cfg.batch_size, fingerprint)

    def __getitem__(self, name: str) -> Stage:
        return dict(self.stages)[name]

    def warm_up(self) -> None:
        for _, stage in self.stages:
            stage.warm_up()

    # -- running --------------------------------------------------------------------------------
    def pipe(self, docs: Iterable[Document], batch_size: int | None = None) -> Iterator[Document]:
        """Stream documents through every stage; each stage sees `batch_size` documents at a time."""
        stream: Iterable[Document] = docs
        for _, stage in self.stages:
            stream = stage.pipe(stream, batch_size or self.batch_size)
        yield from stream

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    @staticmethod
    def prepare(doc: Document, targets: list[str] | None = None, source_lang: str | None = None) -> Document:
        if targets:
            doc.targets = list(targets)
        if source_lang:
            doc.metadata["source_lang"] = source_lang
        return doc

    def process_text(self, text: str, targets: list[str] | None = None,
                     source_lang: str | None = None, id: str | None = None) -> Document:
        doc = Document.from_text(text, id=id)
        return self(self.prepare(doc, targets, source_lang))

    def process_file(self, path: str | Path, targets: list[str] | None = None,
                     source_lang: str | None = None) -> Document:
        from .io import read_document

        return self(self.prepare(read_document(path), targets, source_lang))

    def run_folder(self, in_dir: str | Path, out_dir: str | Path, targets: list[str] | None = None,
                   source_lang: str | None = None, force: bool = False, dry_run: bool = False):
        """Process every supported file under `in_dir` into `out_dir`; yields one `FileResult` each."""
        from .run.local import run_folder

        yield from run_folder(self, Path(in_dir), Path(out_dir), targets=targets,
                              source_lang=source_lang, force=force, dry_run=dry_run)
