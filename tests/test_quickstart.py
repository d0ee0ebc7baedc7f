"""The path of a new user (issue 20 items 6, 10, 11): the quick start installs torch's CPU build the
way PyTorch says and prints the exact next commands; `run` says a wrong folder before a missing
model and points at the test models' config; scripts/translate.py outside the environment says so
in one line; the by-hand install with the pip that Python 3.11 bundles gets lxml.html.clean."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _quickstart():
    spec = importlib.util.spec_from_file_location("quickstart", ROOT / "scripts" / "quickstart.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("platform, cpu_index", [("linux", True), ("win32", True), ("darwin", False)])
def test_torch_comes_from_pytorchs_cpu_index(platform, cpu_index):
    q = _quickstart()
    cmd = q.torch_command("py", platform)
    assert cmd[:5] == ["py", "-m", "pip", "install", "torch==2.13.0"]
    assert (cmd[5:] == ["--index-url", "https://download.pytorch.org/whl/cpu"]) is cpu_index
    assert q.torch_command("py", "linux", index=None)[5:] == []  # index not reachable: the configured one
    pinned = [d for d in (ROOT / "pyproject.toml").read_text(encoding="utf-8").splitlines() if '"torch==' in d]
    assert pinned and q.TORCH in pinned[0]  # the quick start installs the version pyproject pins


@pytest.mark.parametrize("reachable, cpu_ok, expected", [
    (True, True, [["--index-url", "https://download.pytorch.org/whl/cpu"]]),
    (False, True, [[]]),  # the CPU index cannot be reached: the configured index, with a warning
    (True, False, [["--index-url", "https://download.pytorch.org/whl/cpu"], []]),  # it failed: retried
])
def test_torch_install_falls_back_to_the_configured_index(tmp_path, monkeypatch, capsys, reachable, cpu_ok, expected):
    q = _quickstart()
    calls = []

    def fake_pip(env, args, log, step, fatal=True):
        calls.append(args)
        return cpu_ok or "--index-url" not in args

    monkeypatch.setattr(q, "pip", fake_pip)
    monkeypatch.setattr(q, "reachable", lambda url, timeout=5.0: reachable)
    monkeypatch.setattr(q.sys, "platform", "linux")
    monkeypatch.setattr(q.venv, "create", lambda *a, **k: None)
    monkeypatch.setattr(q.subprocess, "run", lambda *a, **k: type("R", (), {"returncode": 1})())  # no torch yet
    q.install(q.Env(tmp_path / "venv"), q.TORCH_CPU_INDEX, 4)
    torch_calls = [c[5:] for c in calls if "torch==2.13.0" in c]
    assert torch_calls == expected
    assert calls[-1][-3:] == ["install", "-e", ".[test]"]
    assert ("cannot be reached" in capsys.readouterr().out) is (not reachable)


def test_next_steps_are_exact_commands_with_the_same_config():
    q = _quickstart()
    text = q.next_steps("models/tiny/config.toml", ROOT / ".venv", ROOT, "linux")
    lines = [line.strip() for line in text.splitlines()]
    assert f"cd {ROOT}" in lines and ". .venv/bin/activate" in lines
    assert "ngo-pipeline review out --config models/tiny/config.toml" in lines
    assert "ngo-pipeline run seeds --out out --config models/tiny/config.toml" in lines
    win = q.next_steps(None, ROOT / ".venv", ROOT, "win32")
    assert ".venv\\Scripts\\activate" in win and "Activate.ps1" in win and "--config" not in win


def test_readme_installs_the_cpu_build_and_the_quick_start_commands_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--index-url https://download.pytorch.org/whl/cpu" in readme
    assert "pinned to a CPU build" not in readme  # the old claim, true only on a machine with a local wheel
    assert (ROOT / "models" / "tiny" / "config.toml").is_file()  # the quick start needs no training


def test_run_says_a_wrong_folder_before_a_missing_model(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NGO_PIPELINE_MODELS", str(tmp_path / "no-models"))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("The forum opened in Almaty.\n", encoding="utf-8")
    assert main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "in")]) == 2
    err = capsys.readouterr().err
    assert "is the input folder" in err and "missing model" not in err
    assert main(["run", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "input folder does not exist" in err and "missing model" not in err


def test_missing_models_without_config_point_at_the_test_models_config(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NGO_PIPELINE_MODELS", str(tmp_path / "no-models"))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("The forum opened in Almaty.\n", encoding="utf-8")
    assert main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "missing model" in err and f"--config {ROOT / 'models' / 'tiny' / 'config.toml'}" in err


@pytest.mark.subprocess
def test_translate_script_outside_the_environment_says_so(tmp_path):
    bare = tmp_path / "bare"
    venv.create(bare, with_pip=False)  # a Python without the project's dependencies
    py = bare / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    r = subprocess.run([str(py), str(ROOT / "scripts" / "translate.py"), str(ROOT / "seeds" / "cadap_forum_almaty_en.txt"),
                        "--to", "ru"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and "does not have the project's dependencies" in r.stderr
    assert "quickstart.py" in r.stderr or "activate" in r.stderr


@pytest.mark.install
@pytest.mark.slow  # about a minute: pip resolves every dependency (nothing is installed)
@pytest.mark.subprocess
def test_by_hand_install_with_the_bundled_pip_gets_lxml_html_clean(tmp_path):
    """README's by-hand steps use the pip that `python3 -m venv` bundles (23.2 with Python 3.11),
    which does not resolve `lxml[html_clean]` (PEP 685 names): lxml_html_clean must be declared."""
    fresh = tmp_path / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(fresh)], check=True, timeout=300)
    py = fresh / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    pip_version = subprocess.run([str(py), "-m", "pip", "--version"], capture_output=True, text=True).stdout
    report = tmp_path / "report.json"
    r = subprocess.run([str(py), "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
                        "--report", str(report), ".[test]"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    if r.returncode and ("Could not find" in r.stderr or "No matching distribution" in r.stderr):
        pytest.skip(f"no package index here: {r.stderr.strip().splitlines()[-1]}")
    assert r.returncode == 0, r.stderr
    names = {i["metadata"]["name"].lower().replace("-", "_") for i in json.loads(report.read_text())["install"]}
    assert "lxml_html_clean" in names, (pip_version, sorted(names))
