"""Factories by name, in tables, extended by third parties through entry points (like spaCy's
`Language.factory` and its catalogue registries).

Two registries: `stages` (entry-point group `ngo_pipeline.stages`: what a config's `factory = ...`
names) and `engines` (group `ngo_pipeline.engines`: the translation engines a translate stage's
`engine = ...` names). Built-in entries are "module:attribute" strings, so listing or validating a
config imports nothing heavy; the class is imported when it is used.

A stage entry may fix some constructor arguments (a preset): `translate.hf` is the translate stage
with `engine = "hf"`; a config that sets such an argument to another value is an error.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

from .stage import Stage


class Registry:
    def __init__(self, kind: str, group: str, builtin: dict[str, str | tuple[str, dict[str, Any]]]):
        self.kind, self.group = kind, group
        self._builtin = dict(builtin)
        self._registered: dict[str, Any] = {}

    def register(self, name: str, factory: Any = None, **preset: Any):
        """`registry.register("x", Cls)` or as a decorator: `@stages.register("detect.mine")`."""
        if factory is not None:
            self._registered[name] = (factory, preset) if preset else factory
            return factory

        def deco(f: Any) -> Any:
            self.register(name, f, **preset)
            return f

        return deco

    def _entry_points(self) -> dict[str, Any]:
        return {ep.name: ep for ep in entry_points(group=self.group)}

    def available(self) -> list[str]:
        return sorted(set(self._builtin) | set(self._registered) | set(self._entry_points()))

    def _target(self, name: str) -> tuple[Any, dict[str, Any]]:
        target: Any = self._registered.get(name) or self._builtin.get(name)
        if target is None:
            ep = self._entry_points().get(name)
            if ep is None:
                raise KeyError(f"unknown {self.kind} {name!r}; available: {', '.join(self.available())}")
            target = ep.load()
        target, preset = target if isinstance(target, tuple) else (target, {})
        if isinstance(target, str):
            module, attr = target.split(":")
            target = getattr(importlib.import_module(module), attr)
        return target, dict(preset)

    def get(self, name: str) -> Any:
        """The factory registered as `name`; KeyError lists the known names."""
        return self._target(name)[0]

    def preset(self, name: str) -> dict[str, Any]:
        """Constructor arguments the entry fixes (empty for most)."""
        return self._target(name)[1]

    def create(self, name: str, **params: Any) -> Any:
        factory, preset = self._target(name)
        for key, value in preset.items():
            if key in params and params[key] not in ("", value):
                raise ValueError(f"{name!r} fixes {key} = {value!r}; remove {key} = {params[key]!r} "
                                 f"or use the general factory")
            params[key] = value
        obj = factory(**params)
        if isinstance(obj, Stage):  # a stage knows the name it was built from
            obj.factory_name = name
        return obj


stages = Registry("stage factory", "ngo_pipeline.stages", {
    "normalize": "pipeline.stages.normalize:NormalizeStage",
    "segment.sentences": "pipeline.stages.segment:SegmentStage",
    "detect.lingua": "pipeline.stages.detect:LinguaDetector",
    "detect.langdetect": "pipeline.stages.detect:LangdetectDetector",
    "translate": "pipeline.stages.translate:TranslateStage",
    "translate.hf": ("pipeline.stages.translate:TranslateStage", {"engine": "hf"}),
    "translate.ct2": ("pipeline.stages.translate:TranslateStage", {"engine": "ct2"}),
    "summarize.extractive": "pipeline.stages.summarize:ExtractiveSummarizer",
    "summarize.hf": "pipeline.stages.summarize:HFSummarizer",
    "check.publication": "pipeline.stages.check:PublicationChecks",
})

#: Translation engines: name -> a class built as `Engine(ref, decoding)` (see pipeline.translate.engine).
engines = Registry("translation engine", "ngo_pipeline.engines", {
    "hf": "pipeline.translate.hf:HFEngine",
    "ct2": "pipeline.translate.ct2:CT2Engine",
})

#: Executors of `run_folder`: name -> a class built as `Executor(pipeline, out_dir, targets,
#: source_lang, time_budget, memory_mb, address=..., workers=...)` (see pipeline.run).
executors = Registry("executor", "ngo_pipeline.executors", {
    "local": "pipeline.run.local:LocalExecutor",
    "ray": "pipeline.run.ray:RayExecutor",
})

# The stage registry's functions, as the public API has always had them.
ENTRY_POINT_GROUP = stages.group


def register(name: str, factory: Callable[..., Any] | None = None, **preset: Any):
    """Register a stage factory: `@register("detect.mine") class Mine(Stage): ...`"""
    return stages.register(name, factory, **preset)


def available() -> list[str]:
    return stages.available()


def get(name: str) -> Callable[..., Any]:
    return stages.get(name)


def create(name: str, **params: Any) -> Any:
    return stages.create(name, **params)
