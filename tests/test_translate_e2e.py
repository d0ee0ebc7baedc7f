"""End to end on the project's tiny models: the real loading path (`from_pretrained` on model
folders), exact expected outputs. The models reproduce their training corpus exactly, so every
expected translation is the corpus's own reference."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import Pipeline
from pipeline.document import Status
from pipeline.models import ModelNotFound

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
DIRECTIONS = [(s, t) for s in ("en", "ru", "kk") for t in ("en", "ru", "kk") if s != t]
CLAUSES = slice(17, 21)  # the four corpus rows that are clauses of one long sentence


@pytest.fixture
def pipe(model_config):
    return Pipeline.from_config(model_config)


@pytest.mark.parametrize("src,tgt", DIRECTIONS)
def test_every_direction_exact(pipe, corpus, src, tgt):
    rows = corpus[:17]
    got = pipe["translate"].translate_texts([r[src] for r in rows], src, tgt)
    assert got == [r[tgt] for r in rows]


def pivot_config(model_config, tiny_models):
    text = model_config.read_text(encoding="utf-8")
    start = text.index("[stages.translate.models]")
    end = text.index("[stages.summarize]")
    models = "\n".join(f'"{d}" = {json.dumps(str(tiny_models / f"marian-{d}"))}'
                       for d in ("en-ru", "ru-en", "en-kk", "kk-en"))
    path = model_config.with_name("pivot.toml")
    path.write_text(text[:start] + "[stages.translate.models]\n" + models + "\n\n" + text[end:], encoding="utf-8")
    return path


@pytest.mark.parametrize("src,tgt", [("kk", "ru"), ("ru", "kk")])
def test_pivot_through_english_is_a_composed_translator(model_config, tiny_models, corpus, src, tgt):
    from pipeline.translate import CachedTranslator, PivotTranslator

    p = Pipeline.from_config(pivot_config(model_config, tiny_models))
    stage = p["translate"]
    t = stage.translator(src, tgt)
    assert isinstance(t, CachedTranslator) and isinstance(t.inner, PivotTranslator)
    assert (t.inner.first.src, t.inner.first.tgt, t.inner.second.tgt) == (src, "en", tgt)
    rows = corpus[:17]
    assert stage.translate_texts([r[src] for r in rows], src, tgt) == [r[tgt] for r in rows]


def test_multi_paragraph_document_keeps_structure(pipe, corpus):
    text = "\n\n".join([corpus[15]["en"],
                        f'{corpus[0]["en"]} {corpus[1]["en"]}',
                        f'{corpus[7]["en"]} {corpus[9]["en"]}',
                        corpus[16]["en"]])
    doc = pipe.process_text(text, targets=["ru", "kk"])
    assert doc.lang == "en"
    for lang in ("ru", "kk"):
        assert doc.translation(lang) == "\n\n".join([
            corpus[15][lang], f'{corpus[0][lang]} {corpus[1][lang]}',
            f'{corpus[7][lang]} {corpus[9][lang]}', corpus[16][lang]])
    assert [len(p.segments) for p in doc.paragraphs] == [1, 2, 2, 1]


@pytest.mark.parametrize("engine_src", ["en", "ru", "kk"])
def test_sentence_longer_than_model_limit_is_split_not_truncated(pipe, corpus, engine_src):
    stage = pipe["translate"]
    long_sentence = " ".join(r[engine_src] for r in corpus[CLAUSES])
    tgt = "kk" if engine_src == "en" else "en"
    engine = stage.translator(engine_src, tgt).inner.engine
    assert engine.n_tokens(long_sentence, engine_src) > engine.input_limit()  # really over the limit
    doc = pipe.process_text(long_sentence, targets=[tgt], source_lang=engine_src)
    assert len(doc.segments) == 1  # one source unit -> one translated unit
    assert doc.segments[0].translations[tgt] == " ".join(r[tgt] for r in corpus[CLAUSES])
    assert not [f for f in doc.flags if f.code in ("too-short", "truncated", "empty")]


def test_translation_memory_hits_and_edits(model_config, corpus):
    en = [corpus[i]["en"] for i in (0, 1, 2, 3)]
    first = Pipeline.from_config(model_config)
    first.process_text(" ".join(en), targets=["ru"])
    mem = first["translate"].memory
    assert (mem.hits, mem.misses) == (0, 4)
    # a new process (fresh stage, same SQLite file): everything comes from the memory
    again = Pipeline.from_config(model_config)
    doc = again.process_text(" ".join(en), targets=["ru"])
    assert (again["translate"].memory.hits, again["translate"].memory.misses) == (4, 0)
    assert doc.translation("ru") == " ".join(corpus[i]["ru"] for i in (0, 1, 2, 3))
    # edit one sentence: only that sentence is translated
    edited = en[:2] + [corpus[9]["en"]] + en[3:]
    third = Pipeline.from_config(model_config)
    third.process_text(" ".join(edited), targets=["ru"])
    assert (third["translate"].memory.hits, third["translate"].memory.misses) == (3, 1)


def test_cache_key_changes_with_decoding(model_config):
    from pipeline.memory import TranslationMemory

    p1 = Pipeline.from_config(model_config)
    p2 = Pipeline.from_config(model_config, overrides={"translate": {"beams": 2}})
    k1, k2 = p1["translate"].translator("en", "ru").key, p2["translate"].translator("en", "ru").key
    assert k1 != k2 and "beams=1" in k1 and "beams=2" in k2
    assert isinstance(p1["translate"].memory, TranslationMemory)
    assert "beams=" in k1 and "|hf|" in k1  # the engine and its Decoding value are in the key


def test_concurrent_runs_share_the_memory(tmp_path):
    """Processes that open one new memory file at the same instant, then write: none may fail
    ("database is locked" while switching to WAL was a real failure) and nothing may be lost."""
    import multiprocessing as mp

    from pipeline.memory import TranslationMemory

    ctx = mp.get_context("fork")
    for trial in range(12):
        path = str(tmp_path / f"tm{trial}.sqlite")
        barrier, results = ctx.Barrier(8), ctx.Queue()
        procs = [ctx.Process(target=_open_and_write, args=(path, i, barrier, results)) for i in range(8)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        assert sorted(results.get() for _ in procs) == ["ok"] * 8
        got = TranslationMemory(path).get_many("k", [f"s{i}-{j}" for i in range(8) for j in range(60)])
        assert len(got) == 480 and got["s7-59"] == "t7-59"


def _open_and_write(path, i, barrier, results):
    from pipeline.memory import TranslationMemory

    barrier.wait()
    try:
        mem = TranslationMemory(path)
        for j in range(0, 60, 20):
            mem.put_many("k", {f"s{i}-{k}": f"t{i}-{k}" for k in range(j, j + 20)})
        results.put("ok")
    except Exception as e:  # reported to the parent, which asserts
        results.put(repr(e))


@pytest.mark.subprocess
def test_translate_script_json_has_segments(model_config, corpus, tmp_path):
    f = tmp_path / "release.txt"
    f.write_text(f'{corpus[15]["kk"]}\n\n{corpus[0]["kk"]} {corpus[4]["kk"]}\n', encoding="utf-8")
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "translate.py"), str(f), "--to", "en,ru",
                        "--from", "kk", "--json", "--config", str(model_config)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["lang"] == "kk"
    assert [s["source"] for s in data["segments"]] == [corpus[15]["kk"], corpus[0]["kk"], corpus[4]["kk"]]
    assert data["segments"][1]["translations"] == {"en": corpus[0]["en"], "ru": corpus[0]["ru"]}
    assert all(set(s) >= {"source", "lang", "translations", "flags"} for s in data["segments"])
    assert data["translations"]["ru"] == f'{corpus[15]["ru"]}\n\n{corpus[0]["ru"]} {corpus[4]["ru"]}'
    # --out writes the files instead
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "translate", str(f), "--to", "ru",
                        "--from", "kk", "--out", str(tmp_path / "o"), "--config", str(model_config)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "o" / "release.ru.txt").read_text(encoding="utf-8") == \
        f'{corpus[15]["ru"]}\n\n{corpus[0]["ru"]} {corpus[4]["ru"]}\n'


def test_missing_catalog_model_fails_fast_naming_pull(tmp_path, monkeypatch):
    monkeypatch.setenv("NGO_PIPELINE_MODELS", str(tmp_path / "empty-store"))
    p = Pipeline.default()
    with pytest.raises(ModelNotFound, match="ngo-pipeline models pull opus-mt-en-ru"):
        p["translate"].translator("en", "ru")
    # every missing model at once, before any work
    missing = p["translate"].missing_models([("en", "ru"), ("en", "kk"), ("kk", "ru")])
    assert sorted(e.model for e in missing) == ["nllb-200-distilled-600M", "opus-mt-en-ru"]
    with pytest.raises(ModelNotFound) as e:
        p.check_models()
    assert str(e.value).endswith("ngo-pipeline models pull nllb-200-distilled-600M opus-mt-en-ru opus-mt-ru-en")
    # a run that only needs ru->en names only what it needs
    with pytest.raises(ModelNotFound, match=r"models pull opus-mt-ru-en$"):
        p.check_models(targets=["en"], source_lang="ru")


def test_a_folder_that_is_not_a_model_is_named_before_any_work(tmp_path):
    (tmp_path / "notamodel").mkdir()
    p = Pipeline.from_config(None, overrides={"translate": {"models": {"en-ru": str(tmp_path / "notamodel")},
                                                            "cache": ""}})
    with pytest.raises(ModelNotFound, match="not a model folder"):
        p.check_models(targets=["ru"], source_lang="en")


def test_bin_weights_refused_unless_allowed(tiny_models, tmp_path):
    import shutil

    from pipeline import models

    d = tmp_path / "binmodel"
    shutil.copytree(tiny_models / "marian-en-ru", d)
    (d / "model.safetensors").rename(d / "pytorch_model.bin")
    with pytest.raises(ModelNotFound, match="no .safetensors weights"):
        models.load_hf_seq2seq(models.resolve(str(d)))


def test_document_in_another_language_is_kept_and_flagged(pipe):
    text = ("Україна та Казахстан підписали угоду про співпрацю в галузі освіти.\n\n"
            "Міністри обговорили обмін студентами та спільні програми.")
    doc = pipe.process_text(text)
    assert doc.lang == "other"
    assert doc.targets == ["en", "ru", "kk"]
    assert doc.translation("ru") == text  # kept as is, never dropped
    assert {s.status["ru"] for s in doc.segments} == {Status.UNTRANSLATED}
    codes = {f.code for f in doc.flags}
    assert {"lang-other", "untranslated"} <= codes


def test_mixed_release_each_paragraph_from_its_own_language(pipe, corpus):
    # a Kazakh release quoting a Russian paragraph: the quote goes through the ru->en model
    text = f'{corpus[13]["kk"]} {corpus[4]["kk"]} {corpus[9]["kk"]}\n\n{corpus[12]["ru"]}'
    doc = pipe.process_text(text, targets=["en"])
    assert doc.lang == "kk"
    assert [p.lang for p in doc.paragraphs] == ["kk", "ru"]
    assert doc.translation("en") == f'{corpus[13]["en"]} {corpus[4]["en"]} {corpus[9]["en"]}\n\n{corpus[12]["en"]}'


def test_segments_without_words_are_kept_verbatim(pipe, corpus):
    text = f'{corpus[0]["en"]}\n\n+7 701 555 12 34\n\nhttps://example.org/report-2024.pdf'
    doc = pipe.process_text(text, targets=["ru", "kk"])
    for lang in ("ru", "kk"):
        assert doc.translation(lang) == f'{corpus[0][lang]}\n\n+7 701 555 12 34\n\nhttps://example.org/report-2024.pdf'
    assert not [f for f in doc.flags if f.code in ("number-mismatch", "number-missing", "number-added", "url-missing", "phone-missing")]


def test_kazakh_in_latin_script_is_a_target(pipe, corpus):
    from pipeline.text.kazakh_latin import to_latin

    doc = pipe.process_text(corpus[0]["en"], targets=["kk", "kk-Latn"], source_lang="en")
    assert doc.translation("kk") == corpus[0]["kk"]
    assert doc.translation("kk-Latn") == to_latin(corpus[0]["kk"], "2018") != corpus[0]["kk"]
    assert doc.segments[0].status["kk-Latn"] == doc.segments[0].status["kk"]
