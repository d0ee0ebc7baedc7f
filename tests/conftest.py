"""Shared fixtures. The tiny models are built once by scripts/make_test_models.py into
models/tiny (ignored by git; the quick start uses the same folder) and rebuilt only when their
inputs change."""
from __future__ import annotations

import importlib.util
import json
import os
import sys
import textwrap
from pathlib import Path

import pytest

# Tests measure the language models themselves, not scores remembered from an earlier run
# (pipeline/text/langid_cache.py is tested on its own); subprocesses inherit this.
os.environ["NGO_PIPELINE_LANGID_CACHE"] = ""

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).with_name("data")
MODELS = ROOT / "models" / "tiny"


def _make_test_models():
    spec = importlib.util.spec_from_file_location("make_test_models", ROOT / "scripts" / "make_test_models.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def tiny_models() -> Path:
    """Folder with the tiny Marian, NLLB and BART models and their config.toml."""
    return _make_test_models().ensure(MODELS, log=lambda msg: print(msg, file=sys.stderr))


@pytest.fixture(scope="session")
def corpus() -> list[dict[str, str]]:
    return _make_test_models().load_corpus()


@pytest.fixture
def model_config(tiny_models: Path, tmp_path: Path) -> Path:
    """A copy of the tiny-model config whose translation memory lives in tmp_path."""
    text = (tiny_models / "config.toml").read_text(encoding="utf-8")
    for name in ("marian-en-ru", "marian-ru-en", "marian-en-kk", "marian-kk-en", "nllb-tiny", "bart-sum-en"):
        text = text.replace(f'"{name}"', json.dumps(str(tiny_models / name)))
    text = text.replace('cache = "translation-memory.sqlite"', f'cache = {json.dumps(str(tmp_path / "tm.sqlite"))}')
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def install_plugin(site: Path, monkeypatch, module: str, source: str, group: str, entry: str) -> None:
    """Put a one-module distribution with one entry point on sys.path, as `pip install` would
    (a real .dist-info, found by importlib.metadata): `entry` is "name = module:attr"."""
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(textwrap.dedent(source))
    dist = site / f"{module}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module.replace('_', '-')}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[{group}]\n{entry}\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setitem(sys.modules, module, None)  # the undo removes the module the test imports
    del sys.modules[module]
