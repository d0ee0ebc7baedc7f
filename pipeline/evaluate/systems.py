"""What is evaluated: a *system* is a pipeline config's translate stage, optionally with other
models for some directions, or with a direction removed so that it pivots. The translation memory
is always bypassed (`cache = ""`): an evaluation measures the models, not earlier outputs or the
human translations that are the references themselves.

    sys = System("config", "cfg.toml")
    stage = sys.stage()                      # a TranslateStage, nothing loaded yet
    route(stage, "ru", "kk")                 # "nllb-200-distilled-600M" or "pivot ru-en > en-kk"
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import config as config_mod
from .. import models
from ..stages.translate import TranslateStage
from .refs import LANGUAGES

ALL_DIRECTIONS = [f"{s}-{t}" for s in LANGUAGES for t in LANGUAGES if s != t]


class SystemSpecError(Exception):
    """A system that cannot be built (no translate stage, a model that serves no direction)."""


@dataclass
class System:
    label: str
    config: str | None = None  # the pipeline TOML (None: the packaged default)
    models: dict[str, str] = field(default_factory=dict)  # direction -> model, replacing the config's
    drop: tuple[str, ...] = ()  # directions removed from the config: they pivot

    def translate_spec(self) -> config_mod.StageSpec:
        cfg = config_mod.load(self.config)
        for spec in cfg.stages:
            if is_translate_factory(spec.factory):
                return spec
        raise SystemSpecError(f"{cfg.path}: no translate stage to evaluate")

    def stage(self) -> TranslateStage:
        from ..pipeline import Pipeline

        spec = self.translate_spec()
        mapping = configured_models(spec.params)
        mapping.update(self.models)
        for d in self.drop:
            mapping.pop(d, None)
        pipe = Pipeline.from_config(self.config, overrides={spec.name: {"cache": "", "models": mapping, "preset": ""}})
        return pipe[spec.name]


def configured_models(params: dict) -> dict[str, str]:
    """Direction -> model as a translate stage's parameters make it (preset, models, defaults)."""
    return dict(TranslateStage(models=params.get("models"), preset=params.get("preset", "")).models)


def is_translate_factory(factory: str) -> bool:
    from ..registry import stages

    try:
        cls = stages.get(factory)
    except Exception:
        return factory.split(".")[0] == "translate"
    return isinstance(cls, type) and issubclass(cls, TranslateStage)


def model_directions(ref: str) -> list[str]:
    """The directions a model serves: `DIR=MODEL` names it; a catalog entry lists them; a
    multilingual folder (NLLB, M2M-100) serves all; otherwise the folder's name must end in a
    direction (`opus-mt-en-ru`, `marian-kk-en`)."""
    if "=" in ref:
        return [ref.split("=", 1)[0].strip()]
    catalog = models.load_catalog()
    if ref in catalog:
        return [d for d in catalog[ref].languages if d in ALL_DIRECTIONS]
    path = Path(ref).expanduser()
    if path.is_dir():
        if models._detect_arch(path) in ("nllb", "m2m100"):  # noqa: SLF001
            return list(ALL_DIRECTIONS)
        m = re.search(r"(en|ru|kk)-(en|ru|kk)$", path.name)
        if m and m.group(1) != m.group(2):
            return [m.group(0)]
        raise SystemSpecError(f"{ref}: cannot tell which direction this model translates; write it as "
                           f"DIR=MODEL, e.g. en-ru={ref}")
    raise SystemSpecError(f"{ref}: neither a catalog model ({', '.join(sorted(catalog))}) nor a model folder")


def model_system(ref: str, config: str | None) -> System:
    """A system that uses one model for every direction it serves (the config's translate settings)."""
    name = ref.split("=", 1)[1].strip() if "=" in ref else ref
    if Path(name).expanduser().is_dir():
        name = str(Path(name).expanduser().resolve())  # from the current folder, not the config's
    return System(label=Path(ref.split("=", 1)[-1]).name or ref, config=config,
                  models={d: name for d in model_directions(ref)})


def short(ref: str) -> str:
    return Path(ref).name if ("/" in ref or "\\" in ref) else ref


def route(stage: TranslateStage, src: str, tgt: str) -> str:
    """How a stage translates one direction (the same plan its translator is built from): the
    model's name, or the pivot's two legs."""
    plan = stage.route(src, tgt)
    if plan.unconfigured(stage.models):
        return "no model"
    names = [short(m) for m in plan.models(stage.models)]
    return names[0] if len(names) == 1 else "pivot " + " > ".join(names)


def serves(stage: TranslateStage, direction: str) -> bool:
    src, tgt = direction.split("-")
    return route(stage, src, tgt) != "no model"
