"""The batch runner: isolation, exit codes, resume, path safety, output naming, the per-document
budget, the journal, the lock, Ctrl-C. One run on the tiny models (the first test); the others on
`fake_config` (the same pipeline with the lookup engine: the corpus's translations, no models to
load), since what they test is the runner."""
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import fakes
import pytest
from test_runner_stages import config_with_stage, wait_for

from pipeline import Pipeline, run_folder
from pipeline.cli import main
from pipeline.io.writers import UnsafePathError, atomic_write, safe_join
from pipeline.run.journal import StateJournal, sweep_temp_files
from pipeline.run.plan import STATE_FILE

pytestmark = pytest.mark.subprocess  # most start the runner's worker process (the journal and path tests do not)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def in_dir(tmp_path, corpus):
    d = tmp_path / "in"
    (d / "sub" / "deeper").mkdir(parents=True)
    (d / "a.txt").write_text(f'{corpus[0]["en"]} {corpus[1]["en"]}\n', encoding="utf-8")
    (d / "sub" / "b.md").write_text(f'# {corpus[15]["ru"]}\n\n{corpus[2]["ru"]}\n', encoding="utf-8")
    (d / "sub" / "deeper" / "c.txt").write_text(f'{corpus[3]["kk"]} {corpus[4]["kk"]}\n', encoding="utf-8")
    (d / "bad.txt").write_bytes(b"\x00\x01\x02binary" * 50)
    (d / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    (d / "notes.psd").write_bytes(b"8BPS photoshop")
    (d / ".hidden.txt").write_text("ignored")
    return d


def report(out):
    return {r["path"]: r for r in map(json.loads, (out / "report.jsonl").read_text().splitlines())}


def statuses(out):
    return {k: v["status"] for k, v in report(out).items()}


def test_batch_isolation_report_and_exit_code(in_dir, tmp_path, model_config, corpus, capsys):
    out = tmp_path / "out"
    rc = main(["run", str(in_dir), "--out", str(out), "--config", str(model_config), "-q"])
    assert rc == 1  # some documents failed
    err = capsys.readouterr().err
    assert f"FAILED {in_dir / 'bad.txt'}: looks like a binary file" in err
    assert f"FAILED {in_dir / 'broken.docx'}: not a valid .docx" in err
    assert f"skipped {in_dir / '.hidden.txt'}: hidden file" in err
    assert "3 ok, 2 failed, 1 skipped, 1 unsupported" in err
    rep = report(out)
    assert statuses(out) == {
        "a.txt": "ok", "sub/b.md": "ok", "sub/deeper/c.txt": "ok", "bad.txt": "failed",
        "broken.docx": "failed", "notes.psd": "unsupported", ".hidden.txt": "skipped"}
    assert rep["a.txt"]["lang"] == "en"
    assert list(rep) == sorted(rep)  # the finished report is sorted by path
    # outputs mirror the folders, in the input's format
    assert (out / "a.ru.txt").read_text(encoding="utf-8") == f'{corpus[0]["ru"]} {corpus[1]["ru"]}\n'
    assert (out / "sub" / "b.en.md").read_text(encoding="utf-8") == f'# {corpus[15]["en"]}\n\n{corpus[2]["en"]}\n'
    assert (out / "sub" / "deeper" / "c.ru.txt").read_text(encoding="utf-8") == f'{corpus[3]["ru"]} {corpus[4]["ru"]}\n'
    record = json.loads((out / "sub" / "deeper" / "c.json").read_text(encoding="utf-8"))
    assert record["lang"] == "kk" and record["summaries"]["kk"]
    assert not list(out.rglob("*.tmp"))


def test_all_ok_exit_zero_and_resume(in_dir, tmp_path, fake_config):
    for bad in ("bad.txt", "broken.docx"):
        (in_dir / bad).unlink()
    out = tmp_path / "out"
    args = ["run", str(in_dir), "--out", str(out), "--config", str(fake_config), "-q"]
    assert main(args) == 0
    outputs = sorted(p for p in out.rglob("*")
                     if p.is_file() and p.name != "report.jsonl" and not p.name.startswith("."))
    stamps = {p: p.stat().st_mtime_ns for p in outputs}
    assert main(args) == 0
    docs = {k: (v["status"], v["unchanged"]) for k, v in report(out).items()
            if k.endswith((".txt", ".md")) and k[0] != "."}
    assert docs == {"a.txt": ("ok", True), "sub/b.md": ("ok", True), "sub/deeper/c.txt": ("ok", True)}
    assert {p: p.stat().st_mtime_ns for p in outputs} == stamps  # nothing rewritten
    # a changed document is redone, the others are not
    (in_dir / "a.txt").write_text((in_dir / "a.txt").read_text() + "\nThe forum was held in Almaty.\n")
    assert main(args) == 0
    assert not report(out)["a.txt"]["unchanged"] and report(out)["sub/b.md"]["unchanged"]
    # a changed option (targets) or --force redoes everything
    assert main(args + ["--to", "ru"]) == 0
    rep = report(out)
    # a Russian document asked for Russian only: nothing to produce but its record, and no problem
    assert [rep[k]["status"] for k in ("a.txt", "sub/b.md", "sub/deeper/c.txt")] == ["ok", "ok", "ok"]
    assert rep["sub/b.md"]["reason"] is None and not (out / "sub" / "b.ru.md").exists()
    assert main(args + ["--to", "ru", "--force"]) == 0
    # a deleted output is recreated
    (out / "sub" / "b.en.md").unlink()
    assert main(args) == 0
    assert (out / "sub" / "b.en.md").exists()


def test_dry_run_writes_nothing(in_dir, tmp_path, fake_config, capsys):
    out = tmp_path / "out"
    assert main(["run", str(in_dir), "--out", str(out), "--config", str(fake_config), "--dry-run", "-q"]) == 0
    assert not out.exists()
    assert "planned: a.txt" in capsys.readouterr().out


def test_usage_errors_exit_two(tmp_path, fake_config, capsys):
    assert main(["run", str(tmp_path / "nope"), "--out", str(tmp_path / "o"), "--config", str(fake_config)]) == 2
    assert main(["run", str(tmp_path), "--out", str(tmp_path / "o"), "--to", "fr", "--config", str(fake_config)]) == 2
    assert "unsupported language(s) fr" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text('[pipeline]\nstages = ["x"]\n[stages.x]\nfactory = "nope"\n')
    assert main(["run", str(tmp_path), "--out", str(tmp_path / "o"), "--config", str(bad)]) == 2
    # the output folder may not be the input folder nor contain it (item 8); inside it is fine
    src = tmp_path / "drop" / "in"
    src.mkdir(parents=True)
    (src / "x.txt").write_text("The forum was held in Almaty.")
    for out in (src, src.parent, tmp_path):
        capsys.readouterr()
        assert main(["run", str(src), "--out", str(out), "--config", str(fake_config), "-q"]) == 2
        assert "--out" in capsys.readouterr().err
    assert [p.name for p in src.iterdir()] == ["x.txt"]  # nothing written
    # every missing model is named at once, before any work
    broken = tmp_path / "broken.toml"
    text = fake_config.read_text()
    for name in ("marian-en-ru", "nllb-tiny"):
        text = text.replace(f'/{name}"', f'/{name}-missing"')
    broken.write_text(text)
    capsys.readouterr()
    assert main(["run", str(src), "--out", str(tmp_path / "o"), "--config", str(broken), "-q"]) == 2
    err = capsys.readouterr().err
    assert "missing model(s)" in err and "marian-en-ru-missing" in err and "nllb-tiny-missing" in err
    assert not (tmp_path / "o").exists()


def test_outputs_inside_the_input_folder_are_not_inputs(tmp_path, fake_config, corpus):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(corpus[0]["en"])
    args = ["run", str(src), "--out", str(src / "out"), "--config", str(fake_config), "-q", "--to", "ru"]
    assert main(args) == 0
    shutil.move(src / "out", src / "old-out")  # an earlier run's output folder, renamed
    assert main(args) == 0
    assert statuses(src / "out") == {"a.txt": "ok", "old-out/": "skipped"}
    assert report(src / "out")["old-out/"]["reason"] == "output folder of an earlier run"
    assert not (src / "out" / "out").exists() and not (src / "out" / "old-out").exists()


def test_same_stem_inputs_get_separate_outputs(tmp_path, fake_config, corpus):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(corpus[0]["en"])
    (src / "a.md").write_text(f'# {corpus[1]["en"]}\n')
    (src / "A.html").write_text(f'<!DOCTYPE html><html><body><main><p>{corpus[2]["en"]}</p></main></body></html>')
    (src / "b.txt").write_text(corpus[3]["en"])
    out = tmp_path / "out"
    assert main(["run", str(src), "--out", str(out), "--config", str(fake_config), "-q", "--to", "ru"]) == 0
    rep = report(out)
    assert rep["a.txt"]["outputs"] == ["a.txt.ru.txt", "a.txt.json", "a.txt.review.md"]
    assert rep["a.md"]["outputs"] == ["a.md.ru.md", "a.md.json", "a.md.review.md"]
    assert rep["A.html"]["outputs"] == ["A.html.ru.html", "A.html.json", "A.html.review.md"]
    assert rep["b.txt"]["outputs"] == ["b.ru.txt", "b.json", "b.review.md"]
    assert (out / "a.txt.ru.txt").read_text() == corpus[0]["ru"] + "\n"
    assert (out / "a.md.ru.md").read_text() == f'# {corpus[1]["ru"]}\n'
    assert corpus[2]["ru"] in (out / "A.html.ru.html").read_text()


def test_symlinks_fifos_and_loops_get_report_lines(tmp_path, fake_config, corpus, capsys):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "a.txt").write_text(corpus[0]["en"])
    secret = tmp_path / "secret.txt"
    secret.write_text("outside the drop folder")
    os.symlink(secret, src / "outside.txt")
    os.symlink(src / "sub" / "a.txt", src / "inside.txt")
    os.symlink("loop-b", src / "loop-a")
    os.symlink("loop-a", src / "loop-b")
    os.symlink("..", src / "sub" / "up")  # a folder link back up: a loop for a naive walker
    os.symlink("missing.txt", src / "dangling.txt")
    os.mkfifo(src / "pipe.txt")
    out = tmp_path / "out"
    assert main(["run", str(src), "--out", str(out), "--config", str(fake_config), "-q", "--to", "ru"]) == 1
    rep = report(out)
    assert {k: (v["status"], v["error"] or v["reason"]) for k, v in rep.items()} == {
        "sub/a.txt": ("ok", None), "inside.txt": ("ok", None),
        "outside.txt": ("failed", f"refused: symlink to {secret.resolve()}, outside the input folder"),
        "loop-a": ("failed", "symlink loop"), "loop-b": ("failed", "symlink loop"),
        "sub/up/": ("skipped", "symlink to a folder (not followed)"),
        "dangling.txt": ("failed", "broken symlink (target 'missing.txt' not found)"),
        "pipe.txt": ("unsupported", "a FIFO (named pipe), not a document")}
    assert "outside the drop folder" not in "".join(p.read_text() for p in out.rglob("*.txt"))


