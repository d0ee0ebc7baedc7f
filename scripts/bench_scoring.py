#!/usr/bin/env python3
"""Cost of model-confidence scoring (issue 22) against translating, with the pipeline's own engines.

    python scripts/bench.py --scoring [--work DIR] [--repeats 3]
    python scripts/bench_scoring.py [--work DIR] [--models marian,nllb] [--sentences 48] [--repeats 3]

On random-weight models with the exact architectures of opus-mt-en-ru and nllb-200-distilled-600M
(scripts/bench.py builds them; cost does not depend on the weights' values), per engine
(transformers float32, CTranslate2 int8) and model:
- translate: `Seq2SeqTranslator.translate_scored` over the sentences (greedy, scores kept: the
  CTranslate2 `return_scores` / transformers `output_scores` path), seconds;
- forced: `Seq2SeqTranslator.score` of the same outputs given their sources (one forward pass:
  CTranslate2 `score_batch`, transformers with labels), seconds, and its ratio to translate;
- also the translation without scores (the engines' plain decode) where it can be asked for, to
  show what keeping scores at translation time costs.
The target of the issue is forced <= 0.5x translate. Each figure is the median of --repeats runs,
each in a fresh process. Random weights decode to the length bound (2 x input + 16 tokens), so the
outputs are longer than real ones: the forced pass scores those long outputs too.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def measure(path: str, engine: str, texts: list[str], q) -> None:
    from pipeline import models
    from pipeline.translate import Decoding, Seq2SeqTranslator
    from pipeline.translate.ct2 import CT2Engine
    from pipeline.translate.hf import HFEngine

    ref = models.resolve(path)
    src, tgt = ("en", "ru")
    cls, d = (HFEngine, Decoding(beams=1)) if engine == "hf" else (CT2Engine, Decoding(beams=1, compute_type="int8"))
    t = Seq2SeqTranslator(cls(ref, d), src, tgt)
    t.warm_up()
    t.translate_scored(texts[:2])  # first-call costs out of the figures
    t0 = time.perf_counter()
    out = t.translate_scored(texts)
    translate_s = time.perf_counter() - t0
    outputs = [o for o, _, _ in out]
    t0 = time.perf_counter()
    scores = t.score(texts, outputs)
    forced_s = time.perf_counter() - t0
    q.put({"translate_s": translate_s, "forced_s": forced_s,
           "scored": sum(s is not None for s in scores), "n": len(texts),
           "out_tokens": sum(t.engine.n_target_tokens(o, tgt) for o in outputs)})


def in_child(*args) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=measure, args=(*args, q))
    p.start()
    result = q.get()
    p.join()
    return result


def main() -> None:
    import bench  # scripts/bench.py: the random-weight models and the sentences

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "ngo-bench")
    ap.add_argument("--models", default="marian,nllb")
    ap.add_argument("--engines", default="hf,ct2")
    ap.add_argument("--sentences", type=int, default=48)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    args.work.mkdir(parents=True, exist_ok=True)
    paths = bench.ensure_models(args.work, log)
    texts = bench.sentences(args.sentences, seed=1)
    summary = {"sentences": args.sentences, "repeats": args.repeats, "cpus": os.cpu_count()}
    print(f"{'model':<8}{'engine':<8}{'translate s':>12}{'forced s':>10}{'forced/translate':>18}  range")
    for model in args.models.split(","):
        for engine in args.engines.split(","):
            runs = [in_child(str(paths[model]), engine, texts) for _ in range(args.repeats)]
            ratios = [r["forced_s"] / r["translate_s"] for r in runs]
            row = {"translate_s": statistics.median(r["translate_s"] for r in runs),
                   "forced_s": statistics.median(r["forced_s"] for r in runs),
                   "ratio": statistics.median(ratios), "ratio_range": [min(ratios), max(ratios)],
                   "scored": runs[0]["scored"], "out_tokens": runs[0]["out_tokens"]}
            summary[f"{model}/{engine}"] = row
            print(f"{model:<8}{engine:<8}{row['translate_s']:>12.2f}{row['forced_s']:>10.2f}"
                  f"{row['ratio']:>17.2f}x  {min(ratios):.2f}-{max(ratios):.2f}"
                  f"  ({row['scored']}/{args.sentences} scored, {row['out_tokens']} output tokens)")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
