"""Figures `ngo-pipeline models list` shows beside each catalog model: the speed measured on this
machine by `scripts/bench.py --save` and the published quality (pipeline/data/published_quality.toml).

The bench file (`$NGO_PIPELINE_BENCH`, default `<model store>/bench-results.json`) is written by
the benchmark, never by hand:
`{"measured_at", "machine": {"host", "cpus", "cpu"}, "models": {name: {"tok_s", "setting", "basis"}}}`.
A model missing from it is "not measured"; a file from another host says so.
"""
from __future__ import annotations

import json
import os
import platform
import tomllib
from pathlib import Path

from .. import models

PUBLISHED = Path(__file__).resolve().parents[1] / "data" / "published_quality.toml"


def bench_file() -> Path:
    env = os.environ.get("NGO_PIPELINE_BENCH")
    return Path(env).expanduser() if env else models.store_dir() / "bench-results.json"


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    return {"host": platform.node(), "cpus": os.cpu_count(), "cpu": cpu,
            "load_average": round(os.getloadavg()[0], 1) if hasattr(os, "getloadavg") else None}


def load_bench(path: Path | None = None) -> tuple[dict, str]:
    """({model: {"tok_s", "setting", "basis"}}, a line saying where the figures come from)."""
    path = path or bench_file()
    if not path.exists():
        return {}, f"speed: not measured on this machine (python scripts/bench.py --int8-only --no-pipeline --save writes {path})"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        found = {k: v for k, v in data["models"].items() if isinstance(v, dict) and "tok_s" in v}
        m = data.get("machine", {})
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        return {}, f"speed: {path} cannot be read ({e}); run python scripts/bench.py --int8-only --no-pipeline --save again"
    where = f"{m.get('cpus', '?')} CPUs, {m.get('cpu') or 'unknown CPU'}"
    if m.get("load_average") is not None:
        where += f", load average {m['load_average']} when the benchmark ended"
    other = m.get("host") and m.get("host") != platform.node()
    return found, (f"speed: {path}, measured {data.get('measured_at', '?')} on "
                   + (f"ANOTHER machine ({m['host']}; {where})" if other else f"this machine ({where})"))


def speed_text(name: str, bench: dict) -> str:
    b = bench.get(name)
    if not b:
        return "not measured"
    return f"{b['tok_s']:,.0f} target tok/s ({b.get('setting', '?')}; {b.get('basis', 'real weights')})"


def load_published(path: Path = PUBLISHED) -> tuple[dict, dict]:
    """({model: {"source", "testset", "chrf_pp": {direction: value}, "other"}}, {source id: {...}})."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return data.get("models", {}), data.get("sources", {})


def published_text(name: str, published: dict) -> str:
    p = published.get(name)
    if not p:
        return "published: none found"
    figures = p.get("chrf_pp") or {}
    if figures:
        return (f"published {p.get('testset', '')} chrF++ ({p['source']}): "
                + "  ".join(f"{d} {v:.1f}" for d, v in figures.items()))
    return f"published ({p.get('source', '?')}): {p.get('other', '')}"
