"""The batch run's report tells the truth and a reviewer's work is never lost (issue 20 items 1-5),
on a model-free fake stage (fast): statuses, the closing line, the report of an unchanged
document, the run record and the commands that use it, post-edits surviving --force, test output
marked."""
import json
from pathlib import Path

import pytest
from fakes import fakemt_config, report

from pipeline.cli import main
from pipeline.run.types import RUN_RECORD_FILE

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.subprocess  # the runner's worker process


@pytest.fixture
def mixed(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "en.txt").write_text("Hello world.\n\nSecond paragraph.\n")
    (d / "sub" / "ru.txt").write_text("LANG=ru Privet mir.\n")
    (d / "kk.txt").write_text("LANG=kk Salem.\n\nLANG=kk Alem.\n")
    (d / "errors.txt").write_text("QAERR 5 people.\n\nQAERR 7 people.\n\nQAWARN long.\n")
    (d / "other.txt").write_text("English here.\n\nLANG=other Kyrgyz paragraph.\n")
    (d / "unsure.txt").write_text("UNSURE maybe.\n")
    (d / "scan.txt").write_text("PARTREAD first page.\n")
    (d / "empty.txt").write_text("  \n\n \n")
    return d


def run(*args):
    return main(["run", *map(str, args), "-q"])


def test_statuses_mean_something_and_the_closing_line_counts_qa(mixed, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(mixed, "--out", out, "--config", fakemt_config(tmp_path), "--to", "ru,kk") == 0
    err = capsys.readouterr().err
    rep = report(out)
    assert {k: v["status"] for k, v in rep.items()} == {
        "en.txt": "ok", "sub/ru.txt": "ok", "kk.txt": "ok", "errors.txt": "needs-review",
        "other.txt": "needs-review", "unsure.txt": "needs-review", "scan.txt": "partial", "empty.txt": "skipped"}
    # a target equal to the document's own language is simply not produced: no reason, no partial
    assert rep["sub/ru.txt"]["reason"] is None and rep["sub/ru.txt"]["outputs"][0] == "sub/ru.kk.txt"
    assert not (out / "sub" / "ru.ru.txt").exists()
    assert rep["errors.txt"]["counts"] == {"qa_errors": 2, "qa_warnings": 1, "low_confidence": 0, "untranslated": 0}
    assert rep["errors.txt"]["reason"] == "2 QA error(s)"
    assert rep["other.txt"]["counts"]["untranslated"] == 1
    assert rep["other.txt"]["reason"] == "1 of 2 sentence(s) left untranslated (language other)"
    assert rep["unsure.txt"]["counts"]["low_confidence"] == 1
    assert rep["scan.txt"]["reason"] == "not read: page 2 has no text layer"
    assert rep["empty.txt"]["reason"] == "empty" and rep["empty.txt"]["error"] is None
    assert "3 ok, 3 needs-review, 1 partial, 0 failed, 1 skipped; QA: 2 error(s), 2 warning(s)" in err
    assert f"needs-review {mixed / 'errors.txt'}: 2 QA error(s)" in err
    assert f"skipped {mixed / 'empty.txt'}: empty" in err


def test_a_rerun_keeps_the_last_real_outcome(mixed, tmp_path, capsys):
    out = tmp_path / "out"
    cfg = fakemt_config(tmp_path)
    assert run(mixed, "--out", out, "--config", cfg, "--to", "ru,kk") == 0
    first = report(out)
    capsys.readouterr()
    assert run(mixed, "--out", out, "--config", cfg, "--to", "ru,kk") == 0
    again = report(out)
    for path, line in first.items():
        assert again[path]["unchanged"] is True, path
        for key in ("status", "reason", "lang", "counts", "outputs", "review"):
            assert again[path][key] == line[key], (path, key)
    err = capsys.readouterr().err
    assert "3 ok, 3 needs-review, 1 partial, 0 failed, 1 skipped; QA: 2 error(s), 2 warning(s); " \
           "8 unchanged since the last run" in err


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith((".ngo-pipeline", "report.jsonl"))}


