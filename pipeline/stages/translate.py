"""`translate`: every segment into each target language, from the segment's own language.

`models` maps a direction ("kk-ru") to a catalog name or a model folder (relative to the config);
`preset` ("fast", "quality": the catalog's [presets]) fills in every direction `models` leaves out;
a direction without a model pivots through `pivot`. `engine`: a name in `registry.engines` ("ct2",
"hf") or "auto" (CTranslate2 where a converted model is present, else transformers); the factories
`translate.hf` / `translate.ct2` fix it. `cache`: the translation memory ("" disables it). The
decoding settings (beams, max_batch_tokens, max_input_tokens, min/max_new_tokens, device,
compute_type, threads) form one `Decoding` value, part of every memory key.

Nothing loads before a direction is first needed, and then only that direction's model.
"""
from __future__ import annotations

import logging
import os
from collections import defaultdict

from .. import models
from ..document import Document, Status
from ..memory import TranslationMemory, open_memory
from ..languages import SUPPORTED, VARIANTS
from ..stage import Stage, StageError
from ..text.langid import letters
from ..translate import Decoding, Seq2SeqTranslator, Translator, routes
from ..translate.engine import resolve_engine

log = logging.getLogger(__name__)

DEFAULT_MODELS = {
    "en-ru": "opus-mt-en-ru", "ru-en": "opus-mt-ru-en",
    "en-kk": "nllb-200-distilled-600M", "kk-en": "nllb-200-distilled-600M",
    "ru-kk": "nllb-200-distilled-600M", "kk-ru": "nllb-200-distilled-600M",
}
DEFAULT_CACHE = os.path.join("~", ".cache", "ngo-pipeline", "translation-memory.sqlite")


