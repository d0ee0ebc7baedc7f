"""What the pipeline checks when it is built: stage contracts, presets, shared settings, engines."""
import pytest
from conftest import install_plugin

from pipeline import Pipeline, registry
from pipeline.config import ConfigError
from pipeline.errors import PipelineError
from pipeline.stage import StageContext


def config(tmp_path, stages, extra=""):
    sections = {
        "segment": 'factory = "segment.sentences"', "detect": 'factory = "detect.lingua"',
        "translate": 'factory = "translate"\ncache = ""', "summarize": 'factory = "summarize.extractive"',
        "check": 'factory = "check.publication"',
    }
    text = f"[pipeline]\nstages = {stages!r}\n".replace("'", '"')
    for name in stages:
        text += f"[stages.{name}]\n{sections[name]}\n"
    path = tmp_path / "c.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


@pytest.mark.parametrize("stages,message", [
    (["detect", "translate"], r"stage 'translate' \(translate\) needs doc.segments, which no earlier stage sets"),
    (["segment", "translate", "detect"], r"stage 'translate' \(translate\) needs segment.lang"),
    (["check"], r"stage 'check' \(check.publication\) needs segment.translations"),
    (["segment", "summarize"], r"stage 'summarize' \(summarize.extractive\) needs doc.lang"),
])
def test_contract_violations_are_named_when_the_pipeline_is_built(tmp_path, stages, message):
    with pytest.raises(ConfigError, match=message):
        Pipeline.from_config(config(tmp_path, stages))


def test_the_default_chain_satisfies_every_contract():
    p = Pipeline.default()
    assert p.assigns("segment.translations")


def test_preset_factory_with_a_conflicting_engine_is_a_config_error(tmp_path):
    path = config(tmp_path, ["segment", "detect", "translate"])
    path.write_text(path.read_text().replace('factory = "translate"', 'factory = "translate.hf"\nengine = "ct2"'))
    with pytest.raises(ConfigError, match=r"\[stages.translate\] engine: factory 'translate.hf' fixes engine = 'hf'"):
        Pipeline.from_config(path)
    with pytest.raises(ValueError, match="fixes engine"):
        registry.create("translate.ct2", engine="hf")
    assert registry.create("translate.ct2").engine == "ct2"


def test_targets_without_a_translate_stage_are_refused(tmp_path):
    p = Pipeline.from_config(config(tmp_path, ["segment", "detect"]))
    with pytest.raises(PipelineError, match="no translate stage"):
        p.process_text("The forum opened in Almaty.", targets=["ru"])
    doc = p.process_text("The forum opened in Almaty.")
    assert doc.targets == [] and doc.lang == "en"  # nothing would be written under a translation's name


def test_shared_settings_reach_stages_through_one_context(tmp_path):
    path = config(tmp_path, ["segment", "detect", "translate"])
    path.write_text(path.read_text().replace('stages = ', 'languages = ["en", "ru"]\nstages = '))
    p = Pipeline.from_config(path)
    ctx = p["translate"].context
    assert isinstance(ctx, StageContext) and ctx.languages == ("en", "ru")
    assert ctx.config_dir == tmp_path.resolve() and ctx.path("tm.sqlite") == tmp_path.resolve() / "tm.sqlite"
    assert p["detect"].languages == ["en", "ru"] and not hasattr(ctx, "stages")  # no reach into other stages
    from pipeline import Document

    doc = p["detect"](p.prepare(Document.from_text("Форум прошёл в Алматы."), source_lang="ru"))
    assert doc.source_lang == "ru" and doc.requested_targets == ["en", "ru"] and doc.targets == ["en"]
    # a stage used alone gets the default context
    assert registry.create("detect.lingua").languages == ["en", "ru", "kk"]


def test_the_summariser_declares_its_translator_and_the_pipeline_binds_it(tmp_path):
    p = Pipeline.from_config(config(tmp_path, ["segment", "detect", "translate", "summarize"]))
    assert p["summarize"].uses() == {"translator": "translate"} and p["summarize"].translator is p["translate"]
    alone = Pipeline.from_config(config(tmp_path, ["segment", "detect", "summarize"]))
    assert alone["summarize"].translator is None  # no translate stage: summaries in the source language
    path = config(tmp_path, ["segment", "detect", "summarize"])
    path.write_text(path.read_text().replace('factory = "summarize.extractive"',
                                             'factory = "summarize.extractive"\ntranslate_with = "detect"'))
    with pytest.raises(ConfigError, match="stage 'summarize' uses 'detect' as its translator, but 'detect' "
                                          r"\(detect.lingua\) is not a translator"):
        Pipeline.from_config(path)


