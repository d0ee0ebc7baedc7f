"""`ngo-pipeline check` reports every problem of a config in one pass (issue 20.7) and refuses every
value that would fail every document, naming the key (issue 21.8)."""
from __future__ import annotations

import os
import re

import pytest

from pipeline import config
from pipeline.cli import main

STAGES = """
[stages.normalize]
factory = "normalize"
[stages.segment]
factory = "segment.sentences"
[stages.detect]
factory = "detect.lingua"
{detect}
[stages.translate]
factory = "translate"
{translate}
[stages.summarize]
factory = "summarize.extractive"
{summarize}
[stages.check]
factory = "check.publication"
{check}
"""


def write(tmp_path, order='"normalize", "segment", "detect", "translate", "summarize", "check"',
          pipeline="", detect="", translate="", summarize="", check="", name="c.toml"):
    path = tmp_path / name
    path.write_text(f'[pipeline]\nlanguages = ["en", "ru", "kk"]\nstages = [{order}]\n{pipeline}\n'
                    + STAGES.format(detect=detect, translate=translate, summarize=summarize, check=check),
                    encoding="utf-8")
    return path


def problems(path, capsys) -> list[str]:
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"{len(err) - 1} problem(s) found"
    return err[:-1]


def test_every_problem_in_one_pass(tmp_path, capsys):
    path = write(tmp_path, order='"normalize", "check", "segment", "detect", "translate", "summarize"',
                 pipeline="doc_timeout = nan", detect="min_confidence = 1.7",
                 summarize="sentences = 2\nwords = 60", check='glossary = "missing-terms.tsv"')
    found = problems(path, capsys)
    expected = [r"\[pipeline\] doc_timeout: must be a finite number",
                r"\[stages.detect\] min_confidence: must be between 0 and 1, not 1.7",
                r"\[stages.summarize\] words: give either sentences or words, not both",
                r"\[stages.check\] glossary: .*missing-terms.tsv: file not found",
                r"\[pipeline\] stages: stage 'check' \(check.publication\) needs segment.translations"]
    for pattern in expected:
        assert any(re.search(pattern, line) for line in found), (pattern, found)
    assert len(found) == len(expected), found


@pytest.mark.parametrize("kw, key", [
    ({"order": ""}, r"\[pipeline\] stages: is empty"),
    ({"pipeline": "doc_timeout = inf"}, r"\[pipeline\] doc_timeout: must be a finite number"),
    ({"pipeline": "doc_timeout = -1"}, r"\[pipeline\] doc_timeout: must be at least 0"),
    ({"detect": "min_confidence = 1.01"}, r"\[stages.detect\] min_confidence: must be between 0 and 1"),
    ({"detect": "min_confidence = -0.5"}, r"\[stages.detect\] min_confidence: must be between 0 and 1"),
    ({"detect": "min_confidence = nan"}, r"\[stages.detect\] min_confidence: must be a finite number"),
    ({"summarize": "sentences = -3"}, r"\[stages.summarize\] sentences: must not be negative"),
    ({"summarize": "words = -60"}, r"\[stages.summarize\] words: must not be negative"),
    ({"summarize": "sentences = 0"}, r"\[stages.summarize\] sentences: must be at least 1"),
    ({"check": 'glossary = "."'}, r"\[stages.check\] glossary: .*not a regular file"),
    ({"check": 'do_not_translate = "nowhere.txt"'}, r"\[stages.check\] do_not_translate: .*file not found"),
])
def test_values_that_would_fail_every_document_are_refused(tmp_path, capsys, kw, key):
    found = problems(write(tmp_path, **kw), capsys)
    assert any(re.search(key, line) for line in found), found


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this system")
def test_a_device_file_as_glossary_is_refused_without_reading_it(tmp_path, capsys):
    found = problems(write(tmp_path, check='glossary = "/dev/zero"'), capsys)
    assert found == [f"{tmp_path / 'c.toml'}: [stages.check] glossary: /dev/zero: not a regular file "
                     "(a folder or a device); give a TSV/CSV or text file"]


def _cuda_devices() -> int:
    try:
        import ctranslate2

        return ctranslate2.get_cuda_device_count()
    except Exception:
        return 0


def test_a_cuda_device_this_machine_lacks_is_refused(tmp_path, capsys):
    n = _cuda_devices()
    found = problems(write(tmp_path, translate=f'device = "cuda:{n + 6}"'), capsys)
    assert any(re.search(r"\[stages.translate\] device: 'cuda:\d+': this machine has", line) for line in found), found
    if n:  # on a GPU machine the devices it has pass
        path = write(tmp_path, translate='device = "cuda:0"', name="ok.toml")
        assert main(["check", str(path)]) == 0


def test_glossary_content_is_checked_too(tmp_path, capsys):
    (tmp_path / "terms.tsv").write_text("# only a comment\n", encoding="utf-8")
    (tmp_path / "brands.txt").write_text("\n\n", encoding="utf-8")
    found = problems(write(tmp_path, check='glossary = "terms.tsv"\ndo_not_translate = "brands.txt"',
                           detect="min_confidence = 2"), capsys)
    assert any("[stages.check] glossary:" in line and "no entries" in line for line in found), found
    assert any("[stages.check] do_not_translate:" in line and "no terms" in line for line in found), found
    assert any("min_confidence" in line for line in found)


def test_a_good_config_with_a_glossary_passes(tmp_path, capsys):
    (tmp_path / "terms.tsv").write_text("forum\tфорум\n", encoding="utf-8")
    path = write(tmp_path, check='glossary = "terms.tsv"', summarize="words = 60")
    assert main(["check", str(path)]) == 0, capsys.readouterr().err


def test_run_refuses_the_same_values_at_load(tmp_path):
    with pytest.raises(config.ConfigError) as e:
        config.load(write(tmp_path, pipeline="doc_timeout = nan", detect="min_confidence = 1.7"))
    assert {p.key for p in e.value.problems} == {"doc_timeout", "min_confidence"}


def test_on_a_machine_with_two_cuda_devices(tmp_path, capsys, monkeypatch):
    ct2 = pytest.importorskip("ctranslate2")
    monkeypatch.setattr(ct2, "get_cuda_device_count", lambda: 2)
    for device in ("cuda", "cuda:1", "cpu", "auto"):
        assert main(["check", str(write(tmp_path, translate=f'device = "{device}"'))]) == 0, device
    found = problems(write(tmp_path, translate='device = "cuda:2"'), capsys)
    assert any("this machine has 2 CUDA device(s), cuda:0 to cuda:1" in line for line in found), found


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this system")
def test_qa_refuses_a_device_file_as_glossary_at_once(tmp_path):
    from pipeline.qa.engine import QAEngine
    from pipeline.qa.glossary import GlossaryError

    with pytest.raises(GlossaryError, match="/dev/zero: not a regular file"):
        QAEngine(glossary="/dev/zero", detect=False)
    with pytest.raises(GlossaryError, match="not a regular file"):
        QAEngine(dnt="/dev/zero", detect=False)