class TranslateStage(Stage):
    requires = frozenset({"doc.segments", "segment.lang"})
    assigns = frozenset({"segment.translations", "segment.model_score"})
    provides = frozenset({"translator", "memory", "scorer"})

    def __init__(self, models: dict[str, str] | None = None, engine: str = "auto", pivot: str = "en",
                 beams: int = 4, max_batch_tokens: int = 4096, max_input_tokens: int = 0,
                 device: str = "cpu", compute_type: str = "", threads: int = 0,
                 min_new_tokens: int = 0, max_new_tokens: int = 0, cache: str = DEFAULT_CACHE,
                 kk_latin_alphabet: str = "2018", preset: str = ""):
        if preset:  # a catalog preset ("fast", "quality"); `models` overrides single directions
            from ..models import load_presets

            self.models = {**load_presets().get(preset, {}), **(models or {})}
        else:
            self.models = dict(DEFAULT_MODELS if models is None else models)
        self.engine, self.pivot, self.cache = engine or "auto", pivot, cache
        self.decoding = Decoding(beams, max_batch_tokens, max_input_tokens, min_new_tokens,
                                 max_new_tokens, device, compute_type, threads)
        self.kk_latin_alphabet = kk_latin_alphabet  # for the target "kk-Latn" (Kazakh in Latin script)
        self.translators: dict[tuple[str, str], Translator] = {}
        self._legs: dict[tuple[str, str], Seq2SeqTranslator | None] = {}
        self.memory: TranslationMemory | None = None
        #: set by an executor whose workers must not write the memory file (Ray actors): new
        #: entries are kept and handed to the one writer (`memory.drain()`)
        self.read_only_memory = False

    @classmethod
    def check_params(cls, params: dict) -> list[tuple[str, str]]:
        from ..registry import engines

        problems = []
        if params.get("engine", "auto") not in ("auto", "", *engines.available()):
            problems.append(("engine", f"must be auto or one of {', '.join(engines.available())}, "
                                       f"not {params['engine']!r}"))
        for direction in params.get("models") or {}:
            src, _, tgt = direction.partition("-")
            if src not in SUPPORTED or tgt not in SUPPORTED or src == tgt:
                problems.append(("models", f"{direction!r} is not a direction like \"kk-ru\" between "
                                           f"{', '.join(SUPPORTED)}"))
        from ..text.kazakh_latin import alphabets

        if params.get("kk_latin_alphabet", "2018") not in alphabets():
            problems.append(("kk_latin_alphabet", f"must be one of {', '.join(alphabets())}"))
        if params.get("preset"):
            presets = models.load_presets()
            if params["preset"] not in presets:
                problems.append(("preset", f"must be one of {', '.join(presets)}, not {params['preset']!r}"))
        if params.get("pivot", "en") not in SUPPORTED:
            problems.append(("pivot", f"must be one of {', '.join(SUPPORTED)}"))
        keys = ("beams", "max_batch_tokens", "max_input_tokens", "min_new_tokens", "max_new_tokens",
                "device", "compute_type", "threads")
        try:
            decoding = Decoding(**{k: params[k] for k in keys if k in params})
        except TypeError:
            return problems
        return problems + decoding.problems()

    # -- building translators, one direction at a time -----------------------------------------
    def memory_path(self):
        """The translation-memory file this stage uses (relative paths: from the config's folder),
        or None when the memory is disabled (`cache = ""`)."""
        return self.context.path(self.cache) if self.cache else None

    def hold_memory_writes(self) -> None:
        self.read_only_memory = True

    def drain_memory(self):
        if self.memory is None or not self.memory.read_only:
            return None
        return self.memory.path, [list(r) for r in self.memory.drain()]

    def _load(self) -> None:
        if self.cache:
            self.memory = open_memory(self.memory_path(), read_only=self.read_only_memory)

    def _engine_translator(self, src: str, tgt: str) -> Translator:
        ref = models.resolve(self.models[f"{src}-{tgt}"], self.context.config_dir)
        engine = resolve_engine(self.engine, ref, self.decoding)(ref, self.decoding)
        return Seq2SeqTranslator(engine, src, tgt)

    def route(self, src: str, tgt: str) -> routes.Route:
        """How `src` becomes `tgt` here: the model legs (direct or through the pivot), the variant."""
        return routes.plan(src, tgt, self.models, self.pivot)

    def translator(self, src: str, tgt: str) -> Translator:
        """The translator for one direction, built on first use (raises ModelNotFound or StageError)."""
        if (src, tgt) not in self.translators:
            self.warm_up()
            route = self.route(src, tgt)
            if route.unconfigured(self.models):
                raise StageError(f"no model for {src}-{route.base} and no pivot through {self.pivot}; "
                                 f"configured directions: {', '.join(self.models)}")
            base = self.translator(src, route.base) if route.variant else None
            self.translators[(src, tgt)] = routes.build(route, self._engine_translator, self.memory, base,
                                                        {"kk_latin_alphabet": self.kk_latin_alphabet})
        return self.translators[(src, tgt)]

    # -- model confidence (hooks for check.publication and `qa --model-score`) ---------------------
    def legs(self, src: str, tgt: str) -> list[Seq2SeqTranslator] | None:
        """The model translators (no memory) of the route src->tgt: [direct] or the two pivot
        legs; None when a model for it is not configured or not installed. Loads nothing."""
        if src == tgt or src not in SUPPORTED or tgt not in SUPPORTED:
            return None
        route = self.route(src, tgt)
        if not route.legs or route.unconfigured(self.models):
            return None
        out = []
        for a, b in route.legs:
            if (a, b) not in self._legs:
                try:
                    self._legs[(a, b)] = self._engine_translator(a, b)
                except models.ModelNotFound:
                    self._legs[(a, b)] = None
            if self._legs[(a, b)] is None:
                return None
            out.append(self._legs[(a, b)])
        return out

    def confidence(self, threshold: float | None = None, only_calibrated: bool = False):
        """A `ConfidenceScorer` on this stage's models and its memory's calibrations."""
        from ..translate.confidence import DEFAULT_THRESHOLD, ConfidenceScorer

        return ConfidenceScorer(self.legs, self.memory_path(),
                                DEFAULT_THRESHOLD if threshold is None else threshold, only_calibrated)

    def model_refs(self) -> dict[str, str]:
        return dict(self.models)

    def missing_models(self, directions: list[tuple[str, str]]) -> list[models.ModelNotFound]:
        """What stops these directions, all at once (models absent from the store, unconverted):
        the models of their routes, the same routes `translator` builds."""
        problems: dict[str, models.ModelNotFound] = {}
        seen: set[str] = set()
        for src, tgt in directions:
            for name in self.route(src, tgt).models(self.models):
                if name in seen:
                    continue
                seen.add(name)
                try:
                    ref = models.resolve(name, self.context.config_dir)
                    resolve_engine(self.engine, ref, self.decoding)
                except models.ModelNotFound as e:
                    problems[name] = e
        return list(problems.values())

    def translate_texts(self, texts: list[str], src: str, tgt: str) -> list[str]:
        return self.translator(src, tgt).translate(texts)

    # -- the stage ------------------------------------------------------------------------------
    def process_batch(self, docs: list[Document]) -> list[Document]:
        self.warm_up()
        languages = self.languages
        jobs: dict[tuple[str, str], list] = defaultdict(list)  # direction -> [segment]
        for doc in docs:
            for seg in doc.segments:
                src = seg.lang if seg.lang in languages else (
                    doc.lang if doc.lang in languages and seg.lang == "unknown" else None)
                # numbers, a URL, an e-mail, a phone number; text that is not language (pipeline.text.notlang)
                verbatim = len(letters(seg.text)) < 2 or bool(getattr(seg, "not_language", None))
                for tgt in doc.targets:
                    if verbatim:
                        seg.set_translation(tgt, seg.text, Status.COPIED)  # a model could garble it
                    elif src is None:
                        seg.set_translation(tgt, seg.text, Status.UNTRANSLATED)  # the check stage flags it
                    else:
                        jobs[(src, tgt)].append(seg)
        # variants last: kk-Latn writes the kk translation already made, where there is one
        for (src, tgt), segs in sorted(jobs.items(), key=lambda j: j[0][1] in VARIANTS):
            translator = self.translator(src, tgt)
            todo = segs
            if isinstance(translator, routes.VariantTranslator):
                base = translator.inner.tgt
                for seg in (s for s in segs if base in s.translations):
                    seg.set_translation(tgt, translator.write(seg.translations[base]), seg.status[base],
                                        seg.model_score.get(base))
                todo = [s for s in segs if base not in s.translations]
            if todo:
                for seg, (out, status, score) in zip(todo, translator.translate_scored([s.text for s in todo]),
                                                     strict=True):
                    seg.set_translation(tgt, out, status, score)
        return docs
