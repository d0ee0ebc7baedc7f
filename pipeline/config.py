"""TOML configuration: which stages run, in which order, with which constructor arguments.

    [pipeline]
    languages = ["en", "ru", "kk"]
    stages = ["segment", "detect", "translate", "summarize", "check"]

    [stages.translate]
    factory = "translate"          # a registry name
    beams = 1                      # every other key is a constructor argument

Validation collects every problem (file, section, key, message) before anything is built.
"""
from __future__ import annotations

import inspect
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import registry
from .languages import SUPPORTED as SUPPORTED_LANGUAGES

DEFAULT_CONFIG = Path(__file__).with_name("default.toml")
_PIPELINE_KEYS = {"languages": list, "stages": list, "batch_size": int,
                  # how a folder is run (pipeline/run): executor, per-document budget
                  "executor": str, "address": str, "workers": int, "doc_timeout": (int, float),
                  "doc_memory_mb": int}
#: [pipeline] keys that configure the executor: key -> (lowest allowed value, default)
RUN_OPTIONS = {"executor": (None, "local"), "address": (None, None), "workers": (1, None),
               "doc_timeout": (0, 300.0), "doc_memory_mb": (0, 2048)}
MAX_BATCH_SIZE = 1024


@dataclass
class Problem:
    file: str
    section: str
    key: str | None
    message: str

    def __str__(self) -> str:
        where = f"[{self.section}]" + (f" {self.key}" if self.key else "")
        return f"{self.file}: {where}: {self.message}"


class ConfigError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class StageSpec:
    name: str
    factory: str
    params: dict[str, Any]


@dataclass
class Config:
    path: Path
    languages: list[str]
    stages: list[StageSpec]
    batch_size: int = 16
    raw: dict[str, Any] = field(default_factory=dict)
    run_options: dict[str, Any] = field(default_factory=dict)  # executor, address, workers, budgets