def test_the_skip_key_reads_the_targets_as_the_pipeline_does(tmp_path):
    """No --to means every configured language (`Pipeline.targets_for`, which `prepare` asks too):
    a rerun that names them is the same run, skipped; another set of targets is redone."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("Hello world.\n")
    (d / "b.txt").write_text("LANG=ru Privet mir.\n")
    cfg = fakemt_config(tmp_path)  # languages en, ru, kk
    out, named = tmp_path / "out", tmp_path / "named"
    assert run(d, "--out", out, "--config", cfg) == 0
    assert run(d, "--out", named, "--config", cfg, "--to", "en,ru,kk") == 0
    assert _outputs(out) == _outputs(named)  # the same outputs: the same run
    assert run(d, "--out", out, "--config", cfg, "--to", "en,ru,kk") == 0
    assert all(line["unchanged"] for line in report(out).values())
    assert run(d, "--out", named, "--config", cfg) == 0
    assert all(line["unchanged"] for line in report(named).values())
    assert run(d, "--out", out, "--config", cfg, "--to", "ru,kk-Latn") == 0
    assert not any(line["unchanged"] for line in report(out).values())
    assert "a.kk-Latn.txt" in _outputs(out)


def test_the_run_record_and_a_conflicting_config(mixed, tmp_path, capsys):
    out = tmp_path / "out"
    cfg = fakemt_config(tmp_path, cache=str(tmp_path / "tm.sqlite"))
    assert run(mixed, "--out", out, "--config", cfg, "--to", "ru") == 0
    rec = json.loads((out / RUN_RECORD_FILE).read_text())
    assert rec["config"]["path"] == str(cfg.resolve())
    assert rec["config"]["raw"]["stages"]["mt"]["factory"] == "test.fake-mt"
    assert rec["memory"] == str((tmp_path / "tm.sqlite").resolve())
    assert rec["targets"] == ["ru"] and rec["started"] and rec["finished"] and rec["test_models"] is False
    other = fakemt_config(tmp_path, "other.toml", cache=str(tmp_path / "other.sqlite"))
    capsys.readouterr()
    assert run(mixed, "--out", out, "--config", other, "--to", "ru") == 2
    err = capsys.readouterr().err
    assert f"was written with the configuration {cfg.resolve()}" in err and "--new-config" in err
    assert str((tmp_path / "tm.sqlite").resolve()) in err and "Traceback" not in err
    # without --config the recorded configuration is used: everything is up to date
    assert run(mixed, "--out", out, "--to", "ru") == 0
    err = capsys.readouterr().err
    assert f"using the configuration recorded in {out}" in err and "8 unchanged" in err
    # an explicit override redoes the folder and is recorded
    assert run(mixed, "--out", out, "--config", other, "--to", "ru", "--new-config") == 0
    assert json.loads((out / RUN_RECORD_FILE).read_text())["config"]["path"] == str(other.resolve())
    assert not any(v["unchanged"] for v in report(out).values())


def _review_edit(out: Path, doc_id: str, segment: str, lang: str, text: str) -> None:
    from pipeline.review.store import RunStore

    store = RunStore(out)
    _, version = store.load(doc_id)
    store.save(doc_id, version, [{"segment": segment, "lang": lang, "text": text}], "ana", "2026-01-01T00:00:00")


def test_force_keeps_post_edits_and_the_review_state(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("First sentence.\n\nSecond sentence.\n")
    out = tmp_path / "out"
    cfg = fakemt_config(tmp_path)  # no translation memory: only the record holds the edit
    assert run(d, "--out", out, "--config", cfg, "--to", "ru") == 0
    _review_edit(out, "a", "p1s0", "ru", "Второе предложение, правка редактора.")
    assert report(out)["a.txt"]["review"] == {"reviewed": False, "edits": 0}  # the report of the run
    assert run(d, "--out", out, "--config", cfg, "--to", "ru") == 0
    assert report(out)["a.txt"]["review"] == {"reviewed": True, "edits": 1}  # unchanged: read from the record
    assert run(d, "--out", out, "--config", cfg, "--to", "ru", "--force") == 0
    line = report(out)["a.txt"]
    assert not line["unchanged"] and line["review"] == {"reviewed": True, "edits": 1}
    assert (out / "a.ru.txt").read_text() == "[ru] First sentence.\n\nВторое предложение, правка редактора.\n"
    rec = json.loads((out / "a.json").read_text())
    assert rec["segments"][1]["status"]["ru"] == "human"
    # the source changes: the edit of the unchanged sentence stays, the document is no longer "reviewed"
    (d / "a.txt").write_text("A new first sentence.\n\nSecond sentence.\n")
    assert run(d, "--out", out, "--config", cfg, "--to", "ru") == 0
    assert (out / "a.ru.txt").read_text() == "[ru] A new first sentence.\n\nВторое предложение, правка редактора.\n"
    assert report(out)["a.txt"]["review"] == {"reviewed": False, "edits": 0}


def test_review_and_tm_use_the_memory_of_the_run_record(mixed, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    cfg = fakemt_config(tmp_path, cache=str(tmp_path / "run-tm.sqlite"))
    assert run(mixed, "--out", out, "--config", cfg, "--to", "ru") == 0
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # the per-user default memory is not the run's
    capsys.readouterr()
    assert main(["tm", "export", "--run", str(out), "--out", str(tmp_path / "x.tmx")]) == 0
    assert str((tmp_path / "run-tm.sqlite").resolve()) in capsys.readouterr().out
    assert main(["review", str(out), "--export", str(tmp_path / "r.html")]) == 0
    other = fakemt_config(tmp_path, "other.toml", cache=str(tmp_path / "elsewhere.sqlite"))
    assert main(["review", str(out), "--config", str(other), "--export", str(tmp_path / "r.html")]) == 2
    assert "post-edits stored there would not be seen by the next run" in capsys.readouterr().err
    assert not (tmp_path / "elsewhere.sqlite").exists()


def test_test_model_output_is_marked_in_the_record(mixed, tmp_path):
    tiny = ROOT / "models" / "tiny" / "marian-en-ru"
    if not (tiny / "config.json").exists():
        pytest.skip("the test models are not in models/tiny")
    cfg = fakemt_config(tmp_path, extra=f"model = {json.dumps(str(tiny))}\n")
    out = tmp_path / "out"
    assert run(mixed, "--out", out, "--config", cfg, "--to", "ru") == 0
    assert json.loads((out / RUN_RECORD_FILE).read_text())["test_models"] is True
    assert "test models" in json.loads((out / "en.json").read_text())["metadata"]["test_models"]
    plain = tmp_path / "plain"
    assert run(mixed, "--out", plain, "--config", fakemt_config(tmp_path, "p.toml"), "--to", "ru") == 0
    assert "test_models" not in json.loads((plain / "en.json").read_text())["metadata"]
