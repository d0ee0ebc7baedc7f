"""Routes: targets -> directions -> translators planned once as data; the model pre-check and the
translators built follow the same routes (kk-Latn needs what kk needs, nothing more)."""
import pytest

from pipeline import Pipeline
from pipeline.cli import main
from pipeline.document import Status
from pipeline.errors import ModelNotFound
from pipeline.languages import TARGETS, base_language
from pipeline.translate import IdentityTranslator, Translator
from pipeline.translate.routes import VariantTranslator, build, directions, plan

MODELS = {"en-ru": "opus-mt-en-ru", "ru-en": "opus-mt-ru-en", "en-kk": "nllb", "kk-en": "nllb",
          "ru-kk": "nllb", "kk-ru": "nllb"}


def test_routes_direct_pivot_identity_and_variant():
    assert plan("ru", "kk-Latn", MODELS, "en").legs == (("ru", "kk"),)
    assert plan("kk", "kk-Latn", MODELS, "en").legs == ()  # transliteration only
    assert plan("kk", "kk-Latn", MODELS, "en").variant == "kk-Latn"
    assert plan("en", "en", MODELS, "en").legs == ()
    no_direct = {k: v for k, v in MODELS.items() if k != "kk-ru"}
    assert plan("kk", "ru", no_direct, "en").legs == (("kk", "en"), ("en", "ru"))
    assert plan("kk", "ru", no_direct, "en").models(no_direct) == ["nllb", "opus-mt-en-ru"]
    assert plan("en", "ru", {}, "en").unconfigured({}) == ["en-ru"]  # the pivot is one end: no way round
    assert directions(["en", "kk"], ["kk", "kk-Latn"]) == [("en", "kk"), ("en", "kk-Latn"), ("kk", "kk-Latn")]
    assert [base_language(t) for t in TARGETS] == ["en", "ru", "kk", "kk"]


class Upper(Translator):
    def __init__(self, src, tgt):
        self.src, self.tgt, self.calls = src, tgt, []

    key = property(lambda self: f"upper|{self.src}-{self.tgt}")

    def translate_detailed(self, texts):
        self.calls.append(list(texts))
        return [(t.upper(), Status.TRANSLATED) for t in texts]


def test_kk_latn_is_a_wrapper_around_the_kazakh_translator():
    legs = {}

    def leg(a, b):
        legs[(a, b)] = Upper(a, b)
        return legs[(a, b)]

    t = build(plan("ru", "kk-Latn", MODELS, "en"), leg)
    assert isinstance(t, VariantTranslator) and (t.src, t.tgt) == ("ru", "kk-Latn")
    assert list(legs) == [("ru", "kk")]  # no ru-en model anywhere on the way
    assert t.translate_detailed(["қала"]) == [("QALA", Status.TRANSLATED)]  # Қала, transliterated (2018)
    same = build(plan("kk", "kk-Latn", MODELS, "en"), leg)
    assert isinstance(same.inner, IdentityTranslator)
    assert same.translate_detailed(["Қала"]) == [("Qala", Status.COPIED)]
    latin2021 = build(plan("kk", "kk-Latn", MODELS, "en"), leg, options={"kk_latin_alphabet": "2021"})
    assert latin2021.write("Қала") == "Qala" and latin2021.write("ша") != same.write("ша")


def test_kk_latn_pre_check_asks_only_for_the_kazakh_model(tmp_path, monkeypatch):
    monkeypatch.setenv("NGO_PIPELINE_MODELS", str(tmp_path / "empty-store"))
    p = Pipeline.default()
    with pytest.raises(ModelNotFound) as e:
        p.check_models(targets=["kk-Latn"], source_lang="ru")
    assert str(e.value).endswith("ngo-pipeline models pull nllb-200-distilled-600M")
    with pytest.raises(ModelNotFound) as e:
        p.check_models(targets=["kk-Latn"])  # from any configured language: still no Marian model
    assert "opus-mt" not in str(e.value)
    assert str(e.value).endswith("models pull nllb-200-distilled-600M")
    p.check_models(targets=["kk-Latn"], source_lang="kk")  # transliteration only: no model at all


@pytest.mark.subprocess
def test_run_to_kk_latn_names_only_the_kazakh_model(tmp_path, monkeypatch, capsys):
    """The bug of issue 24: `run --to kk-Latn` asked for opus-mt-ru-en, which it does not need."""
    monkeypatch.setenv("NGO_PIPELINE_MODELS", str(tmp_path / "empty-store"))
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Форум прошёл в Алматы.", encoding="utf-8")
    assert main(["run", str(src), "--out", str(tmp_path / "out"), "--to", "kk-Latn", "-q"]) == 2
    err = capsys.readouterr().err
    assert "missing model(s)" in err and "nllb-200-distilled-600M" in err
    assert "opus-mt" not in err
    assert not (tmp_path / "out").exists()
