"""Scores of a system's output against human references: chrF++ and BLEU through sacrebleu (corpus
level, the signature says exactly how), and COMET only when it can really run here.

COMET needs the optional extra (`pip install "ngo-pipeline[comet]"`, i.e. unbabel-comet) and a model
already on disk: `$NGO_PIPELINE_COMET` (a folder holding `checkpoints/model.ckpt`, or the .ckpt
file), else `<model store>/comet`; the COMET model's own encoder (xlm-roberta-large for
wmt22-comet-da) must also be in the local Hugging Face cache. Nothing is downloaded; when the
package or the checkpoint is missing, `comet_status()` says which, and the report says so instead
of a number. (Tested only with a stand-in `comet` module: neither the package nor a COMET model
is on the development machine.)
"""
from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from .. import models


@dataclass(frozen=True)
class Scores:
    chrf: float  # chrF++ (character 6-grams + word 2-grams), 0-100
    bleu: float  # 0-100
    comet: float | None = None


def _metrics():
    from sacrebleu.metrics import BLEU, CHRF

    return CHRF(word_order=2), BLEU()


def signature() -> str:
    chrf, bleu = _metrics()
    for m in (chrf, bleu):
        m.corpus_score(["x"], [["x"]])  # sacrebleu knows the number of references only after a score
    return f"chrF2++|{chrf.get_signature()} BLEU|{bleu.get_signature()}"


def score(hypotheses: list[str], references: list[str]) -> Scores:
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} outputs for {len(references)} references")
    chrf, bleu = _metrics()
    refs = [references]
    return Scores(chrf.corpus_score(hypotheses, refs).score, bleu.corpus_score(hypotheses, refs).score)


def comet_checkpoint() -> Path:
    env = os.environ.get("NGO_PIPELINE_COMET")
    base = Path(env).expanduser() if env else models.store_dir() / "comet"
    return base if base.suffix == ".ckpt" else base / "checkpoints" / "model.ckpt"


def comet_status() -> str | None:
    """None when COMET can run, else a plain sentence saying why not."""
    if importlib.util.find_spec("comet") is None:
        return ("COMET: not computed (the optional unbabel-comet package is not installed: "
                "pip install 'ngo-pipeline[comet]')")
    ckpt = comet_checkpoint()
    if not ckpt.exists():
        return (f"COMET: not computed (no local COMET model at {ckpt}; on a connected machine download one, "
                "e.g. Unbabel/wmt22-comet-da, and set NGO_PIPELINE_COMET to its folder)")
    return None


def comet(sources: list[str], hypotheses: list[str], references: list[str], gpus: int = 0) -> float:
    """System-level COMET (call only when `comet_status()` is None)."""
    from comet import load_from_checkpoint

    model = models.cached(("comet", str(comet_checkpoint())), lambda: load_from_checkpoint(str(comet_checkpoint())))
    data = [{"src": s, "mt": h, "ref": r} for s, h, r in zip(sources, hypotheses, references, strict=True)]
    out = model.predict(data, batch_size=16, gpus=gpus, progress_bar=False)
    return float(out.system_score)
