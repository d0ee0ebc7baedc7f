"""The batch run under faults of the real world (issue 21 items 1, 3, 4, 7; issue 20 items 8, 9), on a
model-free fake stage: a full disk, a tree 1,000 folders deep, cp1251 and over-long file names, a
read-only OUT_DIR, a translation memory deleted mid-run, Ctrl-C, the budget's own-work clock."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fakes import fakemt_config, report

from pipeline.cli import main
from pipeline.run.journal import StateJournal
from pipeline.run.measure import WorkClock
from pipeline.run.types import STATE_FILE

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.subprocess  # the runner's worker process
BOOKKEEPING = (".ngo-pipeline", "report.jsonl")


def cli(args: list[str], preexec=None, **kw) -> subprocess.Popen:
    """The CLI in a subprocess, with the fake stages registered."""
    code = f"import sys, fakes; from pipeline.cli import main; sys.exit(main({[str(a) for a in args]!r}))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), *sys.path])}
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, preexec_fn=preexec,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def outputs_on_disk(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*")
            if p.is_file() and not p.name.startswith(BOOKKEEPING)}


def test_a_full_disk_fails_documents_one_by_one_and_keeps_the_report_whole(tmp_path):
    import resource

    d = tmp_path / "in"
    d.mkdir()
    for i in range(30):
        (d / f"small{i:02}.txt").write_text(f"Short release number {i}.\n")
    for name in ("big1.txt", "big2.txt"):
        (d / name).write_text("A long paragraph of a press release. " * 120 + "\n")
    out = tmp_path / "out"
    cfg = fakemt_config(tmp_path, batch_size=4)
    limit = 8000  # bytes per file: a big document's record does not fit, nor does the whole report

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    p = cli(["run", d, "--out", out, "--config", cfg, "-q", "--to", "ru"], preexec=small_files)
    _, err = p.communicate(timeout=300)
    assert p.returncode == 1, err
    assert "Traceback" not in err
    assert f"error: could not write everything to {out}" in err and "run the same command again" in err
    lines = (out / "report.jsonl").read_text().splitlines()
    assert lines and all(json.loads(line) for line in lines)  # every line whole
    rep = {r["path"]: r for r in map(json.loads, lines)}
    assert len(rep) < 32  # the report itself hit the limit...
    assert "line(s) are missing from report.jsonl" in err
    for big in ("big1.txt", "big2.txt"):  # ...and each big document failed on its own
        if big in rep:
            assert rep[big]["status"] == "failed" and "disk full or file-size limit" in rep[big]["error"]
        assert not any(n.startswith(big[:-4] + ".") for n in outputs_on_disk(out))  # nothing half-written
    assert not list(out.rglob("*.tmp")) and not list(out.glob(".ngo-run-*"))
    # with room again the same command finishes the job; the journal took no torn line
    assert main(["run", str(d), "--out", str(out), "--config", str(cfg), "-q", "--to", "ru"]) == 0
    rep = report(out)
    assert len(rep) == 32 and {r["status"] for r in rep.values()} == {"ok"}


def test_a_torn_journal_tail_is_cut_before_appending(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / STATE_FILE).write_text(json.dumps({"path": "a.txt", "key": "k", "outputs": []}) + '\n{"path": "b.t')
    j = StateJournal(out)
    j.record("c.txt", "k2", [])
    j.close()
    assert StateJournal(out).get("c.txt")["key"] == "k2"
    assert all(json.loads(line) for line in (out / STATE_FILE).read_text().splitlines())


@pytest.fixture
def deep_tmp(tmp_path):
    """tmp_path, emptied with `rm -rf` afterwards: pytest's shutil.rmtree recurses per level."""
    yield tmp_path
    subprocess.run(["rm", "-rf", str(tmp_path / "in"), str(tmp_path / "out")])


def test_a_folder_tree_a_thousand_levels_deep(deep_tmp):
    d = deep_tmp / "in"
    deep = d
    d.mkdir()
    for _ in range(1000):  # (Path.mkdir(parents=True) would recurse)
        deep = deep / "d"
        deep.mkdir()
    (deep / "bottom.txt").write_text("Found at the bottom.\n")
    (d / "top.txt").write_text("At the top.\n")
    out = deep_tmp / "out"
    assert main(["run", str(d), "--out", str(out), "--config", str(fakemt_config(deep_tmp)), "-q", "--to", "ru"]) == 0
    rep = report(out)
    assert rep["/".join(["d"] * 1000) + "/bottom.txt"]["status"] == "ok" and rep["top.txt"]["status"] == "ok"
    assert (out.joinpath(*["d"] * 1000) / "bottom.ru.txt").read_text() == "[ru] Found at the bottom.\n"


