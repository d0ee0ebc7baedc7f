"""Evaluate systems on references: per direction, translate every source (memory bypassed),
score against the references (chrF++, BLEU, COMET when available), run publication QA over the
outputs, and time the translation.

Speed excludes loading: each translator is warmed up and translates one sentence before the clock
starts. `tokens_per_s` counts the output's tokens as sacrebleu's BLEU tokenizer (13a) splits them,
so it compares models with different subword vocabularies on the same footing (it is not the
model-token rate `scripts/bench.py` prints).
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import models
from ..stage import StageError
from . import metrics
from .refs import Ref, Refs
from .systems import System, route, serves

log = logging.getLogger(__name__)


@dataclass
class DirectionResult:
    direction: str
    route: str
    sentences: int
    chrf: float
    bleu: float
    flag_rate: float | None  # share of outputs with a QA error or warning (None: QA not run)
    seconds: float
    tokens: int
    comet: float | None = None
    hypotheses: list[str] = field(default_factory=list, repr=False)

    @property
    def sentences_per_s(self) -> float:
        return self.sentences / self.seconds if self.seconds > 0 else float("inf")

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.seconds if self.seconds > 0 else float("inf")

    @property
    def seconds_per_sentence(self) -> float:
        return self.seconds / self.sentences if self.sentences else 0.0

    def to_json(self) -> dict:
        out = {"chrf": self.chrf, "bleu": self.bleu, "sentences": self.sentences,
               "flag_rate": self.flag_rate, "tokens_per_s": round(self.tokens_per_s, 2),
               "sentences_per_s": round(self.sentences_per_s, 3), "route": self.route}
        if self.comet is not None:
            out["comet"] = self.comet
        return out


@dataclass
class SystemResult:
    system: System
    directions: dict[str, DirectionResult] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # direction -> why it was not evaluated

    @property
    def label(self) -> str:
        return self.system.label


def _tokens(texts: list[str]) -> int:
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

    tok = Tokenizer13a()
    return sum(len(tok(t).split()) for t in texts)


def qa_for(config: str | None):
    """The QA engine the config's publication checks use (its glossary, do-not-translate terms,
    language checks and skipped checks), or the default engine when it has none."""
    from ..pipeline import Pipeline
    from ..qa import QAEngine
    from ..stages.check import PublicationChecks

    for _, stage in Pipeline.from_config(config).stages:
        if isinstance(stage, PublicationChecks):
            dnt = stage.do_not_translate
            return QAEngine(glossary=stage.context.path(stage.glossary) if stage.glossary else None,
                            dnt=list(dnt) if isinstance(dnt, list) else (stage.context.path(dnt) if dnt else None),
                            detect=stage.detect_language, skip=stage.skip)
    return QAEngine()


def flag_rate(qa, refs: list[Ref], outputs: list[str], src: str, tgt: str) -> float:
    from ..qa import Pair

    flags = qa.check([Pair(r.source, o, src, tgt) for r, o in zip(refs, outputs, strict=True)])
    bad = sum(1 for fs in flags if any(f.severity in ("error", "warning") for f in fs))
    return bad / len(outputs) if outputs else 0.0


def evaluate_direction(stage, direction: str, refs: list[Ref], qa=None, comet: bool = False) -> DirectionResult:
    src, tgt = direction.split("-")
    translator = stage.translator(src, tgt)
    translator.warm_up()
    sources = [r.source for r in refs]
    translator.translate(sources[:1])  # lazy parts (tokenizer, first allocation) off the clock
    start = time.perf_counter()
    outputs = translator.translate(sources)
    seconds = time.perf_counter() - start
    refs_text = [r.target for r in refs]
    s = metrics.score(outputs, refs_text)
    rate = flag_rate(qa, refs, outputs, src, tgt) if qa is not None else None
    c = None
    if comet:
        try:
            c = metrics.comet(sources, outputs, refs_text)
        except Exception as e:  # e.g. its encoder (xlm-roberta-large) is not in the local HF cache
            log.warning("%s: COMET failed, reported without it: %s", direction, e)
    return DirectionResult(direction, route(stage, src, tgt), len(refs), s.chrf, s.bleu, rate, seconds,
                           _tokens(outputs), c, outputs)


def evaluate_system(system: System, refs: Refs, qa=None, comet: bool = False,
                    directions: list[str] | None = None,
                    progress: Callable[[str], None] = lambda msg: None) -> SystemResult:
    """Every direction of `refs` the system serves (or `directions`); a direction whose model is
    missing is reported in `skipped` and the others go on."""
    stage = system.stage()
    result = SystemResult(system)
    for d in sorted(directions if directions is not None else refs):
        if d not in refs:
            continue
        if not serves(stage, d):
            result.skipped[d] = "no model for this direction"
            continue
        progress(f"{system.label}: {d} ({len(refs[d])} sentences, {route(stage, *d.split('-'))})")
        try:
            result.directions[d] = evaluate_direction(stage, d, refs[d], qa, comet)
        except (models.ModelNotFound, StageError) as e:
            result.skipped[d] = str(e)
            log.info("%s %s: %s", system.label, d, e)  # reported in the table / JSON
    return result
