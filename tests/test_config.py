import subprocess
import sys

import pytest

from pipeline import config
from pipeline.cli import main

GOOD = """
[pipeline]
languages = ["en", "ru"]
stages = ["segment", "detect"]

[stages.segment]
factory = "segment.sentences"

[stages.detect]
factory = "detect.lingua"
min_confidence = 0.4
"""


def write(tmp_path, text):
    p = tmp_path / "c.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_default_config_is_valid():
    cfg = config.load()
    assert [s.name for s in cfg.stages] == ["normalize", "segment", "detect", "translate", "summarize", "check"]


def test_good_config(tmp_path):
    cfg = config.load(write(tmp_path, GOOD))
    assert cfg.languages == ["en", "ru"]
    assert cfg.stages[1].params == {"min_confidence": 0.4}


def test_all_problems_collected_with_file_section_key(tmp_path):
    bad = """
[pipeline]
languages = ["en", "fr"]
stages = ["segment", "detect", "translate", "nosection"]
colour = "blue"

[stages.segment]
factory = "segment.sentences"
max_chars = "long"

[stages.detect]
factory = "detect.lingua"
min_confidence = 0.4
bogus = 1

[stages.translate]
factory = "translate.nope"

[stages.orphan]
factory = "check.publication"
"""
    p = write(tmp_path, bad)
    with pytest.raises(config.ConfigError) as e:
        config.load(p)
    msgs = [str(x) for x in e.value.problems]
    text = "\n".join(msgs)
    assert all(m.startswith(str(p)) for m in msgs)
    assert "[pipeline] colour: unknown key" in text
    assert "[pipeline] languages: unsupported language 'fr'" in text
    assert "[stages.segment] max_chars: wrong type: expected int" in text
    assert "[stages.detect] bogus: unknown key; accepted:" in text
    # an unknown factory lists the available names
    assert "[stages.translate] factory: unknown stage factory 'translate.nope'; available:" in text
    assert "translate.hf" in text and "detect.langdetect" in text
    assert "[stages.nosection]: stage 'nosection' is listed" in text
    assert "[stages.orphan]: section is not listed" in text
    assert len(msgs) == 7


def test_missing_required_key(tmp_path):
    from pipeline import registry
    from pipeline.stage import Stage

    @registry.register("test.needs-arg")
    class Needs(Stage):
        def __init__(self, threshold: float):
            self.threshold = threshold

    p = write(tmp_path, '[pipeline]\nstages=["x"]\n[stages.x]\nfactory="test.needs-arg"\n')
    with pytest.raises(config.ConfigError) as e:
        config.load(p)
    assert "[stages.x] threshold: missing required key" in str(e.value)


def test_semantic_checks_of_stage_arguments(tmp_path):
    text = GOOD.replace('stages = ["segment", "detect"]', 'stages = ["segment", "detect", "translate", "summarize"]')
    text += ('\n[stages.translate]\nfactory = "translate"\nengine = "ctranslate"\n'
             '[stages.translate.models]\n"en-fr" = "x"\n"kk-ru" = "y"\n'
             '[stages.summarize]\nfactory = "summarize.hf"\nmode = "both"\n')
    with pytest.raises(config.ConfigError) as e:
        config.load(write(tmp_path, text))
    text = str(e.value)
    from pipeline.registry import engines  # ct2, hf, and any engine a plugin (or a test) registered

    assert f"[stages.translate] engine: must be auto or one of {', '.join(engines.available())}, not 'ctranslate'" in text
    assert {"ct2", "hf"} <= set(engines.available())
    assert "[stages.translate] models: 'en-fr' is not a direction" in text and "'kk-ru'" not in text
    assert "[stages.summarize] mode: must be 'translate' or 'each', not 'both'" in text


def test_bad_toml_and_missing_file(tmp_path):
    with pytest.raises(config.ConfigError, match="not valid TOML"):
        config.load(write(tmp_path, "[pipeline\n"))
    with pytest.raises(config.ConfigError, match="file not found"):
        config.load(tmp_path / "nope.toml")


def test_check_command_exit_codes(tmp_path, capsys):
    assert main(["check", str(write(tmp_path, GOOD))]) == 0
    assert "OK (2 stages" in capsys.readouterr().out
    bad = write(tmp_path, GOOD.replace("detect.lingua", "detect.nope"))
    assert main(["check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "unknown stage factory 'detect.nope'" in err and "1 problem(s) found" in err


@pytest.mark.subprocess
def test_help_and_check_do_not_import_torch(tmp_path):
    code = ("import sys; from pipeline.cli import main; main(['check', sys.argv[1]]); "
            "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'heavy import'")
    r = subprocess.run([sys.executable, "-c", code, str(write(tmp_path, GOOD))], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_example_config_in_seeds_is_valid():
    from pathlib import Path

    cfg = config.load(Path(__file__).resolve().parents[1] / "seeds" / "example.toml")
    assert cfg.stages[3].factory == "translate.ct2"


def test_models_pull_defaults_to_the_models_the_config_uses():
    from pipeline.cli.models import config_models as _config_models

    assert _config_models(None) == ["nllb-200-distilled-600M", "opus-mt-en-ru", "opus-mt-ru-en"]


def test_config_path_that_is_a_folder(tmp_path):
    with pytest.raises(config.ConfigError, match="cannot read"):
        config.load(tmp_path)


@pytest.mark.subprocess
def test_run_refuses_an_output_path_that_is_a_file(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "out.txt").write_text("x")
    assert main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "out.txt"), "--config",
                 str(write(tmp_path, GOOD))]) == 2
    assert "output path exists and is not a folder" in capsys.readouterr().err
    assert (tmp_path / "out.txt").read_text() == "x"
