"""Model-free stand-ins for the batch-runner tests (no tests here), in one importable module: the
runner's worker process imports the modules of the pipeline's stage classes before rebuilding the
pipeline, and that import registers them there too.

- `test.lookup`, an engine that answers from tests/data/parallel.tsv, the tiny models' training
  corpus, which they reproduce exactly: on corpus sentences it gives the same translations as the
  tiny models, so a runner test's expected outputs stay the corpus's own references, while nothing
  loads (no torch, no weights) and a worker process starts in about a second instead of loading
  six models. A sentence outside the corpus gets a visible non-translation ("[ru] text"), as a
  model would give something, never the source passed off as a translation.
  `test.translate-lookup` is the real translate stage (memory, routing, pivots, kk-Latn,
  statuses) with this engine; `config_text` is the tiny models' config on it (`fake_config` in
  conftest.py).
- `test.fake-mt`, one stage for everything: one segment per paragraph; a paragraph's language is
  given by a marker word (`LANG=ru`, `LANG=kk`, `LANG=other`; default en), the document's is its
  first paragraph's; each segment is "translated" as `[tgt] text`, or kept untranslated when its
  language is `other`. Markers: `QAERR` adds a QA error flag, `QAWARN` a warning, `UNSURE` a
  low-confidence flag, `PARTREAD` a reader's read-partial note, `DELMEM` deletes the memory file,
  `SLEEP=x` sleeps x seconds (CPU idle), `SPIN=x` burns x seconds of CPU. `fakemt_config` writes
  its config.
- `cli(...)`: the CLI as a command line with these registered; `report(out)`: report.jsonl by path.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
import time
from functools import cache
from pathlib import Path

from pipeline import Stage, models, register
from pipeline.document import Segment, Status
from pipeline.registry import engines
from pipeline.stages.translate import TranslateStage
from pipeline.translate.engine import Engine

ROOT = Path(__file__).resolve().parents[1]

# -- test.lookup and test.translate-lookup --------------------------------------------------------
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
    """The tiny models' config (scripts/make_test_models.py: the same stages and names, so tests
    can add stages to it) with the lookup engine: Marian-like folders for en<->ru, one NLLB-like
    folder for Kazakh, under `models_dir` (`make_folders`)."""
    spec = importlib.util.spec_from_file_location("make_test_models", ROOT / "scripts" / "make_test_models.py")
    tiny = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tiny)
    return tiny.config_text(models_dir, memory, translate="test.translate-lookup")


def cli(*args: str) -> list[str]:
    """`ngo-pipeline ARGS` as a command line (what `python -m pipeline.cli` runs), with the test
    engine and the test stages registered first."""
    return [sys.executable, "-c", "import sys, fakes, test_runner_stages; from pipeline.cli import main; "
            "sys.exit(main(sys.argv[1:]))", *args]


# -- test.fake-mt ---------------------------------------------------------------------------------
_LANG = re.compile(r"LANG=(\w+)")
_SLEEP = re.compile(r"SLEEP=([\d.]+)")
_SPIN = re.compile(r"SPIN=([\d.]+)")


@register("test.fake-mt")
class FakeMT(Stage):
    assigns = frozenset({"doc.segments", "segment.lang", "doc.lang", "segment.translations"})
    provides = frozenset({"memory"})

    def __init__(self, cache: str = "", model: str = ""):
        self.cache, self.model = cache, model  # `model` is only recorded (the run record), never loaded

    def model_refs(self):
        return {"model": self.model} if self.model else {}

    def memory_path(self):
        return self.context.path(self.cache) if self.cache else None

    def process_batch(self, docs):
        for doc in docs:
            if m := _SLEEP.search(doc.text):
                time.sleep(float(m.group(1)))
            if m := _SPIN.search(doc.text):
                end = time.process_time() + float(m.group(1))
                while time.process_time() < end:
                    pass
            for p in doc.paragraphs:
                m = _LANG.search(p.text)
                p.lang = m.group(1) if m else "en"
                p.segments = [Segment(id=f"p{p.index}s0", text=p.text, lang=p.lang, score=0.9)]
            doc.lang = doc.paragraphs[0].lang if doc.paragraphs else "unknown"
            for seg in doc.segments:
                for tgt in doc.targets:
                    if seg.lang == "other":
                        seg.set_translation(tgt, seg.text, Status.UNTRANSLATED)
                    else:
                        seg.set_translation(tgt, f"[{tgt}] {seg.text}", Status.TRANSLATED)
                if "QAERR" in seg.text:
                    doc.flag("numbers-mismatch", "a number differs", severity="error", segment=seg.id,
                             lang=(doc.targets or [None])[0])
                if "QAWARN" in seg.text:
                    doc.flag("length-ratio", "long", severity="warning", segment=seg.id)
                if "UNSURE" in seg.text:
                    doc.flag("lang-uncertain", "language detected with low confidence")
            if "DELMEM" in doc.text and self.cache:
                self.memory_path().unlink(missing_ok=True)
            if "PARTREAD" in doc.text:
                doc.flag("read-partial", "page 2 has no text layer")
        return docs


def fakemt_config(tmp: Path, name: str = "fake.toml", cache: str = "", extra: str = "", **pipeline) -> Path:
    """A config of the one fake stage (languages en, ru, kk); `pipeline`: more [pipeline] keys."""
    keys = "".join(f"{k} = {json.dumps(v)}\n" for k, v in pipeline.items())
    path = tmp / name
    path.write_text('[pipeline]\nlanguages = ["en", "ru", "kk"]\nstages = ["mt"]\n' + keys
                    + f'\n[stages.mt]\nfactory = "test.fake-mt"\ncache = {json.dumps(cache)}\n' + extra,
                    encoding="utf-8")
    return path


def report(out: Path) -> dict[str, dict]:
    return {r["path"]: r for r in map(json.loads, (out / "report.jsonl").read_text(encoding="utf-8").splitlines())}
