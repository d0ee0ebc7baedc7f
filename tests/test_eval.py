"""`ngo-pipeline eval` on the tiny models: they reproduce their training sentences, so the expected
scores are known. Every expected figure is computed here with sacrebleu directly, never copied
from the command's output."""
from __future__ import annotations

import json
import tomllib

import pytest
from sacrebleu.metrics import BLEU, CHRF

from pipeline.cli import main
from pipeline.evaluate import refs as refs_mod
from pipeline.evaluate.choose import choose
from pipeline.evaluate.run import DirectionResult, SystemResult
from pipeline.evaluate.systems import System
from pipeline.memory.holdout import is_calibration


def _chrf(hyps, refs):
    return CHRF(word_order=2).corpus_score(hyps, [refs]).score


def _bleu(hyps, refs):
    return BLEU().corpus_score(hyps, [refs]).score


def _eval_json(capsys, *argv) -> dict:
    capsys.readouterr()
    assert main(["eval", *map(str, argv), "--json", "--no-qa"]) == 0
    return json.loads(capsys.readouterr().out)


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _perturb(text: str, i: int) -> str:
    words = text.split()
    if i % 3 == 0 and len(words) > 2:
        return " ".join(words[:-1])  # a word dropped
    if i % 3 == 1:
        return " ".join(reversed(words))  # word order changed
    return text


@pytest.mark.slow  # several evaluations on the tiny models
def test_training_sentences_score_100_and_perturbed_references_score_what_sacrebleu_says(
        model_config, corpus, tmp_path, capsys):
    exact = _jsonl(tmp_path / "train.jsonl", corpus)
    out = _eval_json(capsys, exact, "--config", model_config, "--include-calibration",
                     "--directions", "en-ru,ru-kk")
    assert set(out["directions"]) == {"en-ru", "ru-kk"}
    for d, r in out["directions"].items():
        src, tgt = d.split("-")
        refs = [row[tgt] for row in corpus]
        assert r["sentences"] == len(corpus) == 21
        assert r["chrf"] == _chrf(refs, refs) == 100.0
        assert r["bleu"] == _bleu(refs, refs)
    assert "chrF2++|nrefs:1" in out["signature"] and "BLEU|" in out["signature"] and "version:" in out["signature"]

    rows = [{"src_lang": "en", "tgt_lang": "ru", "source": r["en"], "target": _perturb(r["ru"], i)}
            for i, r in enumerate(corpus)]
    out = _eval_json(capsys, _jsonl(tmp_path / "perturbed.jsonl", rows), "--config", model_config,
                     "--include-calibration")
    outputs = [r["ru"] for r in corpus]  # what the model produces (asserted above for en-ru)
    perturbed = [r["target"] for r in rows]
    got = out["directions"]["en-ru"]
    assert list(out["directions"]) == ["en-ru"]
    assert got["chrf"] == _chrf(outputs, perturbed) < 100
    assert got["bleu"] == _bleu(outputs, perturbed) < got["chrf"]


@pytest.mark.slow  # several evaluations on the tiny models
def test_pairs_kept_for_calibration_are_not_evaluated(model_config, corpus, tmp_path, capsys):
    rows = [{"src_lang": "en", "tgt_lang": "ru", "source": r["en"], "target": r["ru"]} for r in corpus]
    kept = [r for r in rows if not is_calibration(r["source"], r["target"])]
    assert 0 < len(kept) < len(rows)  # the tiny corpus has both kinds
    out = _eval_json(capsys, _jsonl(tmp_path / "r.jsonl", rows), "--config", model_config)
    assert out["directions"]["en-ru"]["sentences"] == len(kept)
    assert out["held_apart"] == len(rows) - len(kept)


