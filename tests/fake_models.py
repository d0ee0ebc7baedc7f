"""A model-free translation engine for the batch-runner tests (no tests here).

`test.lookup` answers from tests/data/parallel.tsv, the tiny models' training corpus, which they
reproduce exactly: on corpus sentences it gives the same translations as the tiny models, so a
runner test's expected outputs stay the corpus's own references, while nothing loads (no torch,
no weights) and a worker process starts in about a second instead of loading six models. A
sentence outside the corpus gets a visible non-translation ("[ru] text"), as a model would give
something, never the source passed off as a translation.

`test.translate-lookup` is the real translate stage (memory, routing, pivots, kk-Latn, statuses)
with this engine. It is defined here, in an importable module, because the runner's worker
process imports the modules of the pipeline's stage classes before rebuilding the pipeline: that
import registers the engine there too.
"""
from __future__ import annotations

import json
import os
import time
from functools import cache
from pathlib import Path

from pipeline import models, register
from pipeline.registry import engines
from pipeline.stages.translate import TranslateStage
from pipeline.translate.engine import Engine

DATA = Path(__file__).with_name("data")
CODES = {code: lang for lang, code in models.NLLB_CODES.items()}
LANGS = ("en", "ru", "kk")
#: model folder name -> (config.json model_type, tokenizer class): what models.resolve reads
FOLDERS = {"marian-en-ru": ("marian", "MarianTokenizer"), "marian-ru-en": ("marian", "MarianTokenizer"),
           "nllb-tiny": ("m2m_100", "NllbTokenizer")}


@cache
def table() -> dict[tuple[str, str], dict[str, str]]:
    rows = [line.split("\t") for line in (DATA / "parallel.tsv").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return {(s, t): {r[LANGS.index(s)]: r[LANGS.index(t)] for r in rows}
            for s in LANGS for t in LANGS if s != t}


@engines.register("test.lookup")
class LookupEngine(Engine):
    """One word = one token; the corpus's translation, or "[tgt] text" for anything else. Scores:
    none from generation (as a plugin may), forced decoding from `_score`."""

    name = "test.lookup"

    def _load(self) -> None:
        table()

    def n_tokens(self, text: str, src: str | None = None) -> int:
        return len(text.split()) + 1

    def input_limit(self) -> int:
        return 512

    def output_limit(self) -> int:
        return 1024

    def _direction(self, src_code: str | None, tgt_code: str | None) -> tuple[str, str]:
        # the NLLB-like folder is given language codes; a Marian-like one is named for its direction
        if src_code:
            return CODES[src_code], CODES[tgt_code]
        src, tgt = self.ref.path.name.split("-")[1:3]
        return src, tgt

    def _score(self, sources: list[str], targets: list[str], src_code: str | None,
               tgt_code: str | None) -> list[tuple[float, int]]:
        """Forced decoding: the corpus's own translation is certain (log-probability 0), anything
        else unlikely (-5 per token)."""
        known = table()[self._direction(src_code, tgt_code)]
        return [(0.0 if known.get(s) == t else -5.0 * self.n_tokens(t), self.n_tokens(t))
                for s, t in zip(sources, targets, strict=True)]

    def _generate(self, texts: list[str], max_new: int, src_code: str | None,
                  tgt_code: str | None) -> list[tuple[str, bool]]:
        src, tgt = self._direction(src_code, tgt_code)
        # NGO_TEST_LOOKUP_DELAY: seconds per sentence, for tests that need documents to take time
        # (kills that land while documents are processed); inherited by worker processes
        time.sleep(float(os.environ.get("NGO_TEST_LOOKUP_DELAY") or 0) * len(texts))
        known = table()[(src, tgt)]
        return [(known.get(t, f"[{tgt}] {t}"), True) for t in texts]  # no scores, as a plugin may give


@register("test.translate-lookup")
class LookupTranslateStage(TranslateStage):
    def __init__(self, **params):
        params["engine"] = "test.lookup"
        super().__init__(**params)


def make_folders(root: Path) -> Path:
    """Model folders that `models.resolve` accepts (a config.json, no weights), named as the tiny
    models' so that a config's model names and the messages about them read the same."""
    for name, (model_type, tokenizer) in FOLDERS.items():
        d = root / name
        d.mkdir(parents=True, exist_ok=True)
        (d / "config.json").write_text(json.dumps({"model_type": model_type}))
        (d / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": tokenizer}))
    return root


def config_text(models_dir: Path, memory: Path) -> str:
    """The tiny-model config's shape (same stages and names, so tests can add stages to it) with
    the lookup engine: Marian-like folders for en<->ru, one NLLB-like folder for Kazakh."""
    m = {d: str(models_dir / ("marian-" + d if d in ("en-ru", "ru-en") else "nllb-tiny"))
         for d in ("en-ru", "ru-en", "en-kk", "kk-en", "ru-kk", "kk-ru")}
    models = "\n".join(f'"{d}" = {json.dumps(p)}' for d, p in m.items())
    return f"""\
[pipeline]
languages = ["en", "ru", "kk"]
stages = ["segment", "detect", "translate", "summarize", "check"]
batch_size = 8

[stages.segment]
factory = "segment.sentences"

[stages.detect]
factory = "detect.lingua"

[stages.translate]
factory = "test.translate-lookup"
beams = 1
cache = {json.dumps(str(memory))}

[stages.translate.models]
{models}

[stages.summarize]
factory = "summarize.extractive"
sentences = 2

[stages.check]
factory = "check.publication"
"""


def cli(*args: str) -> list[str]:
    """`ngo-pipeline ARGS` as a command line (what `python -m pipeline.cli` runs), with the test
    engine and the test stages registered first."""
    import sys

    return [sys.executable, "-c", "import sys, fake_models, test_runner_stages; from pipeline.cli import main; "
            "sys.exit(main(sys.argv[1:]))", *args]