def test_a_stage_crash_fails_only_its_document(tmp_path, fake_config, corpus):
    cfg = config_with_stage(fake_config, "boom", "test.explode-on-marker", tmp_path / "boom.toml")
    d = tmp_path / "in"
    d.mkdir()
    for i in range(5):
        (d / f"{i}.txt").write_text(corpus[i]["en"] + (" EXPLODE" if i == 2 else ""))
    results = list(run_folder(Pipeline.from_config(cfg), d, tmp_path / "out"))
    assert {r.path: r.status for r in results} == {"0.txt": "ok", "1.txt": "ok", "2.txt": "failed",
                                                   "3.txt": "ok", "4.txt": "ok"}
    assert [r.error for r in results if r.status == "failed"] == ["RuntimeError: stage crashed on this document"]


@pytest.mark.slow  # waits out the time budget three times: the stalled chunk of two (2 x 5 s), then the document alone
def test_budget_stops_a_stall_a_memory_hog_and_a_crash(tmp_path, fake_config, corpus, capsys):
    cfg = config_with_stage(fake_config, "bad", "test.misbehave", tmp_path / "bad.toml")
    cfg.write_text(cfg.read_text().replace("batch_size = 8", "batch_size = 2"))
    d = tmp_path / "in"
    d.mkdir()
    for i in range(6):
        marker = {1: " STALL", 3: " HOG", 4: " CRASH"}.get(i, "")
        (d / f"{i}.txt").write_text(corpus[i]["en"] + marker)
    out = tmp_path / "out"
    rc = main(["run", str(d), "--out", str(out), "--config", str(cfg), "-q", "--to", "ru",
               "--doc-timeout", "5", "--doc-memory", "600"])
    assert rc == 1
    rep = report(out)
    assert {k: v["status"] for k, v in rep.items()} == {
        "0.txt": "ok", "1.txt": "failed", "2.txt": "ok", "3.txt": "failed", "4.txt": "failed", "5.txt": "ok"}
    assert rep["1.txt"]["error"] == "stopped after the time budget of 5 s per document"
    assert rep["3.txt"]["error"] == "stopped: used more than the memory budget of 600 MB"
    assert rep["4.txt"]["error"] == "the worker process was killed by signal 11 (out of memory?)"
    assert (out / "5.ru.txt").read_text() == corpus[5]["ru"] + "\n"