def _route_config(model_config, tmp_path, name, **swap):
    text = model_config.read_text(encoding="utf-8")
    models_dir = json.loads(text.split('"en-ru" = ')[1].split("\n")[0]).rsplit("/", 1)[0]
    for direction, folder in swap.items():
        start = text.index(f'"{direction.replace("_", "-")}" = ')
        end = text.index("\n", start)
        text = text[:start] + f'"{direction.replace("_", "-")}" = {json.dumps(models_dir + "/" + folder)}' + text[end:]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow  # several evaluations on the tiny models
@pytest.mark.parametrize("case", ["direct-broken", "pivot-broken"])
def test_choose_picks_the_right_route_for_ru_kk(model_config, corpus, tmp_path, capsys, case):
    # direct-broken: ru-kk is served by the ru->en model (English out): the pivot ru>en>kk is right.
    # pivot-broken: the pivot's second leg en-kk is the en->ru model: the direct NLLB route is right.
    swap = {"ru_kk": "marian-ru-en"} if case == "direct-broken" else {"en_kk": "marian-en-ru"}
    cfg = _route_config(model_config, tmp_path, f"{case}.toml", **swap)
    corpus = corpus[:8]  # enough to tell a right route from a wrong one
    refs = _jsonl(tmp_path / "ru-kk.jsonl", [{"src_lang": "ru", "tgt_lang": "kk", "source": r["ru"],
                                              "target": r["kk"]} for r in corpus])
    out_cfg = tmp_path / "chosen.toml"
    out = _eval_json(capsys, refs, "--config", cfg, "--include-calibration", "--choose",
                     "--max-slowdown", "50", "--out", out_cfg)
    chosen = out["chosen"]["ru-kk"]
    models = tomllib.loads(out_cfg.read_text(encoding="utf-8"))["stages"]["translate"]["models"]
    kk = [r["kk"] for r in corpus]
    if case == "direct-broken":
        assert chosen["route"] == "pivot marian-ru-en > nllb-tiny"
        assert "ru-kk" not in models  # the written config pivots
        assert out["systems"]["pivot via en"]["directions"]["ru-kk"]["chrf"] == _chrf(kk, kk)
    else:
        assert chosen["route"] == "nllb-tiny" and models["ru-kk"].endswith("nllb-tiny")
    assert chosen["reason"].startswith("ru-kk: ")
    # the written config is valid and translates ru-kk perfectly (memory bypassed)
    again = _eval_json(capsys, refs, "--config", out_cfg, "--include-calibration")
    assert again["directions"]["ru-kk"]["chrf"] == 100.0


def _result(label, chrf, seconds, n=10, drop=()):
    r = SystemResult(System(label, drop=drop))
    r.directions["en-kk"] = DirectionResult("en-kk", label, n, chrf, 0.0, 0.0, seconds, 100)
    return r


def test_choose_respects_the_speed_budget_and_breaks_ties_by_speed():
    base, better_slow, better_ok = _result("base", 40, 1.0), _result("big", 45, 2.5), _result("mid", 43, 1.9)
    pick = choose([base, better_slow, better_ok], "base", 2.0)["en-kk"]
    assert pick.label == "mid" and "over budget: 2.50x" in pick.reason
    assert choose([base, better_slow], "base", 3.0)["en-kk"].label == "big"
    assert choose([base, _result("same-faster", 40, 0.5)], "base", 2.0)["en-kk"].label == "base"  # a tie keeps it
    assert choose([base, _result("a", 44, 1.5), _result("b", 44, 1.2)], "base", 2.0)["en-kk"].label == "b"
    assert choose([base, better_slow], "base", 2.0)["en-kk"].label == "base"


def _tmx_utf16(path, corpus):
    units = []
    for r in corpus[:6]:
        en = r["en"].replace(" ", ' <bpt i="1">&lt;b&gt;</bpt>', 1).replace(".", '<ept i="1">&lt;/b&gt;</ept>.', 1)
        units.append(f'<tu><tuv xml:lang="EN-US"><seg>{en}</seg></tuv>'
                     f'<tuv xml:lang="ru-RU"><seg>{r["ru"]}<ph x="1">&lt;br/&gt;</ph></seg></tuv>'
                     f'<tuv xml:lang="kk_KZ"><seg>{r["kk"]}</seg></tuv></tu>')
    text = ('<?xml version="1.0" encoding="UTF-16"?>\n<tmx version="1.4"><header srclang="*all*" '
            'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" '
            'creationtoolversion="1"/><body>' + "".join(units) + "</body></tmx>")
    path.write_bytes(text.encode("utf-16"))
    return path


