"""Shared fixtures and the cost markers.

The tiny models are committed in models/tiny (made by scripts/make_test_models.py, listed file by
file with sha256 in models/tiny/manifest.json); `tiny_models` uses them as they are and trains only
when they are not current. No test writes into models/tiny (checked when the session ends).

Markers by cost (declared in pyproject.toml; README "Tests" says how to select them):
`models` (loads the tiny models: added here to every test that uses the `tiny_models` fixture),
`subprocess` (starts processes: a worker, the CLI, pandoc), `ray`, `browser`, `slow` (seconds or
more each). Runner behaviour is tested on `fake_config` (tests/fakes.py: the corpus as a
lookup engine, nothing to load)."""
from __future__ import annotations

import importlib.util
import os
import subprocess
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


def pytest_addoption(parser):
    parser.addoption("--retrain", action="store_true",
                     help="also retrain the tiny models and compare them with the committed ones (a minute or more)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tiny_models" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.models)
    # The slow tests first (a stable sort: the order within each part is kept), so that the test
    # workers (pytest-xdist, `-n logical` in pyproject.toml) do not end with one long test running alone.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


_spawned: dict[str, int] = {}


@pytest.fixture(autouse=True)
def _count_processes(request, monkeypatch):
    """Notes tests that start a process without the `subprocess` marker (listed at the end), so
    that `-m "not subprocess"` keeps its promise."""
    if request.node.get_closest_marker("subprocess"):
        yield
        return
    real = subprocess.Popen.__init__

    def init(self, *args, **kwargs):
        _spawned[request.node.nodeid] = _spawned.get(request.node.nodeid, 0) + 1
        real(self, *args, **kwargs)

    monkeypatch.setattr(subprocess.Popen, "__init__", init)
    yield


def _tiny_models_listing() -> dict[str, tuple[int, int]]:
    return {p.relative_to(MODELS).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in MODELS.rglob("*") if p.is_file()} if MODELS.is_dir() else {}


def pytest_sessionstart(session):
    session.config._tiny_listing = _tiny_models_listing()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist: a test worker's list of unmarked process starts comes back to the controller."""
    for k, n in getattr(node, "workeroutput", {}).get("spawned", {}).items():
        _spawned[k] = _spawned.get(k, 0) + n


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _spawned:
        terminalreporter.write_line("tests that started processes without the `subprocess` marker: "
                                    + ", ".join(f"{k} ({n})" for k, n in sorted(_spawned.items())), yellow=True)


def pytest_sessionfinish(session, exitstatus):
    """A clean clone stays clean: the tests leave models/tiny as they found it (a conversion, a
    translation memory or a retraining belongs in a temporary folder)."""
    if hasattr(session.config, "workeroutput"):  # a pytest-xdist test worker
        session.config.workeroutput["spawned"] = dict(_spawned)
    before, after = getattr(session.config, "_tiny_listing", None), _tiny_models_listing()
    if before is None or before == after:
        return
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    if before and set(after) == set(before) | {"manifest.json"} and not _make_test_models().problems(MODELS):
        return  # stale models retrained by `tiny_models` (the manifest says so): not a stray write
    print(f"\nERROR: the tests changed models/tiny: {', '.join(changed[:10])}", file=sys.stderr)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


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
    path = tmp_path / "config.toml"
    path.write_text(_make_test_models().config_text(tiny_models, tmp_path / "tm.sqlite"), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def fake_model_dir(tmp_path_factory) -> Path:
    """Model folders without weights, for the lookup engine (tests/fakes.py)."""
    import fakes

    return fakes.make_folders(tmp_path_factory.mktemp("fake-models"))


@pytest.fixture
def fake_config(fake_model_dir: Path, tmp_path: Path) -> Path:
    """`model_config` without models: the same stages, names and translation memory in tmp_path,
    with the translate stage on the lookup engine, which gives the tiny models' translations of
    the corpus (tests/data/parallel.tsv) and loads nothing. For runner behaviour (resume, journal,
    report, budgets, bad documents, kills), where the models are not what is tested."""
    import fakes as fm

    path = tmp_path / "config.toml"
    path.write_text(fm.config_text(fake_model_dir, tmp_path / "tm.sqlite"), encoding="utf-8")
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