def test_needs_review_when_text_is_left_untranslated(tmp_path, fake_config, corpus):
    d = tmp_path / "in"
    d.mkdir()
    # Kyrgyz: detected as `other`, kept as it is and flagged, never passed off as translated
    (d / "mixed.txt").write_text(f'{corpus[0]["en"]}\n\nКыргыз Республикасынын Өкмөтү жаңы мыйзам '
                                 'долбоорун жактырды жана аны Жогорку Кеңешке жөнөттү.\n')
    out = tmp_path / "out"
    assert main(["run", str(d), "--out", str(out), "--config", str(fake_config), "-q", "--to", "ru"]) == 0
    rep = report(out)["mixed.txt"]
    assert rep["status"] == "needs-review" and rep["counts"]["untranslated"] == 1
    assert rep["reason"].startswith("1 of ") and "left untranslated (language other)" in rep["reason"]


def test_journal_is_append_only_and_tolerates_a_torn_line(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    j = StateJournal(out)
    for i in range(200):
        j.record(f"d{i}.txt", f"k{i}", [f"d{i}.json"])
    j.close()
    size = (out / STATE_FILE).stat().st_size
    j = StateJournal(out)
    j.record("d0.txt", "new", ["d0.json"])
    j.close()
    grown = (out / STATE_FILE).stat().st_size - size
    assert 0 < grown < 100  # one line appended, not the whole state rewritten
    with open(out / STATE_FILE, "a") as f:
        f.write('{"path": "torn.txt", "ke')  # a run killed mid-line
    j = StateJournal(out)
    assert j.get("d0.txt")["key"] == "new" and j.get("d199.txt")["key"] == "k199" and j.get("torn.txt") is None


def test_outputs_honour_the_umask_and_stale_temp_files_are_swept(tmp_path, fake_config, corpus):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(corpus[0]["en"])
    out = tmp_path / "out"
    out.mkdir()
    (out / ".a.ru.txt.abcd1234.tmp").write_text("left by kill -9")
    (out / "keep.tmp").write_text("not ours")
    old = os.umask(0o022)
    try:
        assert main(["run", str(d), "--out", str(out), "--config", str(fake_config), "-q", "--to", "ru"]) == 0
    finally:
        os.umask(old)
    assert (out / "a.ru.txt").stat().st_mode & 0o777 == 0o644
    assert (out / "a.json").stat().st_mode & 0o777 == 0o644
    assert not (out / ".a.ru.txt.abcd1234.tmp").exists() and (out / "keep.tmp").exists()
    assert sweep_temp_files(out) == []


def test_a_second_run_on_the_same_output_folder_is_refused(tmp_path, fake_config, corpus, capsys):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(corpus[0]["en"])
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, sys, time; f = open(sys.argv[1], 'a+'); fcntl.flock(f, fcntl.LOCK_EX); "
        "f.write('4242'); f.flush(); print('locked', flush=True); time.sleep(60)"), str(out / ".ngo-pipeline.lock")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert main(["run", str(d), "--out", str(out), "--config", str(fake_config), "-q"]) == 2
        assert "another ngo-pipeline run (pid 4242) is writing to" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()


