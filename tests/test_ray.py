"""The Ray executor (issue 14) against the local one, with one shared `ray.init(num_cpus=2)` for
the module: identical outputs, a bad document among good ones, an actor killed mid-run, resume
after an interrupted run, and the error when Ray is not installed. On `fake_config` (the lookup
engine: the executors are what is compared; the tiny models run end to end in test_runner.py)."""
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_runner_stages import config_with_stage, outputs_of

from pipeline import Pipeline
from pipeline.cli import main
from pipeline.run.local import run_folder

pytestmark = [pytest.mark.slow, pytest.mark.ray, pytest.mark.subprocess,
              pytest.mark.xdist_group("ray")]  # one local cluster, on one test worker
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ray_cluster():
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    # actors must import the test stages: give them this process's import path
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}})
    yield ray
    ray.shutdown()


def files(folder: Path) -> dict[str, bytes]:
    """Every file of a run's output folder; the run record without its clock times (when it ran is
    not an output)."""
    out = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
           if p.is_file() and p.name != ".ngo-pipeline.lock"}
    if ".ngo-pipeline-run.json" in out:
        record = json.loads(out[".ngo-pipeline-run.json"])
        for key in ("started", "finished"):
            assert record.pop(key), key
        out[".ngo-pipeline-run.json"] = json.dumps(record, sort_keys=True).encode()
    return out


@pytest.fixture
def in_dir(tmp_path, corpus):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    for i in range(6):
        (d / f"en{i}.txt").write_text(f'{corpus[i]["en"]} {corpus[i + 6]["en"]}\n', encoding="utf-8")
    (d / "sub" / "ru.md").write_text(f'# {corpus[15]["ru"]}\n\n{corpus[2]["ru"]}\n', encoding="utf-8")
    (d / "sub" / "kk.txt").write_text(f'{corpus[3]["kk"]} {corpus[4]["kk"]}\n', encoding="utf-8")
    (d / "sub" / "kk.md").write_text(f'{corpus[5]["kk"]}\n', encoding="utf-8")  # same stem as kk.txt
    (d / "bad.txt").write_bytes(b"\x00\x01\x02binary" * 50)
    return d


def report(out):
    return {r["path"]: r for r in map(json.loads, (out / "report.jsonl").read_text().splitlines())}


def test_identical_outputs_report_and_exit_code(ray_cluster, in_dir, tmp_path, fake_config):
    local, distributed = tmp_path / "local", tmp_path / "ray"
    assert main(["run", str(in_dir), "--out", str(local), "--config", str(fake_config), "-q"]) == 1
    for p in tmp_path.glob("tm.sqlite*"):  # both runs start from the same (empty) translation memory
        p.unlink()
    assert main(["run", str(in_dir), "--out", str(distributed), "--config", str(fake_config), "-q",
                 "--executor", "ray", "--workers", "2"]) == 1
    a, b = files(local), files(distributed)
    assert a == b  # outputs, report.jsonl and resume journal, byte for byte
    assert report(distributed)["bad.txt"]["error"] == "looks like a binary file (NUL bytes), not text"
    assert len([p for p in a if p.endswith(".json") and not p.startswith(".")]) == 9  # one record per document
    # resume is the same too: nothing left to do, nothing rewritten
    stamps = {p: p.stat().st_mtime_ns for p in distributed.rglob("*.txt")}
    assert main(["run", str(in_dir), "--out", str(distributed), "--config", str(fake_config), "-q",
                 "--executor", "ray"]) == 1
    assert {p: p.stat().st_mtime_ns for p in distributed.rglob("*.txt")} == stamps
    # the re-run keeps each document's outcome from the run that wrote its outputs
    again = {k: r for k, r in report(distributed).items() if k != "bad.txt"}
    assert all(r["unchanged"] for r in again.values())
    assert {k: r["status"] for k, r in again.items()} == {k: r["status"] for k, r in report(local).items()
                                                          if k != "bad.txt"}


