"""Stage factories by name, extended by third parties through the entry-point group
`ngo_pipeline.stages` (like spaCy's `Language.factory` and its catalogue registries).

Built-in factories are recorded as "module:attribute" strings so that listing or validating a
config imports nothing heavy; the class is imported when a stage is built.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

ENTRY_POINT_GROUP = "ngo_pipeline.stages"

_BUILTIN: dict[str, str] = {
    "segment.sentences": "pipeline.stages.segment:SegmentStage",
    "detect.lingua": "pipeline.stages.detect:LinguaDetector",
    "detect.langdetect": "pipeline.stages.detect:LangdetectDetector",
    "translate": "pipeline.stages.translate:TranslateStage",
    "translate.hf": "pipeline.stages.translate:HFTranslateStage",
    "translate.ct2": "pipeline.stages.translate:CT2TranslateStage",
    "summarize.extractive": "pipeline.stages.summarize:ExtractiveSummarizer",
    "summarize.hf": "pipeline.stages.summarize:HFSummarizer",
    "check.publication": "pipeline.stages.check:PublicationChecks",
}
_REGISTERED: dict[str, Callable[..., Any] | str] = {}


def register(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: `@register("detect.mine") class Mine(Stage): ...`"""

    def deco(factory: Callable[..., Any]) -> Callable[..., Any]:
        _REGISTERED[name] = factory
        return factory

    return deco


def _entry_points() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def available() -> list[str]:
    return sorted(set(_BUILTIN) | set(_REGISTERED) | set(_entry_points()))


def get(name: str) -> Callable[..., Any]:
    """The factory (usually a Stage subclass) registered as `name`; KeyError lists the known names."""
    target: Any = _REGISTERED.get(name) or _BUILTIN.get(name)
    if target is None:
        ep = _entry_points().get(name)
        if ep is None:
            raise KeyError(f"unknown stage factory {name!r}; available: {', '.join(available())}")
        target = ep.load()
    if isinstance(target, str):
        module, attr = target.split(":")
        target = getattr(importlib.import_module(module), attr)
    return target


def create(name: str, **params: Any) -> Any:
    stage = get(name)(**params)
    stage.factory_name = name
    return stage