def test_contract_names_must_be_document_fields():
    from pipeline.stage import Stage, check_contracts, unknown_fields

    class Typo(Stage):
        requires = frozenset({"doc.paragraphs", "segment.langs"})
        assigns = frozenset({"doc.summaries", "sentence.lang"})

    assert unknown_fields(["doc.segments", "doc.lang", "paragraph.kind", "segment.translations"]) == []
    assert check_contracts([("typo", Typo())]) == [
        "stage 'typo' (Typo) names segment.langs, sentence.lang, which are not fields of the Document "
        "(doc.*, paragraph.*, segment.*)",
        "stage 'typo' (Typo) needs segment.langs, which no earlier stage sets; put a stage that sets it before it"]


def test_pipe_accepts_plain_texts(tmp_path):
    p = Pipeline.from_config(config(tmp_path, ["segment", "detect"]))
    docs = list(p.pipe(["The forum opened in Almaty.", "Форум прошёл в Алматы."]))
    assert [d.lang for d in docs] == ["en", "ru"]


@pytest.fixture
def engine_plugin(tmp_path, monkeypatch):
    install_plugin(tmp_path / "site", monkeypatch, "ngo_echo_engine", """
        from pipeline.translate import Engine

        class EchoEngine(Engine):
            name = "echo"

            def _load(self):
                pass

            def n_tokens(self, text, src=None):
                return len(text.split())

            def input_limit(self):
                return 512

            def output_limit(self):
                return 512

            def _generate(self, texts, max_new, src_code, tgt_code):
                return [(f"<{t}>", True) for t in texts]
    """, "ngo_pipeline.engines", "echo = ngo_echo_engine:EchoEngine")


def test_an_engine_plugin_extends_the_engine_table(engine_plugin, tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text('{"model_type": "marian"}')
    assert "echo" in registry.engines.available()
    path = config(tmp_path, ["segment", "detect", "translate"])
    path.write_text(path.read_text().replace('factory = "translate"', 'factory = "translate"\nengine = "echo"')
                    + '[stages.translate.models]\n"en-ru" = "model"\n')
    doc = Pipeline.from_config(path).process_text("The forum opened. It ended.", targets=["ru"])
    assert doc.translation("ru") == "<The forum opened.> <It ended.>"
    assert {s.status["ru"].value for s in doc.segments} == {"translated"}


def test_check_explain_prints_the_stage_table(tmp_path, capsys):
    from pipeline.cli import main

    path = config(tmp_path, ["segment", "detect", "translate", "summarize", "check"])
    assert main(["check", "--explain", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("stage "))
    assert lines[header].split() == ["stage", "factory", "requires", "assigns", "uses", "provides"]
    rows = {ln.split()[0]: ln for ln in lines[header + 2:]}
    assert list(rows) == ["(reader)", "segment", "detect", "translate", "summarize", "check"]
    assert "doc.paragraphs, doc.text" in rows["(reader)"]
    assert "doc.segments, segment.lang  segment.model_score, segment.translations" in rows["translate"]
    assert rows["translate"].endswith("memory, scorer, translator")
    assert "scorer: translate" in rows["check"]  # the model-confidence link (issue 22)
    assert rows["summarize"].endswith("translator: translate")


def test_run_until_stops_at_the_stage_that_sets_a_field(tmp_path):
    p = Pipeline.from_config(config(tmp_path, ["segment", "detect", "translate", "summarize"]))
    assert p.setter("doc.lang") == "detect" and p.setter("doc.summaries") == "summarize"
    assert p.setter("doc.nothing") is None
    from pipeline import Document

    doc = p.run_until(p.prepare(Document.from_text("Форум прошёл в Алматы.")), "doc.lang")
    assert doc.lang == "ru" and doc.segments and not doc.segments[0].translations  # translate did not run
    assert not p["translate"]._warm
