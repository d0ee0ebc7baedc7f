"""The batch runner on the real pipeline (tiny models): isolation, exit codes, resume, path safety."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import Pipeline, Stage, registry
from pipeline.cli import main
from pipeline.io.writers import UnsafePathError, atomic_write, safe_join

pytestmark = pytest.mark.slow
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
    (d / "notes.pdf").write_bytes(b"%PDF-1.4")
    (d / ".hidden.txt").write_text("ignored")
    return d


def report(out):
    return {r["path"]: r for r in map(json.loads, (out / "report.jsonl").read_text().splitlines())}


def test_batch_isolation_report_and_exit_code(in_dir, tmp_path, model_config, corpus, capsys):
    out = tmp_path / "out"
    rc = main(["run", str(in_dir), "--out", str(out), "--config", str(model_config), "-q"])
    assert rc == 1  # some documents failed
    err = capsys.readouterr().err
    assert f"FAILED {in_dir / 'bad.txt'}: looks like a binary file" in err
    assert f"FAILED {in_dir / 'broken.docx'}: not a valid .docx" in err
    rep = report(out)
    assert {k: v["status"] for k, v in rep.items()} == {
        "a.txt": "ok", "sub/b.md": "ok", "sub/deeper/c.txt": "ok", "bad.txt": "failed",
        "broken.docx": "failed", "notes.pdf": "unsupported"}
    assert rep["a.txt"]["lang"] == "en"
    # outputs mirror the folders, in the input's format
    assert (out / "a.ru.txt").read_text(encoding="utf-8") == f'{corpus[0]["ru"]} {corpus[1]["ru"]}\n'
    assert (out / "sub" / "b.en.md").read_text(encoding="utf-8") == f'# {corpus[15]["en"]}\n\n{corpus[2]["en"]}\n'
    assert (out / "sub" / "deeper" / "c.ru.txt").read_text(encoding="utf-8") == f'{corpus[3]["ru"]} {corpus[4]["ru"]}\n'
    record = json.loads((out / "sub" / "deeper" / "c.json").read_text(encoding="utf-8"))
    assert record["lang"] == "kk" and record["summaries"]["kk"]
    assert not list(out.rglob("*.tmp"))


def test_all_ok_exit_zero_and_resume(in_dir, tmp_path, model_config):
    for bad in ("bad.txt", "broken.docx"):
        (in_dir / bad).unlink()
    out = tmp_path / "out"
    args = ["run", str(in_dir), "--out", str(out), "--config", str(model_config), "-q"]
    assert main(args) == 0
    outputs = sorted(p for p in out.rglob("*") if p.is_file() and p.name != "report.jsonl" and not p.name.startswith("."))
    stamps = {p: p.stat().st_mtime_ns for p in outputs}
    assert main(args) == 0
    assert {k: v["status"] for k, v in report(out).items() if v["status"] != "unsupported"} == {
        "a.txt": "skipped", "sub/b.md": "skipped", "sub/deeper/c.txt": "skipped"}
    assert {p: p.stat().st_mtime_ns for p in outputs} == stamps  # nothing rewritten
    # a changed document is redone, the others are not
    (in_dir / "a.txt").write_text((in_dir / "a.txt").read_text() + "\nThe forum was held in Almaty.\n")
    assert main(args) == 0
    assert report(out)["a.txt"]["status"] == "ok" and report(out)["sub/b.md"]["status"] == "skipped"
    # a changed option (targets) or --force redoes everything
    assert main(args + ["--to", "ru"]) == 0
    assert all(v["status"] == "ok" for k, v in report(out).items() if k != "notes.pdf")
    assert main(args + ["--to", "ru", "--force"]) == 0
    # a deleted output is recreated
    (out / "sub" / "b.en.md").unlink()
    assert main(args) == 0
    assert (out / "sub" / "b.en.md").exists()


def test_dry_run_writes_nothing(in_dir, tmp_path, model_config, capsys):
    out = tmp_path / "out"
    assert main(["run", str(in_dir), "--out", str(out), "--config", str(model_config), "--dry-run", "-q"]) == 0
    assert not out.exists()
    assert "planned: a.txt" in capsys.readouterr().out


def test_usage_errors_exit_two(tmp_path, model_config, capsys):
    assert main(["run", str(tmp_path / "nope"), "--out", str(tmp_path / "o"), "--config", str(model_config)]) == 2
    assert main(["run", str(tmp_path), "--out", str(tmp_path / "o"), "--to", "fr", "--config", str(model_config)]) == 2
    assert "unsupported language(s) fr" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text('[pipeline]\nstages = ["x"]\n[stages.x]\nfactory = "nope"\n')
    assert main(["run", str(tmp_path), "--out", str(tmp_path / "o"), "--config", str(bad)]) == 2


@registry.register("test.explode-on-marker")
class ExplodeOnMarker(Stage):
    def process_batch(self, docs):
        for doc in docs:
            if "EXPLODE" in doc.text:
                raise RuntimeError("stage crashed on this document")
        return docs


def test_a_stage_crash_fails_only_its_document(tmp_path, model_config, corpus):
    cfg = model_config.read_text().replace('stages = ["segment", "detect", "translate", "summarize", "check"]',
                                            'stages = ["segment", "boom", "detect", "translate", "summarize", "check"]')
    cfg += '\n[stages.boom]\nfactory = "test.explode-on-marker"\n'
    cfg_path = tmp_path / "boom.toml"
    cfg_path.write_text(cfg)
    d = tmp_path / "in"
    d.mkdir()
    for i in range(5):
        (d / f"{i}.txt").write_text(corpus[i]["en"] + (" EXPLODE" if i == 2 else ""))
    results = list(Pipeline.from_config(cfg_path).run_folder(d, tmp_path / "out"))
    assert {r.path: r.status for r in results} == {"0.txt": "ok", "1.txt": "ok", "2.txt": "failed",
                                                   "3.txt": "ok", "4.txt": "ok"}
    assert [r.error for r in results if r.status == "failed"] == ["RuntimeError: stage crashed on this document"]


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


def test_symlinked_output_subfolder_is_refused_in_a_run(tmp_path, model_config, corpus):
    d = tmp_path / "in" / "sub"
    d.mkdir(parents=True)
    (d / "x.txt").write_text(corpus[0]["en"])
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, out / "sub")
    results = list(Pipeline.from_config(model_config).run_folder(tmp_path / "in", out))
    assert results[0].status == "failed" and "escapes the output folder" in results[0].error
    assert not list(outside.iterdir())


def test_atomic_write_leaves_old_file_on_failure(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old")

    with pytest.raises(TypeError):
        atomic_write(target, 12345)  # not bytes: fails while writing
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_docx_round_trip_in_batch(tmp_path, model_config, corpus):
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
    assert main(["run", str(d), "--out", str(out), "--config", str(model_config), "--to", "kk", "-q"]) == 0
    r = docx.Document(out / "release.kk.docx")
    assert [p.text for p in r.paragraphs if p.text] == [corpus[15]["kk"], corpus[0]["kk"]]
    assert r.paragraphs[0].style.name.startswith("Heading")
    assert r.tables[0].cell(0, 0).text == corpus[10]["kk"]


def test_cli_progress_on_stderr_only(in_dir, tmp_path, model_config):
    shutil.rmtree(in_dir / "sub")
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(in_dir), "--out", str(tmp_path / "o"),
                        "--config", str(model_config)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 1
    assert r.stdout == ""
    assert "doc" in r.stderr and "1 ok" in r.stderr and "2 failed" in r.stderr