def test_cp1251_and_over_long_names(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    cp1251 = os.fsdecode("Пресс-релиз".encode("cp1251") + b".txt")
    long_title = "Я" * 118 + ".txt"  # 240 bytes: fits as an input, not with ".review.md" and a temp suffix
    other_long = "Я" * 117 + "Ю.txt"
    for name in (cp1251, long_title, other_long):
        (d / name).write_text(f"Release {len(name)}.\n")
    out = tmp_path / "out"
    args = ["run", str(d), "--out", str(out), "--config", str(fakemt_config(tmp_path)), "-q", "--to", "ru"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "3 ok, 0 failed" in err
    rep = report(out)
    assert set(rep) == {cp1251, long_title, other_long}  # the original names
    long_lines = [r for p, r in rep.items() if p in (long_title, other_long)]
    assert len(long_lines) == 2 and all(r["output_name"] for r in long_lines)
    assert long_lines[0]["output_name"] != long_lines[1]["output_name"]
    assert all(len(os.fsencode(n)) <= 255 for n in os.listdir(out))
    reported = {o for r in rep.values() for o in r["outputs"]}
    assert outputs_on_disk(out) == {os.fsdecode(os.fsencode(o)) for o in reported}  # nothing unreported
    assert main(args) == 0  # the same names again: up to date
    assert all(r["unchanged"] for r in report(out).values())


def _read_only(folder: Path) -> bool:
    """Make `folder` (a tmpfs mounted by _mount) read-only; False where this cannot be done."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return True
    return subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True).returncode == 0


def _mount(folder: Path) -> bool:
    folder.mkdir()
    if os.geteuid() != 0:
        return True
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


@pytest.fixture
def out_mount(tmp_path):
    out = tmp_path / "out"
    if not _mount(out) or shutil.which("mount") is None:
        pytest.skip("cannot mount a tmpfs here")
    yield out
    if os.geteuid() == 0:
        subprocess.run(["umount", str(out)], capture_output=True)
    else:
        out.chmod(0o755)


def test_a_read_only_output_folder_is_a_usage_error_or_nothing_to_do(tmp_path, out_mount, capsys):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("One release.\n")
    args = ["run", str(d), "--out", str(out_mount), "--config", str(fakemt_config(tmp_path)), "-q", "--to", "ru"]
    assert main(args) == 0
    if not _read_only(out_mount):
        pytest.skip("cannot make the folder read-only here")
    capsys.readouterr()
    assert main(args) == 0  # nothing needs writing: the results, no crash
    err = capsys.readouterr().err
    assert "1 ok, 0 failed" in err and "1 unchanged" in err and "Traceback" not in err
    (d / "b.txt").write_text("A new release.\n")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"error: {out_mount}: cannot write to the output folder" in err and "1 document(s) need processing" in err


def test_a_memory_deleted_during_the_run_is_warned_about(tmp_path, caplog):
    memory = tmp_path / "tm.sqlite"
    memory.write_bytes(b"")
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("DELMEM first.\n")
    (d / "b.txt").write_text("Second.\n")
    cfg = fakemt_config(tmp_path, cache=str(memory), batch_size=1)
    assert main(["run", str(d), "--out", str(tmp_path / "out"), "--config", str(cfg), "-q", "--to", "ru"]) == 0
    assert any(f"the translation memory {memory} was deleted while this run used it" in r.getMessage()
               for r in caplog.records)


def test_ctrl_c_stops_at_once_while_a_document_is_processed(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "0.txt").write_text("Quick one.\n")
    (d / "1.txt").write_text("SLEEP=600 a slow one.\n")
    out = tmp_path / "out"
    cfg = fakemt_config(tmp_path, batch_size=1)
    p = cli(["run", d, "--out", out, "--config", cfg, "--to", "ru", "--doc-timeout", "900"])
    rep = out / "report.jsonl"
    deadline = time.monotonic() + 120
    while not (rep.exists() and '"ok"' in rep.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # the worker is inside the slow document now
    start = time.monotonic()
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    took = time.monotonic() - start
    assert p.returncode == 130 and "Traceback" not in err
    assert "interrupted: 1 document(s) finished" in err
    assert took < 5, f"Ctrl-C took {took:.1f} s"


def test_the_budget_clock_counts_a_stall_but_not_time_waiting_for_a_busy_cpu():
    if not hasattr(os, "sched_setaffinity") or not Path("/proc/self/task").is_dir():
        pytest.skip("needs Linux scheduler statistics")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    spin = "import time\nwhile True: pass"
    pin = lambda: os.sched_setaffinity(0, {0})  # noqa: E731  both spinners share one CPU
    spinners = [subprocess.Popen([sys.executable, "-c", spin], preexec_fn=pin) for _ in range(2)]
    try:
        time.sleep(0.3)
        stalled, busy = WorkClock(sleeper.pid), WorkClock(spinners[0].pid)
        start = time.monotonic()
        time.sleep(2)
        wall = time.monotonic() - start
        assert stalled.elapsed() > 0.9 * wall  # a stall counts in full
        assert busy.elapsed() < 0.75 * wall  # half the CPU went to its neighbour: not its own work
    finally:
        for proc in (sleeper, *spinners):
            proc.kill()
            proc.wait()
