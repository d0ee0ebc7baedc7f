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
import math
import stat
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from . import registry
from .errors import ConfigError, Problem
from .languages import SUPPORTED as SUPPORTED_LANGUAGES
from .stage import Stage, check_contracts

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


def load(path: str | Path | None = None, contracts: bool = False) -> Config:
    """Read and validate a config file; raise ConfigError listing every problem. `contracts`: the
    stage order too (a Pipeline checks it when built; `check` wants every problem at once)."""
    path = Path(path) if path else DEFAULT_CONFIG
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([Problem(str(path), "-", None, "file not found")]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError([Problem(str(path), "-", None, f"not valid TOML: {e}")]) from None
    except OSError as e:
        raise ConfigError([Problem(str(path), "-", None, f"cannot read: {e.strerror or e}")]) from None
    return from_dict(raw, path, contracts)


def from_dict(raw: dict[str, Any], path: Path | str = "<config>", contracts: bool = False) -> Config:
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
        if isinstance(pipe.get(key), float) and not math.isfinite(pipe[key]):
            problems.append(Problem(f, "pipeline", key, f"must be a finite number, not {pipe[key]}"
                                    + (" (0 means no limit)" if low == 0 else "")))
        elif key in pipe and low is not None and pipe[key] < low:
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
    if languages == []:
        problems.append(Problem(f, "pipeline", "languages", "is empty: list the languages to work in"))
    names = pipe.get("stages")
    if names is None:
        problems.append(Problem(f, "pipeline", "stages", "missing key (the list of stages to run)"))
        names = []
    elif names == []:
        problems.append(Problem(f, "pipeline", "stages", "is empty: list at least one stage"))
    sections = raw.get("stages", {})
    for key in raw:
        if key not in ("pipeline", "stages"):
            problems.append(Problem(f, key, None, "unknown section; allowed: [pipeline], [stages.NAME]"))
    specs: list[StageSpec] = []
    classes: list[tuple[str, Any]] = []
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
        found = check_params(cls, params, f, section)
        problems += found + [Problem(f, section, key, msg)
                             for key, msg in value_problems(params, path.parent, skip={p.key for p in found})]
        specs.append(StageSpec(name, factory, params))
        # what `check_contracts` needs of a stage, from its class (nothing is built)
        classes.append((name, SimpleNamespace(requires=cls.requires, assigns=cls.assigns, factory_name=factory)))
    if isinstance(sections, dict):
        for name in sections:
            if name not in (names or []):
                problems.append(Problem(f, f"stages.{name}", None, "section is not listed in [pipeline] stages"))
    if contracts and len(classes) == len(names):  # every stage known: is the order one that can work?
        problems += [Problem(f, "pipeline", "stages", msg) for msg in check_contracts(classes)]
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
    if not problems and isinstance(cls, type) and issubclass(cls, Stage):  # a function factory has no checks
        problems += [Problem(file, section, key, msg) for key, msg in cls.check_params(params)]
    return problems


def _finite(value: Any) -> str | None:
    bad = isinstance(value, float) and not math.isfinite(value)
    return f"must be a finite number, not {value}" if bad else None


def _fraction(value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1
    return None if ok else f"must be between 0 and 1, not {value!r}"


def _count(value: Any) -> str | None:
    return f"must not be negative, not {value}" if isinstance(value, int) and value < 0 else None


def _device(value: Any) -> str | None:
    """A CUDA device that this machine does not have fails every document: refused here."""
    if not isinstance(value, str) or not value.startswith("cuda"):
        return None
    index = value.partition(":")[2]
    try:
        import ctranslate2  # (not torch: `check` stays light) counts the CUDA devices the driver sees

        count = ctranslate2.get_cuda_device_count()
    except Exception:
        count = 0
    if count == 0:
        return f"{value!r}: this machine has no CUDA device; use \"cpu\" (or \"auto\")"
    if index.isdigit() and int(index) >= count:
        return f"{value!r}: this machine has {count} CUDA device(s), cuda:0 to cuda:{count - 1}"
    return None


def _data_file(value: Any, config_dir: Path) -> str | None:
    """A glossary / term list: an existing, readable regular file (never a folder or a device
    such as /dev/zero, which would be read forever). A list of terms is not a file."""
    if not isinstance(value, str) or not value:
        return None
    p = Path(value).expanduser()
    p = p if p.is_absolute() else config_dir / p
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        return f"{p}: file not found"
    except OSError as e:
        return f"{p}: cannot be read ({e.strerror or e})"
    if not stat.S_ISREG(mode):
        return f"{p}: not a regular file (a folder or a device); give a TSV/CSV or text file"
    try:
        with open(p, "rb") as fh:
            fh.read(1)
    except OSError as e:
        return f"{p}: cannot be read ({e.strerror or e})"
    return None


#: key -> check of its value (None: fine); the same key means the same thing in every stage.
VALUE_RULES = {
    "min_confidence": lambda v, d: _fraction(v),
    "sentences": lambda v, d: _count(v), "words": lambda v, d: _count(v),
    "max_new_tokens": lambda v, d: _count(v), "max_chars": lambda v, d: _count(v),
    "device": lambda v, d: _device(v),
    "glossary": _data_file, "do_not_translate": _data_file,
}


def value_problems(params: dict[str, Any], config_dir: Path, skip: set = frozenset()) -> list[tuple[str, str]]:
    """Values of a stage section that would fail every document (or silently turn a check off):
    numbers that are not finite, out-of-range values, an unavailable device, data files that are
    missing or are not files, and contradictory keys. `skip`: keys already reported."""
    out = []
    for key, value in params.items():
        if key in skip:
            continue
        msg = _finite(value) or (VALUE_RULES[key](value, config_dir) if key in VALUE_RULES else None)
        if msg:
            out.append((key, msg))
    if params.get("sentences") and isinstance(params.get("words"), int) and params["words"] > 0:
        out.append(("words", "give either sentences or words, not both (words = N: a summary of about N words)"))
    if "sentences" in params and "words" not in params and params["sentences"] == 0:
        out.append(("sentences", "must be at least 1 (or give words = N instead)"))
    return out


def _type_name(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")