def test_ctrl_c_stops_cleanly_and_keeps_finished_documents(tmp_path, fake_config, corpus):
    cfg = config_with_stage(fake_config, "bad", "test.misbehave", tmp_path / "bad.toml")
    cfg.write_text(cfg.read_text().replace("batch_size = 8", "batch_size = 1"))  # one document per chunk
    d = tmp_path / "in"
    d.mkdir()
    for i in range(4):
        (d / f"{i}.txt").write_text(corpus[i]["en"] + (" STALL" if i == 2 else ""))
    out = tmp_path / "out"
    args = ["run", str(d), "--out", str(out), "--config", str(cfg), "--to", "ru", "--doc-timeout", "600"]
    cmd = [sys.executable, "-c", "import sys, fakes, test_runner_stages; from pipeline.cli import main; "
           f"sys.exit(main({args!r}))"]  # the CLI, with the test engine and stages registered
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    report_file = out / "report.jsonl"
    assert wait_for(lambda: report_file.exists() and report_file.read_text().count('"ok"') >= 2, 120)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130
    assert "Traceback" not in err
    assert "interrupted: 2 document(s) finished" in err
    assert statuses(out) == {"0.txt": "ok", "1.txt": "ok"}
    # the same command carries on: finished documents are skipped, not redone
    (d / "2.txt").write_text(corpus[2]["en"])
    assert main(args[:-2] + ["-q"]) == 0
    rep = report(out)
    assert [rep[f"{i}.txt"]["unchanged"] for i in range(4)] == [True, True, False, False]
    assert {rep[f"{i}.txt"]["status"] for i in range(4)} <= {"ok", "needs-review"}