@pytest.mark.slow  # several evaluations on the tiny models
def test_tmx_with_inline_tags_utf16_and_three_languages_per_unit(model_config, corpus, tmp_path, capsys):
    tmx = _tmx_utf16(tmp_path / "agency.tmx", corpus)
    refs = refs_mod.read_tmx(tmx)
    assert sorted(refs) == ["en-kk", "en-ru", "kk-en", "kk-ru", "ru-en", "ru-kk"]
    assert [r.source for r in refs["en-ru"]] == [r["en"] for r in corpus[:6]]  # inline codes dropped
    out = _eval_json(capsys, tmx, "--config", model_config, "--include-calibration",
                     "--directions", "en-ru,kk-en")
    for d in ("en-ru", "kk-en"):
        tgt = d.split("-")[1]
        want = [r[tgt] for r in corpus[:6]]
        assert out["directions"][d]["sentences"] == 6 and out["directions"][d]["chrf"] == _chrf(want, want)


def test_two_aligned_text_files_other_models_memory_bypassed_and_clear_errors(
        model_config, tiny_models, corpus, tmp_path, capsys):
    from pipeline.memory.human import HumanMemory

    src, tgt = tmp_path / "news.en.txt", tmp_path / "news.kk.txt"
    src.write_text("\n".join(r["en"] for r in corpus[:5]) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(r["kk"] for r in corpus[:5]) + "\n", encoding="utf-8")
    # the config's memory holds a (wrong) human translation of the first sentence: never used
    HumanMemory(tmp_path / "tm.sqlite").record("en", "kk", corpus[0]["en"], "Мүлде басқа сөйлем.")
    out = _eval_json(capsys, src, tgt, "--config", model_config, "--include-calibration",
                     "--models", tiny_models / "marian-en-kk")
    kk = [r["kk"] for r in corpus[:5]]
    assert list(out["directions"]) == ["en-kk"] and out["directions"]["en-kk"]["chrf"] == _chrf(kk, kk) == 100.0
    assert out["directions"]["en-kk"]["route"] == "nllb-tiny"
    other = out["systems"]["marian-en-kk"]["directions"]["en-kk"]
    assert other["route"] == "marian-en-kk" and other["chrf"] == 100.0 and other["sentences"] == 5
    tgt.write_text("\n".join(r["kk"] for r in corpus[:4]) + "\n", encoding="utf-8")
    assert main(["eval", str(src), str(tgt), "--config", str(model_config)]) == 2
    assert f"{src} has 5 lines but {tgt} has 4" in capsys.readouterr().err
    bad = tmp_path / "refs.xlsx"
    bad.write_text("x")
    assert main(["eval", str(bad), "--config", str(model_config)]) == 2
    assert "unknown reference format" in capsys.readouterr().err
    broken = tmp_path / "b.jsonl"
    broken.write_text('{"en": "a", "ru": "b"}\nnot json\n', encoding="utf-8")
    assert main(["eval", str(broken), "--config", str(model_config)]) == 2
    assert f"{broken}:2: not JSON" in capsys.readouterr().err


def test_sample_is_seeded_and_per_direction():
    refs = {"en-ru": [refs_mod.Ref(f"s{i}", f"t{i}") for i in range(50)], "en-kk": [refs_mod.Ref("a", "b")]}
    a, b = refs_mod.sample(refs, 10, seed=3), refs_mod.sample(refs, 10, seed=3)
    assert a == b and len(a["en-ru"]) == 10 and a["en-kk"] == refs["en-kk"]
    assert refs_mod.sample(refs, 10, seed=4) != a
    idx = [int(r.source[1:]) for r in a["en-ru"]]
    assert idx == sorted(idx)  # file order kept


