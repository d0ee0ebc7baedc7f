"""The committed tiny models (models/tiny): current, listed file by file in their manifest, used as
they are (nothing trained in a test run), and reproduced by retraining."""
import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models" / "tiny"


def mtm():
    spec = importlib.util.spec_from_file_location("make_test_models", ROOT / "scripts" / "make_test_models.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_committed_models_are_current_and_listed_file_by_file():
    m = mtm()
    assert m.problems(MODELS) == []
    manifest = json.loads((MODELS / "manifest.json").read_text(encoding="utf-8"))
    names = {name.split("/")[0] for name in manifest["files"]}
    assert names == {"bart-sum-en", "config.toml", "marian-en-kk", "marian-en-ru", "marian-kk-en",
                     "marian-ru-en", "nllb-tiny"}
    weights = [n for n in manifest["files"] if n.split("/")[-1].startswith(("model.", "pytorch_model"))]
    assert len(weights) == 6 and all(n.endswith("/model.safetensors") for n in weights)
    assert all(len(h) == 64 for h in manifest["files"].values())


@pytest.mark.subprocess
def test_committed_models_are_in_git_and_unchanged():
    """What the manifest lists is what git has (a clean clone holds them, byte for byte)."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    r = subprocess.run(["git", "ls-files", "models/tiny"], cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"git not usable here: {r.stderr.strip()}")
    tracked = {line.removeprefix("models/tiny/") for line in r.stdout.splitlines()}
    manifest = json.loads((MODELS / "manifest.json").read_text(encoding="utf-8"))
    assert tracked == set(manifest["files"]) | {"manifest.json"}


def test_a_fresh_copy_with_new_dates_is_current_and_is_not_retrained(tmp_path):
    """File dates do not count (a clone's files are all new): a copy is current, ensure() keeps it."""
    m = mtm()
    copy = tmp_path / "tiny"
    shutil.copytree(MODELS, copy)  # new modification times
    before = {p: p.stat().st_mtime_ns for p in copy.rglob("*")}
    assert m.ensure(copy, log=pytest.fail) == copy  # pytest.fail: any training message fails the test
    assert {p: p.stat().st_mtime_ns for p in copy.rglob("*")} == before


def test_changed_or_missing_files_make_the_models_stale_stray_ones_are_named(tmp_path):
    m = mtm()
    copy = tmp_path / "tiny"
    shutil.copytree(MODELS, copy)
    with open(copy / "marian-en-ru" / "model.safetensors", "r+b") as f:
        f.seek(-1, 2)
        last = f.read(1)
        f.seek(-1, 2)
        f.write(bytes([last[0] ^ 1]))
    (copy / "nllb-tiny" / "tokenizer.json").unlink()
    (copy / "marian-ru-en" / "ctranslate2-float32").mkdir()
    (copy / "marian-ru-en" / "ctranslate2-float32" / "model.bin").write_bytes(b"x")
    assert m.problems(copy) == [
        "nllb-tiny/tokenizer.json: missing",
        "marian-en-ru/model.safetensors: changed (sha256 differs from the manifest)"]
    assert m.stray_files(copy) == ["marian-ru-en/ctranslate2-float32/model.bin"]
    assert m.stray_files(MODELS) == []
    manifest = json.loads((MODELS / "manifest.json").read_text())
    (copy / "manifest.json").write_text(json.dumps({**manifest, "inputs": "0" * 16}))
    assert any("trained from other inputs" in p for p in m.problems(copy))


def test_inputs_hash_ignores_line_endings_and_code_outside_the_training_part(tmp_path, monkeypatch):
    m = mtm()
    want = m.inputs_hash()
    for src in m.TEXT_INPUTS:
        crlf = tmp_path / src.name
        crlf.write_bytes(src.read_bytes().replace(b"\n", b"\r\n"))
    monkeypatch.setattr(m, "TEXT_INPUTS", tuple(tmp_path / p.name for p in m.TEXT_INPUTS))
    script = tmp_path / "make_test_models.py"
    text = (ROOT / "scripts" / "make_test_models.py").read_text(encoding="utf-8")
    script.write_text(text.replace("\n", "\r\n") + "\n# a comment after the training code\n", encoding="utf-8")
    monkeypatch.setattr(m, "__file__", str(script))
    assert m.inputs_hash() == want
    script.write_text(text.replace("lr: float", "lr: float ", 1), encoding="utf-8")  # inside: counts
    assert m.inputs_hash() != want


@pytest.mark.slow
@pytest.mark.models
def test_retraining_reproduces_the_committed_models(request):
    """Training is deterministic on one machine and library set (fixed seeds, 2 threads, no
    dropout): a rebuild gives the committed files byte for byte, except that sentencepiece models
    (.spm) record the temporary paths of their training run, left out of the comparison. Another
    CPU or library version may round differently; then this names the files that differ. Opt-in
    (`pytest --retrain`, or `python scripts/make_test_models.py --check`): training all six models
    takes about a minute on a quiet 2-core machine, too long for every run."""
    if not request.config.getoption("--retrain"):
        pytest.skip("retrains the tiny models: run with --retrain (or scripts/make_test_models.py --check)")
    assert mtm().retrain_differences(MODELS) == []