def test_no_output_escapes_the_output_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(UnsafePathError):
        safe_join(out, "../evil.txt")
    with pytest.raises(UnsafePathError):
        safe_join(out, "/etc/passwd")
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, out / "link")
    with pytest.raises(UnsafePathError):
        safe_join(out, "link/file.txt")
    assert safe_join(out, "sub/x.txt") == (out / "sub" / "x.txt").resolve()


def test_symlinked_output_subfolder_is_refused_in_a_run(tmp_path, fake_config, corpus):
    d = tmp_path / "in" / "sub"
    d.mkdir(parents=True)
    (d / "x.txt").write_text(corpus[0]["en"])
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, out / "sub")
    results = list(run_folder(Pipeline.from_config(fake_config), tmp_path / "in", out))
    assert results[0].status == "failed" and "escapes the output folder" in results[0].error
    assert not list(outside.iterdir())


def test_atomic_write_leaves_old_file_on_failure(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old")

    with pytest.raises(TypeError):
        atomic_write(target, 12345)  # not bytes: fails while writing
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_docx_round_trip_in_batch(tmp_path, fake_config, corpus):
    import docx

    d = tmp_path / "in"
    d.mkdir()
    w = docx.Document()
    w.add_heading(corpus[15]["en"], level=1)
    w.add_paragraph(corpus[0]["en"])
    t = w.add_table(rows=1, cols=1)
    t.cell(0, 0).text = corpus[10]["en"]
    w.save(d / "release.docx")
    out = tmp_path / "out"
    assert main(["run", str(d), "--out", str(out), "--config", str(fake_config), "--to", "kk", "-q"]) == 0
    r = docx.Document(out / "release.kk.docx")
    assert [p.text for p in r.paragraphs if p.text] == [corpus[15]["kk"], corpus[0]["kk"]]
    assert r.paragraphs[0].style.name.startswith("Heading")
    assert r.tables[0].cell(0, 0).text == corpus[10]["kk"]


def test_cli_progress_on_stderr_only(in_dir, tmp_path, fake_config):
    shutil.rmtree(in_dir / "sub")
    r = subprocess.run(fakes.cli("run", str(in_dir), "--out", str(tmp_path / "o"),
                                       "--config", str(fake_config)), capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert r.returncode == 1
    assert r.stdout == ""
    assert "doc" in r.stderr and "1 ok" in r.stderr and "2 failed" in r.stderr