def test_comet_is_said_plainly_when_absent(model_config, corpus, tmp_path, capsys, monkeypatch):
    from pipeline.evaluate import metrics

    monkeypatch.setenv("NGO_PIPELINE_COMET", str(tmp_path / "no-comet"))
    note = metrics.comet_status()
    assert note is not None and note.startswith("COMET: not computed (")
    out = _eval_json(capsys, _jsonl(tmp_path / "r.jsonl", corpus[:3]), "--config", model_config,
                     "--include-calibration", "--directions", "en-ru")
    assert out["comet"] == note and "comet" not in out["directions"]["en-ru"]


@pytest.mark.slow
def test_flores_sample_of_100_runs_on_the_tiny_models(model_config, tmp_path, capsys):
    """FLORES-200 (tests/data/qa, CC BY-SA 4.0; see SOURCES.md there): 100 sentences drawn with a
    fixed seed from the pairs not kept for calibration, scored and QA-checked. On the tiny models
    the scores are low (they know 21 sentences); the point is that it runs, quickly."""
    from pathlib import Path

    flores = Path(__file__).parent / "data" / "qa" / "flores_en_ru_kk.tsv"
    cfg = tmp_path / "bounded.toml"  # outputs bounded: an untrained model would write to its limit
    cfg.write_text(model_config.read_text(encoding="utf-8").replace("beams = 1", "beams = 1\nmax_new_tokens = 32"),
                   encoding="utf-8")
    capsys.readouterr()
    assert main(["eval", str(flores), "--config", str(cfg), "--sample", "100", "--seed", "7",
                 "--directions", "en-ru", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    r = out["directions"]["en-ru"]
    assert r["sentences"] == 100 and out["sample"] == {"n": 100, "seed": 7}
    assert 0 <= r["chrf"] < 50 and 0 <= r["flag_rate"] <= 1 and r["tokens_per_s"] > 0
    rows = [line.split("\t") for line in flores.read_text(encoding="utf-8").splitlines()[2:]]
    assert len(rows) == 1004
    assert out["held_apart"] == sum(is_calibration(r[2], r[3]) for r in rows) > 0


def test_a_preset_config_pivots_and_is_written_out_complete(tmp_path):
    from pipeline.evaluate.choose import Choice, write_config
    from pipeline.evaluate.systems import route

    cfg = tmp_path / "q.toml"
    cfg.write_text('[pipeline]\nlanguages = ["en", "ru", "kk"]\nstages = ["segment", "detect", "translate"]\n'
                   '[stages.segment]\nfactory = "segment.sentences"\n[stages.detect]\nfactory = "detect.lingua"\n'
                   '[stages.translate]\nfactory = "translate"\npreset = "quality"\ncache = "tm.sqlite"\n'
                   '[stages.translate.models]\n"en-ru" = "my-en-ru"\n', encoding="utf-8")
    stage = System("q", str(cfg), drop=("ru-kk",)).stage()  # nothing loads
    assert "ru-kk" not in stage.models and stage.models["en-ru"] == "my-en-ru"
    assert route(stage, "ru", "kk") == "pivot opus-mt-ru-en > nllb-200-distilled-1.3B"
    pivot = DirectionResult("ru-kk", "pivot", 5, 50.0, 20.0, 0.0, 1.0, 50)
    out = write_config(str(cfg), {"ru-kk": Choice("ru-kk", "pivot via en", pivot, None, "ru-kk: why")},
                       tmp_path / "out" / "chosen.toml")
    written = tomllib.loads(out.read_text(encoding="utf-8"))["stages"]["translate"]
    assert "preset" not in written and "ru-kk" not in written["models"]
    assert written["models"]["kk-ru"] == "nllb-200-distilled-1.3B"
    assert written["models"]["en-ru"] == str(tmp_path / "my-en-ru")  # relative folders made absolute
    assert written["cache"] == str(tmp_path / "tm.sqlite")
    assert "#   ru-kk: why" in out.read_text(encoding="utf-8")


def test_the_memory_s_human_translations_are_references(tmp_path):
    from pipeline.memory.human import HumanMemory

    mem = HumanMemory(tmp_path / "tm.sqlite")
    mem.record("en", "kk", "The forum was held in Almaty.", "Форум Алматыда өтті.")
    mem.record("ru", "en", "Форум прошёл в Алматы.", "The forum was held in Almaty.", origin="confirmed")
    refs = refs_mod.read_refs([str(tmp_path / "tm.sqlite")])
    assert refs == {"en-kk": [refs_mod.Ref("The forum was held in Almaty.", "Форум Алматыда өтті.", "post-edit1")],
                    "ru-en": [refs_mod.Ref("Форум прошёл в Алматы.", "The forum was held in Almaty.", "confirmed2")]}
    (tmp_path / "bad.sqlite").write_text("not a database")
    with pytest.raises(refs_mod.RefsError, match="bad.sqlite: cannot read as a translation memory"):
        refs_mod.read_refs([str(tmp_path / "bad.sqlite")])


def test_the_qa_flag_rate_uses_the_config_s_checks_and_glossary(tmp_path):
    from pipeline.evaluate.run import flag_rate, qa_for

    (tmp_path / "terms.tsv").write_text("en\tru\nforum\tфорум\n", encoding="utf-8")
    cfg = tmp_path / "c.toml"
    cfg.write_text('[pipeline]\nlanguages = ["en", "ru", "kk"]\nstages = ["segment", "detect", "translate", "check"]\n'
                   '[stages.segment]\nfactory = "segment.sentences"\n[stages.detect]\nfactory = "detect.lingua"\n'
                   '[stages.translate]\nfactory = "translate"\ncache = ""\n[stages.check]\n'
                   'factory = "check.publication"\nglossary = "terms.tsv"\n', encoding="utf-8")
    refs = [refs_mod.Ref("The forum was held.", "Форум прошёл."), refs_mod.Ref("Schools got computers.", "x")]
    outputs = ["Встреча прошла.", "Школы получили компьютеры."]  # the first misses the glossary term
    assert flag_rate(qa_for(str(cfg)), refs, outputs, "en", "ru") == 0.5
    assert flag_rate(qa_for(None), refs, outputs, "en", "ru") == 0.0


def test_comet_is_computed_when_the_package_and_a_local_model_are_present(
        model_config, corpus, tmp_path, capsys, monkeypatch):
    """The wiring only (a stand-in `comet` module): what it is given and where its score goes."""
    import importlib.machinery
    import sys
    import types

    seen = {}

    class Model:
        def predict(self, data, batch_size, gpus, progress_bar):
            seen["data"], seen["gpus"] = data, gpus
            return types.SimpleNamespace(system_score=0.5 + len(data) / 100)

    fake = types.ModuleType("comet")
    fake.__spec__ = importlib.machinery.ModuleSpec("comet", None)
    fake.load_from_checkpoint = lambda path: seen.setdefault("path", path) and Model()
    monkeypatch.setitem(sys.modules, "comet", fake)
    ckpt = tmp_path / "comet" / "checkpoints" / "model.ckpt"
    ckpt.parent.mkdir(parents=True)
    ckpt.write_bytes(b"x")
    monkeypatch.setenv("NGO_PIPELINE_COMET", str(tmp_path / "comet"))
    rows = corpus[:3]
    out = _eval_json(capsys, _jsonl(tmp_path / "r.jsonl", rows), "--config", model_config,
                     "--include-calibration", "--directions", "en-ru")
    assert out["comet"] is None and out["directions"]["en-ru"]["comet"] == 0.53
    assert seen["path"] == str(ckpt) and seen["gpus"] == 0
    assert seen["data"] == [{"src": r["en"], "mt": r["ru"], "ref": r["ru"]} for r in rows]
