"""`ngo-pipeline qa --model-score --config CFG`: the model-confidence hook of the qa command.

The config's translate stage gives the models (`TranslateStage.legs`) and the memory whose
calibrations rank the scores (`pipeline/translate/confidence.py`). Each pair gets a `model_score`
record (forward and reverse scores, their ranks among correct translations) and, when the scores
are unusually low, a `low-confidence` warning flag.
"""
from __future__ import annotations

from .common import UsageError


def add_options(p) -> None:
    p.add_argument("--model-score", action="store_true",
                   help="also score each pair with the config's translation models (low-confidence flag; "
                        "JSON gains \"model_score\"); needs --config")
    p.add_argument("--config", help="pipeline TOML whose models --model-score uses")


def scorer_of(args):
    """The ConfidenceScorer of --config's translate stage when --model-score is given, else None."""
    if not getattr(args, "model_score", False):
        return None
    from ..pipeline import Pipeline

    if not args.config:
        raise UsageError("--model-score needs --config CFG (the pipeline whose models score the translations)")
    pipe = Pipeline.from_config(args.config)
    stage = next((s for _, s in pipe.stages if "scorer" in s.provides), None)
    if stage is None:
        raise UsageError(f"{args.config}: the pipeline has no translate stage, so no models to score with")
    return stage.confidence()


def pairs_scored(scorer, pairs) -> list[dict]:
    """Per `Pair`: {"model_score": {...}, "flags": [low-confidence Flag]} ({} without a scorer)."""
    if scorer is None:
        return [{} for _ in pairs]
    from ..document import Flag
    from ..translate.confidence import CODE, Item

    found = scorer.assess([Item(p.source, p.translation, p.src_lang, p.tgt_lang) for p in pairs])
    return [{"model_score": a.to_dict(),
             "flags": [Flag(code=CODE, severity="warning", message=a.message)] if a.flagged else []}
            for a in found]


def units_scored(scorer, found) -> list[dict]:
    """Documents: each aligned unit scored, its low-confidence flag added to the unit; per unit
    {"model_score": {...}} for the JSON output ({} without a scorer)."""
    from ..qa import Pair

    out = []
    for unit, scored in zip(found.units, pairs_scored(scorer, [
            Pair(u.source, u.translation, found.src_lang, found.tgt_lang) for u in found.units]), strict=True):
        unit.flags.extend(scored.pop("flags", []))
        out.append(scored)
    return out


__all__ = ["add_options", "pairs_scored", "scorer_of", "units_scored"]