def load(path: str | Path | None = None) -> Config:
    """Read and validate a config file; raise ConfigError listing every problem."""
    path = Path(path) if path else DEFAULT_CONFIG
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([Problem(str(path), "-", None, "file not found")]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError([Problem(str(path), "-", None, f"not valid TOML: {e}")]) from None
    except OSError as e:
        raise ConfigError([Problem(str(path), "-", None, f"cannot read: {e.strerror or e}")]) from None
    return from_dict(raw, path)


def from_dict(raw: dict[str, Any], path: Path | str = "<config>") -> Config:
    path = Path(path)
    f = str(path)
    problems: list[Problem] = []
    pipe = raw.get("pipeline")
    if not isinstance(pipe, dict):
        problems.append(Problem(f, "pipeline", None, "missing section (it lists the stages)"))
        raise ConfigError(problems)
    for key in pipe:
        if key not in _PIPELINE_KEYS:
            problems.append(Problem(f, "pipeline", key, f"unknown key; allowed: {', '.join(_PIPELINE_KEYS)}"))
    for key, typ in _PIPELINE_KEYS.items():
        if key in pipe and (not isinstance(pipe[key], typ) or isinstance(pipe[key], bool)):
            name = " or ".join(t.__name__ for t in typ) if isinstance(typ, tuple) else typ.__name__
            problems.append(Problem(f, "pipeline", key, f"expected {name}, got {type(pipe[key]).__name__}"))
            continue
        low = RUN_OPTIONS.get(key, (None,))[0]
        if key in pipe and low is not None and pipe[key] < low:
            problems.append(Problem(f, "pipeline", key, f"must be at least {low}, not {pipe[key]}"))
    if pipe.get("executor", "local") not in registry.executors.available():
        problems.append(Problem(f, "pipeline", "executor", f"must be one of {', '.join(registry.executors.available())}, "
                                                           f"not {pipe['executor']!r}"))
    batch_size = pipe.get("batch_size", 16)
    if isinstance(batch_size, int) and not 1 <= batch_size <= MAX_BATCH_SIZE:
        problems.append(Problem(f, "pipeline", "batch_size", f"must be between 1 and {MAX_BATCH_SIZE}, not {batch_size}"))
    languages = pipe.get("languages", list(SUPPORTED_LANGUAGES))
    if isinstance(languages, list):
        for lang in languages:
            if lang not in SUPPORTED_LANGUAGES:
                problems.append(Problem(f, "pipeline", "languages",
                                        f"unsupported language {lang!r}; supported: {', '.join(SUPPORTED_LANGUAGES)}"))
    names = pipe.get("stages")
    if names is None:
        problems.append(Problem(f, "pipeline", "stages", "missing key (the list of stages to run)"))
        names = []
    sections = raw.get("stages", {})
    for key in raw:
        if key not in ("pipeline", "stages"):
            problems.append(Problem(f, key, None, "unknown section; allowed: [pipeline], [stages.NAME]"))
    specs: list[StageSpec] = []
    for name in names if isinstance(names, list) else []:
        section = f"stages.{name}"
        body = sections.get(name) if isinstance(sections, dict) else None
        if not isinstance(body, dict):
            problems.append(Problem(f, section, None, f"stage {name!r} is listed in [pipeline] stages but has no [{section}] section"))
            continue
        params = dict(body)
        factory = params.pop("factory", None)
        if not isinstance(factory, str):
            problems.append(Problem(f, section, "factory", f"missing; available: {', '.join(registry.available())}"))
            continue
        try:
            cls = registry.get(factory)
        except KeyError as e:
            problems.append(Problem(f, section, "factory", str(e.args[0])))
            continue
        except Exception as e:  # a plugin that fails to import
            problems.append(Problem(f, section, "factory", f"cannot load {factory!r}: {e}"))
            continue
        for key, value in registry.stages.preset(factory).items():
            if key in params and params[key] != value:
                problems.append(Problem(f, section, key, f"factory {factory!r} fixes {key} = {value!r}; "
                                        f"remove the key, or use a factory that lets you choose"))
        problems += check_params(cls, params, f, section)
        specs.append(StageSpec(name, factory, params))
    if isinstance(sections, dict):
        for name in sections:
            if name not in (names or []):
                problems.append(Problem(f, f"stages.{name}", None, "section is not listed in [pipeline] stages"))
    if problems:
        raise ConfigError(problems)
    return Config(path=path, languages=list(languages), stages=specs,
                  batch_size=pipe.get("batch_size", 16), raw=raw,
                  run_options={k: pipe.get(k, default) for k, (_, default) in RUN_OPTIONS.items()})


def check_params(cls: Any, params: dict[str, Any], file: str, section: str) -> list[Problem]:
    """Unknown, missing and wrongly typed constructor arguments of one stage section."""
    from pydantic import TypeAdapter, ValidationError

    problems: list[Problem] = []
    sig = inspect.signature(cls.__init__)
    try:
        hints = typing.get_type_hints(cls.__init__)
    except Exception:
        hints = {}
    accepted = {n: p for n, p in sig.parameters.items()
                if n != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    takes_kwargs = any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values())
    for key, value in params.items():
        if key not in accepted:
            if not takes_kwargs:
                problems.append(Problem(file, section, key, f"unknown key; accepted: {', '.join(sorted(accepted)) or '(none)'}"))
            continue
        hint = hints.get(key)
        if hint is None:
            continue
        try:
            TypeAdapter(hint).validate_python(value, strict=True)
        except ValidationError as e:
            msg = "; ".join(err["msg"] for err in e.errors()[:3])
            problems.append(Problem(file, section, key, f"wrong type: expected {_type_name(hint)}, got {value!r} ({msg})"))
    for name, p in accepted.items():
        if p.default is p.empty and name not in params:
            problems.append(Problem(file, section, name, "missing required key"))
    if not problems and hasattr(cls, "check_params"):
        problems += [Problem(file, section, key, msg) for key, msg in cls.check_params(params)]
    return problems


def _type_name(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")
