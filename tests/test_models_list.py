"""`ngo-pipeline models list`: size, licence, speed measured here (or "not measured"), published
FLORES-200 chrF++ with its source; the `quality` preset beside `fast`, pinned like the others."""
from __future__ import annotations

import json
import re
import tomllib

from pipeline import models
from pipeline.cli import main
from pipeline.evaluate import speed
from pipeline.stages.translate import DEFAULT_MODELS, TranslateStage


def _block(out: str, name: str) -> str:
    return out.split(f"\n{name} ", 1)[1].split("\n\n", 1)[0]


def test_list_shows_size_licence_published_quality_and_not_measured(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NGO_PIPELINE_BENCH", str(tmp_path / "none.json"))
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert "speed: not measured on this machine" in out
    published, sources = speed.load_published()
    for name, entry in models.load_catalog().items():
        block = _block(out, name)
        assert f"licence {entry.license}" in block
        if entry.task == "translation":
            assert "speed here: not measured" in block
    block = _block(out, "nllb-200-distilled-600M")
    assert "600M params, 2.46 GB" in block
    figures = published["nllb-200-distilled-600M"]["chrf_pp"]
    assert f"FLORES-200 devtest chrF++ (S1): en-kk {figures['en-kk']:.1f}" in block
    assert figures == {"en-kk": 44.6, "kk-en": 54.2, "ru-kk": 42.4, "kk-ru": 43.3, "en-ru": 50.5, "ru-en": 57.4}
    assert "S1: Helsinki-NLP External-MT-leaderboard" in out and set(sources) >= {"S1", "S2", "S3"}


def test_list_shows_the_speed_the_benchmark_saved(tmp_path, monkeypatch, capsys):
    bench = tmp_path / "bench.json"
    bench.write_text(json.dumps({"measured_at": "2026-12-02 16:00 UTC", "machine": speed.machine(), "models": {
        "nllb-200-distilled-600M": {"tok_s": 231.4, "setting": "CTranslate2 int8, batch 32", "basis": "random"}}}))
    monkeypatch.setenv("NGO_PIPELINE_BENCH", str(bench))
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert "measured 2026-12-02 16:00 UTC on this machine" in out
    assert "speed here: 231 target tok/s (CTranslate2 int8, batch 32; random)" in _block(out, "nllb-200-distilled-600M")
    assert "speed here: not measured" in _block(out, "nllb-200-distilled-1.3B")
    bench.write_text("{broken")
    assert main(["models", "list"]) == 0
    assert "cannot be read" in capsys.readouterr().out


def test_presets_fast_is_the_default_and_quality_uses_13B_for_kazakh_all_pinned():
    presets = models.load_presets()
    catalog = models.load_catalog()
    assert presets["fast"] == DEFAULT_MODELS
    default_cfg = tomllib.loads((models.PROJECT_ROOT / "pipeline" / "default.toml").read_text(encoding="utf-8"))
    assert default_cfg["stages"]["translate"]["models"] == presets["fast"]
    q = presets["quality"]
    assert {d: m for d, m in q.items() if "kk" in d} == dict.fromkeys(["en-kk", "kk-en", "ru-kk", "kk-ru"],
                                                                      "nllb-200-distilled-1.3B")
    for name in {*presets["fast"].values(), *q.values()}:
        entry = catalog[name]
        assert re.fullmatch(r"[0-9a-f]{40}", entry.revision), f"{name} is not pinned to a commit"
        assert entry.license and entry.license != "unknown"
        assert all(d in entry.languages for d, m in (*presets["fast"].items(), *q.items()) if m == name)


def test_preset_in_a_config_and_models_override_single_directions():
    stage = TranslateStage(preset="quality", models={"en-kk": "some/folder"})
    assert stage.models["kk-ru"] == "nllb-200-distilled-1.3B" and stage.models["en-kk"] == "some/folder"
    assert TranslateStage.check_params({"preset": "best"}) == [("preset", "must be one of fast, quality, not 'best'")]
    assert TranslateStage.check_params({"preset": "quality"}) == []


def test_bench_save_writes_what_models_list_reads(tmp_path, monkeypatch, capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench", models.PROJECT_ROOT / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    summary = {"device": "cpu", "out_tokens": 30, "beam": 1, "repeats": 3, "min_seconds": 20.0,
               "marian_tok_s": {"transformers-float32-b32": 385.0, "ctranslate2-int8-b32": 1513.0},
               "nllb_tok_s": {"ctranslate2-int8-b32": 254.0}}
    path = bench.save_speeds(summary, str(tmp_path / "bench.json"))
    data = json.loads(path.read_text())
    assert set(data["models"]) == {"opus-mt-en-ru", "opus-mt-ru-en", "nllb-200-distilled-600M"}
    monkeypatch.setenv("NGO_PIPELINE_BENCH", str(path))
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert "speed here: 1,513 target tok/s (CTranslate2 int8, batch 32, beam 1" in _block(out, "opus-mt-ru-en")
    assert "speed here: 254 target tok/s" in _block(out, "nllb-200-distilled-600M")
    assert "random weights with the architecture of facebook/nllb-200-distilled-600M" in out
