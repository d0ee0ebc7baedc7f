"""`eval --choose`: per direction, the system with the best chrF++ on the user's references among
those no more than `max_slowdown` times slower (seconds per sentence) than the configured route,
and a config that uses them, with the reasons written at its top.

The candidates are the configured route, the pivot route (through the config's `pivot` language,
for directions that do not involve it) and any `--models` / `--compare` systems. A tie in chrF++
keeps the configured route (timing noise never changes a config); other ties go to the faster.
When the configured route could not run (its model is missing), there is no speed reference and
the best chrF++ wins; the reason says so.
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .. import config as config_mod
from .. import models
from .run import DirectionResult, SystemResult
from .systems import System, configured_models


@dataclass
class Choice:
    direction: str
    label: str
    result: DirectionResult
    model: str | None  # the model to write for the direction; None: remove it (pivot)
    reason: str


def pivot_system(config: str | None, directions: list[str]) -> System | None:
    """The config with every direction that avoids its pivot language removed (they pivot)."""
    stage = System("config", config).stage()
    drop = tuple(d for d in directions if stage.pivot not in d.split("-") and d in stage.models)
    return System(f"pivot via {stage.pivot}", config, drop=drop) if drop else None


def choose(results: list[SystemResult], baseline: str, max_slowdown: float) -> dict[str, Choice]:
    base = next(r for r in results if r.label == baseline)
    directions = sorted({d for r in results for d in r.directions})
    out: dict[str, Choice] = {}
    for d in directions:
        cands = [(r, r.directions[d]) for r in results if d in r.directions]
        ref = base.directions.get(d)
        if ref is not None:
            budget = max_slowdown * ref.seconds_per_sentence
            ok = [(r, x) for r, x in cands if x.seconds_per_sentence <= budget or r is base]
        else:
            ok = cands
        r, x = max(ok, key=lambda c: (round(c[1].chrf, 6), c[0] is base, -c[1].seconds_per_sentence))
        out[d] = Choice(d, r.label, x, _model_for(r, d), _reason(d, r, x, cands, ok, base, ref, max_slowdown))
    return out


def _model_for(r: SystemResult, d: str) -> str | None:
    if d in r.system.drop:
        return None
    stage_models = r.system.models
    if d in stage_models:
        return stage_models[d]
    value = configured_models(r.system.translate_spec().params).get(d)
    if value is not None and r.system.config and not _is_catalog(value):
        p = Path(value).expanduser()
        if not p.is_absolute():
            value = str((Path(r.system.config).parent / p).resolve())
    return value


def _is_catalog(name: str) -> bool:
    try:
        return name in models.load_catalog()
    except models.ModelNotFound:
        return False


def _fmt(r: SystemResult, x: DirectionResult) -> str:
    return f"{r.label} [{x.route}] chrF++ {x.chrf:.1f}, {x.sentences_per_s:.1f} sent/s"


def _reason(d, r, x, cands, ok, base, ref, max_slowdown) -> str:
    parts = [f"{d}: {_fmt(r, x)}"]
    if ref is None:
        parts.append(f"the configured route did not run ({base.skipped.get(d, 'not evaluated')}), "
                     "so there is no speed reference: best chrF++ wins")
    elif r is base:
        parts.append("kept: the configured route")
    else:
        parts.append(f"{x.seconds_per_sentence / ref.seconds_per_sentence:.2f}x the configured route's time "
                     f"per sentence (budget {max_slowdown:g}x), chrF++ {x.chrf - ref.chrf:+.1f} over it")
    others = [f"{_fmt(o, y)}" + ("" if (o, y) in ok else f" (over budget: "
                                 f"{y.seconds_per_sentence / ref.seconds_per_sentence:.2f}x)")
              for o, y in cands if o is not r]
    if others:
        parts.append("others: " + "; ".join(others))
    return " - ".join(parts)


def write_config(base_config: str | None, choices: dict[str, Choice], out: Path) -> Path:
    """A copy of the base config whose translate models are the chosen ones (a chosen pivot
    removes the direction). Relative model folders and the memory path are made absolute, so the
    new file works from any folder. Checked by loading it before it replaces anything."""
    from ..io.atomic import atomic_write

    cfg = config_mod.load(base_config)
    raw = copy.deepcopy(cfg.raw)
    spec = System("config", base_config).translate_spec()
    section = raw.setdefault("stages", {}).setdefault(spec.name, {})
    base_dir = cfg.path.parent.resolve()
    mapping = {}
    for d, v in configured_models(section).items():
        mapping[d] = v if _is_catalog(v) or Path(v).expanduser().is_absolute() else str(base_dir / v)
    for d, c in choices.items():
        if c.model is None:
            mapping.pop(d, None)
        else:
            mapping[d] = c.model
    section["models"] = dict(sorted(mapping.items()))
    section.pop("preset", None)  # the models table is now complete
    cache = section.get("cache")
    if isinstance(cache, str) and cache and not Path(cache).expanduser().is_absolute():
        section["cache"] = str(base_dir / cache)
    header = ["# Written by `ngo-pipeline eval --choose` from " + str(cfg.path), "# Why:"]
    header += [f"#   {c.reason}" for c in choices.values()]
    text = "\n".join(header) + "\n\n" + dumps(raw)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".check")
    tmp.write_text(text, encoding="utf-8")
    try:
        config_mod.load(tmp)
    finally:
        tmp.unlink(missing_ok=True)
    atomic_write(out, text)
    return out


# -- a small TOML writer (the stdlib reads TOML but does not write it) ---------------------------
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE.match(k) else json.dumps(k, ensure_ascii=False)


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def dumps(data: dict, prefix: str = "") -> str:
    lines = [f"{_key(k)} = {_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    out = ("\n".join(lines) + "\n") if lines else ""
    for k, v in data.items():
        if isinstance(v, dict):
            name = f"{prefix}.{_key(k)}" if prefix else _key(k)
            body = dumps(v, name)
            has_scalars = any(not isinstance(x, dict) for x in v.values())
            out += (f"\n[{name}]\n" if has_scalars or not v else "") + body
    return out
