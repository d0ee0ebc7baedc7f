"""CTranslate2 engine: the tiny models converted give exactly the transformers translations."""
import json
import shutil

import pytest

from pipeline import Pipeline, models
from pipeline.cli import main
from pipeline.translate.ct2 import CT2Translator
from pipeline.translate.hf import HFTranslator

pytestmark = pytest.mark.slow
DIRECTIONS = [(s, t) for s in ("en", "ru", "kk") for t in ("en", "ru", "kk") if s != t]


@pytest.fixture(scope="module")
def converted(tiny_models, tmp_path_factory):
    """Copies of the tiny translation models, converted with `ngo-pipeline models convert`."""
    root = tmp_path_factory.mktemp("ct2")
    for name in ("marian-en-ru", "marian-ru-en", "nllb-tiny"):
        shutil.copytree(tiny_models / name, root / name)
        assert main(["models", "convert", str(root / name), "--quantization", "float32"]) == 0
    text = (tiny_models / "config.toml").read_text()
    for name in ("marian-en-ru", "marian-ru-en", "nllb-tiny"):
        text = text.replace(f'"{name}"', json.dumps(str(root / name)))
    text = text.replace('cache = "translation-memory.sqlite"', 'cache = ""')
    (root / "config.toml").write_text(text)
    return root


@pytest.mark.parametrize("beams", [1])  # beam search: CTranslate2 and transformers may rank ties and
def test_ct2_output_equals_transformers(converted, corpus, beams):  # length normalisation differently
    texts = {lang: [r[lang] for r in corpus] for lang in ("en", "ru", "kk")}
    for src, tgt in DIRECTIONS:
        name = f"marian-{src}-{tgt}" if {src, tgt} == {"en", "ru"} else "nllb-tiny"
        ref = models.resolve(str(converted / name))
        hf = HFTranslator(ref, src, tgt, beams=beams).translate(texts[src])
        ct2 = CT2Translator(ref, src, tgt, beams=beams, compute_type="float32").translate(texts[src])
        assert ct2 == hf, (src, tgt)
        assert ct2 == texts[tgt]  # and both are the reference


def test_auto_engine_picks_ct2_when_converted(converted, corpus):
    p = Pipeline.from_config(converted / "config.toml", overrides={"translate": {"compute_type": "float32"}})
    p["translate"].warm_up()
    assert all(isinstance(t, CT2Translator) for t in p["translate"].translators.values())
    doc = p.process_text(" ".join(r["kk"] for r in corpus[:4]), targets=["ru", "en"], source_lang="kk")
    assert doc.translation("ru") == " ".join(r["ru"] for r in corpus[:4])
    # the same long-sentence splitting as transformers
    long = " ".join(r["en"] for r in corpus[17:21])
    doc = p.process_text(long, targets=["kk"], source_lang="en")
    assert doc.translation("kk") == " ".join(r["kk"] for r in corpus[17:21])
    hf = Pipeline.from_config(converted / "config.toml", overrides={"translate": {"engine": "hf"}})
    hf["translate"].warm_up()
    assert all(isinstance(t, HFTranslator) for t in hf["translate"].translators.values())


def test_ct2_engine_without_conversion_names_the_command(tiny_models, tmp_path):
    shutil.copytree(tiny_models / "marian-en-ru", tmp_path / "m")
    p = Pipeline.from_config(None, overrides={"translate": {
        "engine": "ct2", "models": {"en-ru": str(tmp_path / "m")}, "languages": ["en", "ru"], "pivot": "kk"}})
    with pytest.raises(models.ModelNotFound, match="ngo-pipeline models convert"):
        p["translate"].warm_up()


def test_direction_without_model_fails_only_documents_that_need_it(tiny_models, tmp_path, corpus):
    from pipeline.stage import StageError

    p = Pipeline.from_config(None, overrides={"translate": {
        "engine": "hf", "models": {"en-ru": str(tiny_models / "marian-en-ru")}, "languages": ["en", "ru"],
        "cache": ""}})
    p["translate"].warm_up()
    assert p["translate"].missing == ["ru-en"]
    assert p.process_text(corpus[0]["en"], targets=["ru"], source_lang="en").translation("ru") == corpus[0]["ru"]
    with pytest.raises(StageError, match="no model for ru-en"):
        p.process_text(corpus[0]["ru"], targets=["en"], source_lang="ru")