def test_a_crashing_stage_fails_only_its_document(ray_cluster, tmp_path, fake_config, corpus):
    cfg = config_with_stage(fake_config, "boom", "test.explode-on-marker", tmp_path / "boom.toml")
    d = tmp_path / "in"
    d.mkdir()
    for i in range(5):
        (d / f"{i}.txt").write_text(corpus[i]["en"] + (" EXPLODE" if i == 2 else ""))
    results = list(run_folder(Pipeline.from_config(cfg), d, tmp_path / "out", executor="ray"))
    assert {r.path: r.status for r in results} == {"0.txt": "ok", "1.txt": "ok", "2.txt": "failed",
                                                   "3.txt": "ok", "4.txt": "ok"}
    assert [r.error for r in results if r.status == "failed"] == ["RuntimeError: stage crashed on this document"]


def test_an_actor_killed_mid_run_is_restarted_and_its_documents_redone(ray_cluster, in_dir, tmp_path,
                                                                         fake_config):
    (in_dir / "bad.txt").unlink()
    clean = tmp_path / "clean"
    want_status = {r.path: r.status for r in run_folder(Pipeline.from_config(fake_config), in_dir, clean,
                                                          targets=["ru"])}
    cfg = config_with_stage(fake_config, "killer", "test.kill-actor-once", tmp_path / "killer.toml")
    cfg.write_text(cfg.read_text().replace('factory = "test.kill-actor-once"',
                                           f'factory = "test.kill-actor-once"\nflag = "{tmp_path / "killed"}"'))
    out = tmp_path / "out"
    results = list(run_folder(Pipeline.from_config(cfg), in_dir, out, targets=["ru"], executor="ray"))
    assert (tmp_path / "killed").exists()  # an actor did die
    assert {r.path: r.status for r in results} == want_status and len(results) == 9
    # the killer stage changes the configuration fingerprint (journal keys) and nothing else
    assert outputs_of(out) == outputs_of(clean)
    assert not [p for p in out.rglob("*.tmp")]


def test_resume_after_an_interrupted_run(ray_cluster, in_dir, tmp_path, fake_config):
    (in_dir / "bad.txt").unlink()
    out = tmp_path / "out"
    results = run_folder(Pipeline.from_config(fake_config), in_dir, out, executor="ray")
    first = [next(results), next(results)]
    results.close()  # what Ctrl-C does: stop, keep what finished
    assert {r.status for r in first} == {"ok"}
    memory = tmp_path / "tm.sqlite"  # fake_config's translation memory: written by the driver alone
    assert sqlite3.connect(memory).execute("SELECT count(*) FROM tm").fetchone()[0] > 0
    rep = report(out)
    assert set(rep) == {r.path for r in first}
    again = {r.path: r.status for r in run_folder(Pipeline.from_config(fake_config), in_dir, out, executor="ray")}
    assert len(again) == 9
    assert {again[r.path] for r in first} == {"ok"}  # kept from the first run (unchanged)
    assert all(report(out)[r.path]["unchanged"] for r in first)
    assert sum(s == "ok" for s in again.values()) >= 9 - 2 - 4  # a batch may finish after the stop
    clean = tmp_path / "clean"
    list(run_folder(Pipeline.from_config(fake_config), in_dir, clean))
    assert outputs_of(out) == outputs_of(clean)


def test_helpful_error_without_ray_and_local_never_imports_it(tmp_path, fake_config, corpus):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(corpus[0]["en"])
    code = ("import sys; sys.modules['ray'] = None; import fakes; from pipeline.cli import main; "
            f"sys.exit(main(['run', {str(d)!r}, '--out', {str(tmp_path / 'o')!r}, '--config', "
            f"{str(fake_config)!r}, '-q', '--executor', 'ray']))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert r.returncode == 2, r.stderr
    assert 'the Ray executor needs Ray Data' in r.stderr and 'pip install "ngo-pipeline[ray]"' in r.stderr
    assert "Traceback" not in r.stderr
    code = ("import sys, fakes; from pipeline.cli import main; "
            f"rc = main(['run', {str(d)!r}, '--out', {str(tmp_path / 'o')!r}, '--config', {str(fake_config)!r}, "
            "'-q']); "
            "assert 'ray' not in sys.modules, 'the local executor imported ray'; sys.exit(rc)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert r.returncode == 0, r.stderr
