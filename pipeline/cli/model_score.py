"""`ngo-pipeline qa --model-score --config CFG`: the model-confidence hook of the qa command.

The config's translate stage gives the models (`TranslateStage.legs`) and the memory whose
calibrations rank the scores (`pipeline/translate/confidence.py`). Each pair gets a `model_score`
record (forward and reverse scores, their ranks among correct translations) and, when the scores
are unusually low, a `low-confidence` warning flag.
"""
from __future__ import annotations

from .common import UsageError


def scorer(config: str | None, threshold: float | None = None):
    """The ConfidenceScorer of the config's translate stage (a usage error without one)."""
    from ..pipeline import Pipeline

    if not config:
        raise UsageError("--model-score needs --config CFG (the pipeline whose models score the translations)")
    pipe = Pipeline.from_config(config)
    stage = next((s for _, s in pipe.stages if hasattr(s, "confidence")), None)
    if stage is None:
        raise UsageError(f"{config}: the pipeline has no translate stage, so no models to score with")
    return stage.confidence(threshold)


def assess(scorer, pairs) -> list:
    """One Assessment per `Pair` (source, translation, src_lang, tgt_lang), in order, plus the
    flag: [(assessment, QAFlag or None)]."""
    from ..qa import QAFlag
    from ..translate.confidence import CODE, Item

    found = scorer.assess([Item(p.source, p.translation, p.src_lang, p.tgt_lang) for p in pairs])
    return [(a, QAFlag(CODE, "warning", a.message) if a.flagged else None) for a in found]


__all__ = ["assess", "scorer"]
