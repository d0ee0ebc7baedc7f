"""`translate`: translates every segment into each target language, from the segment's own language."""
from __future__ import annotations

import logging
import os
from collections import defaultdict
from pathlib import Path

from .. import models
from ..document import Document
from ..memory import TranslationMemory
from ..stage import Stage, StageError
from ..text.langid import letters
from ..translate.base import CachedTranslator, PivotTranslator, Translator
from ..translate.ct2 import CT2Translator
from ..translate.hf import HFTranslator

log = logging.getLogger(__name__)


DEFAULT_MODELS = {
    "en-ru": "opus-mt-en-ru", "ru-en": "opus-mt-ru-en",
    "en-kk": "nllb-200-distilled-600M", "kk-en": "nllb-200-distilled-600M",
    "ru-kk": "nllb-200-distilled-600M", "kk-ru": "nllb-200-distilled-600M",
}
DEFAULT_CACHE = os.path.join("~", ".cache", "ngo-pipeline", "translation-memory.sqlite")


class TranslateStage(Stage):
    """Translates every segment into each target language, from the segment's own language.

    `models` maps a direction ("kk-ru") to a catalog name or a model folder. A direction without a
    model pivots through `pivot`. `engine`: "ct2" (CTranslate2), "hf" (transformers) or "auto"
    (CTranslate2 where a converted model is present, else transformers). `cache`: path of the
    translation memory ("" disables it; relative to the config file). `beams`: 1 is greedy.
    `max_batch_tokens`: padded tokens per batch. `max_input_tokens`: cap below the model's own
    limit (0: the model's). `min_new_tokens` / `max_new_tokens`: output length bounds (0: automatic).
    `compute_type`: CTranslate2 quantisation (default: the catalog entry's). `threads`:
    CTranslate2 intra-op threads (0: all cores).
    """

    engine_default = "auto"

    def __init__(self, models: dict[str, str] | None = None, languages: list[str] | None = None,
                 engine: str = "", pivot: str = "en", beams: int = 4, max_batch_tokens: int = 4096,
                 max_input_tokens: int = 0, device: str = "cpu", compute_type: str = "",
                 threads: int = 0, min_new_tokens: int = 0, max_new_tokens: int = 0,
                 cache: str = DEFAULT_CACHE, config_dir: str | None = None):
        self.models = dict(DEFAULT_MODELS if models is None else models)
        self.languages = list(languages or ["en", "ru", "kk"])
        self.engine = engine or self.engine_default
        self.pivot, self.beams = pivot, beams
        self.max_batch_tokens, self.max_input_tokens = max_batch_tokens, max_input_tokens
        self.device, self.compute_type, self.threads = device, compute_type, threads
        self.min_new_tokens, self.max_new_tokens = min_new_tokens, max_new_tokens
        self.cache = cache  # relative paths are relative to the config file
        self.config_dir = Path(config_dir) if config_dir else None
        self.translators: dict[tuple[str, str], Translator] = {}
        self.missing: list[str] = []
        self.memory: TranslationMemory | None = None

    @classmethod
    def check_params(cls, params: dict) -> list[tuple[str, str]]:
        from ..config import SUPPORTED_LANGUAGES

        problems = []
        if params.get("engine", "auto") not in ("auto", "hf", "ct2", ""):
            problems.append(("engine", f"must be auto, hf or ct2, not {params['engine']!r}"))
        for direction in params.get("models") or {}:
            src, _, tgt = direction.partition("-")
            if src not in SUPPORTED_LANGUAGES or tgt not in SUPPORTED_LANGUAGES or src == tgt:
                problems.append(("models", f"{direction!r} is not a direction like \"kk-ru\" between "
                                           f"{', '.join(SUPPORTED_LANGUAGES)}"))
        if params.get("beams", 1) < 1:
            problems.append(("beams", "must be at least 1"))
        return problems

    def _direct(self, src: str, tgt: str) -> Translator | None:
        ref_name = self.models.get(f"{src}-{tgt}")
        if not ref_name:
            return None
        ref = models.resolve(ref_name, self.config_dir)
        engine = self.engine
        compute_type = self.compute_type or (ref.entry.ct2_compute_type if ref.entry else "int8")
        if engine == "auto":
            engine = "ct2" if models.has_ct2(ref, compute_type) else "hf"
        common = dict(beams=self.beams, max_batch_tokens=self.max_batch_tokens,
                      max_input_tokens=self.max_input_tokens, device=self.device,
                      min_new_tokens=self.min_new_tokens, max_new_tokens=self.max_new_tokens)
        if engine == "ct2":
            if not models.has_ct2(ref, compute_type):
                raise models.ModelNotFound(
                    f"{ref.name}: no CTranslate2 conversion ({compute_type}) at {ref.ct2_dir(compute_type)}; "
                    f"run: ngo-pipeline models convert {ref_name} --quantization {compute_type}")
            t: Translator = CT2Translator(ref, src, tgt, compute_type=compute_type, threads=self.threads, **common)
        elif engine == "hf":
            t = HFTranslator(ref, src, tgt, **common)
        else:
            raise ValueError(f"unknown engine {engine!r}; use auto, hf or ct2")
        return t

    def _load(self) -> None:
        if self.cache:
            path = Path(self.cache).expanduser()
            if not path.is_absolute() and self.config_dir is not None:
                path = self.config_dir / path
            self.memory = TranslationMemory(path)
        for src in self.languages:
            for tgt in self.languages:
                if src == tgt:
                    continue
                t = self._direct(src, tgt)
                if t is None and self.pivot not in (src, tgt):
                    first, second = self._direct(src, self.pivot), self._direct(self.pivot, tgt)
                    if first and second:
                        t = PivotTranslator(first, second)
                if t is None:
                    self.missing.append(f"{src}-{tgt}")
                    continue
                self.translators[(src, tgt)] = CachedTranslator(t, self.memory) if self.memory else t
        if self.missing:
            log.warning("no model for %s (and no pivot through %s): documents that need these "
                        "directions will fail", ", ".join(self.missing), self.pivot)
        log.info("translators: %s", {f"{s}-{t}": tr.key for (s, t), tr in self.translators.items()})

    def translate_texts(self, texts: list[str], src: str, tgt: str) -> list[str]:
        self.warm_up()
        if src == tgt:
            return list(texts)
        if (src, tgt) not in self.translators:
            raise StageError(f"no model for {src}-{tgt} and no pivot through {self.pivot}; "
                             f"configured directions: {', '.join(self.models)}")
        return self.translators[(src, tgt)].translate(texts)

    def process_batch(self, docs: list[Document]) -> list[Document]:
        self.warm_up()
        jobs: dict[tuple[str, str], list] = defaultdict(list)  # direction -> [(segment, text)]
        for doc in docs:
            if not doc.targets:
                doc.targets = [lang for lang in self.languages if lang != doc.lang]
            for seg in doc.segments:
                src = seg.lang if seg.lang in self.languages else (
                    doc.lang if doc.lang in self.languages and seg.lang == "unknown" else None)
                verbatim = len(letters(seg.text)) < 2  # numbers, a URL, an e-mail, a phone number
                for tgt in doc.targets:
                    if verbatim:
                        seg.translations[tgt] = seg.text  # nothing to translate; a model could garble it
                    elif src is None:
                        seg.translations[tgt] = seg.text  # kept as is; the check stage flags it
                        if "untranslated" not in seg.flags:
                            seg.flags.append("untranslated")
                    elif src == tgt:
                        seg.translations[tgt] = seg.text
                    else:
                        jobs[(src, tgt)].append(seg)
        for (src, tgt), segs in jobs.items():
            texts = [s.text for s in segs]
            for seg, out in zip(segs, self.translate_texts(texts, src, tgt), strict=True):
                seg.translations[tgt] = out
        return docs


class HFTranslateStage(TranslateStage):
    """`translate.hf`: the translate stage on transformers."""

    engine_default = "hf"


class CT2TranslateStage(TranslateStage):
    """`translate.ct2`: the translate stage on CTranslate2 (converted models required)."""

    engine_default = "ct2"
