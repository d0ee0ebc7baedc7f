#!/usr/bin/env python3
"""Cost of model-confidence scoring (issue 22) against translating, with the pipeline's own engines.

    python scripts/bench.py --scoring [--work DIR] [--repeats 3] [--beams 4,1]
    python scripts/bench_scoring.py [--work DIR] [--models marian,nllb] [--engines hf,ct2] [--sentences 48]
                                    [--repeats 3] [--beams 4,1]

On random-weight models with the exact architectures of opus-mt-en-ru and nllb-200-distilled-600M
(scripts/bench.py builds them; cost does not depend on the weights' values), per engine
(transformers float32, CTranslate2 int8) and model:
- translate: `Seq2SeqTranslator.translate_scored` over the sentences (greedy, scores kept: the
  CTranslate2 `return_scores` / transformers `output_scores` path), seconds;
- forced: `Seq2SeqTranslator.score` of given translations of about the same length (one forward
  pass: CTranslate2 `score_batch`, transformers with labels), seconds, and its cost per target
  token against translating's (the random model's own outputs are token salad that re-reads
  several times longer, so they are not what is scored);
- also the translation without scores (the engines' plain decode) where it can be asked for, to
  show what keeping scores at translation time costs.
The translation is measured with each of --beams: by default the pipeline's own decoding (the translate
stage's default beam size, 4) and greedy (1), the cheapest translation there is. Also printed:
the process's peak resident memory while translating and while scoring (Linux VmHWM, reset before
scoring). The target of the issue is forced <= 0.5x translate. Each figure is the median of --repeats runs,
each in a fresh process. Random weights never emit the end token, so the
outputs are held to 40 tokens (--max-new-tokens in the decoding), about a real translation of
these 12-24 word sentences; the forced pass scores those same outputs.
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
OUT_TOKENS = 40
PIPELINE_BEAMS = 4  # TranslateStage's default `beams` (checked in main)


def _peak_rss_mb() -> float:
    """This process's peak resident memory since the last `_reset_peak()` (Linux), MB."""
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
        f.write("5")


def measure(path: str, engine: str, beams: int, texts: list[str], targets: list[str], q) -> None:
    from pipeline import models
    from pipeline.translate import Decoding, Seq2SeqTranslator
    from pipeline.translate.ct2 import CT2Engine
    from pipeline.translate.hf import HFEngine

    ref = models.resolve(path)
    src, tgt = ("en", "ru")
    # random weights never stop on their own: every output is held to OUT_TOKENS tokens, about what
    # real models write for these 12-24 word sentences
    d = Decoding(beams=beams, max_new_tokens=OUT_TOKENS, compute_type="" if engine == "hf" else "int8")
    t = Seq2SeqTranslator((HFEngine if engine == "hf" else CT2Engine)(ref, d), src, tgt)
    t.warm_up()
    t.translate_scored(texts[:2])  # first-call costs out of the figures
    t.score(texts[:2], targets[:2])
    t0 = time.perf_counter()
    out = t.translate_scored(texts)
    translate_s = time.perf_counter() - t0
    # Forced decoding of given translations of real length. (The random model's own outputs are
    # token salad: decoded and re-read they come back several times longer than generated.)
    before = _peak_rss_mb()
    _reset_peak()
    t0 = time.perf_counter()
    scores = t.score(texts, targets)
    forced_s = time.perf_counter() - t0
    forced_peak = _peak_rss_mb()
    q.put({"translate_s": translate_s, "forced_s": forced_s, "scored": sum(s is not None for s in scores),
           "n": len(texts), "peak_mb": before, "forced_peak_mb": forced_peak, "generated_tokens": len(out) * OUT_TOKENS,
           "forced_tokens": sum(t.engine.n_target_tokens(x, tgt) for x in targets)})


def in_child(*args) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=measure, args=(*args, q))
    p.start()
    result = q.get()
    p.join()
    return result


def main() -> None:
    import inspect

    import bench  # scripts/bench.py: the random-weight models and the sentences
    from pipeline.stages.translate import TranslateStage

    assert inspect.signature(TranslateStage).parameters["beams"].default == PIPELINE_BEAMS

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "ngo-bench")
    ap.add_argument("--models", default="marian,nllb")
    ap.add_argument("--engines", default="hf,ct2")
    ap.add_argument("--sentences", type=int, default=48)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--beams", default=f"{PIPELINE_BEAMS},1",
                    help=f"translation's beam sizes, comma separated (default: the pipeline's {PIPELINE_BEAMS}, and greedy)")
    args = ap.parse_args()
    beam_sizes = [int(b) for b in args.beams.split(",")]
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    args.work.mkdir(parents=True, exist_ok=True)
    paths = bench.ensure_models(args.work, log)
    texts = bench.sentences(args.sentences, seed=1)
    # given translations: other synthetic sentences, lengthened to about OUT_TOKENS tokens each
    targets = [f"{a} {b}"[:200] for a, b in zip(bench.sentences(args.sentences, seed=2),
                                                bench.sentences(args.sentences, seed=3), strict=True)]
    summary = {"sentences": args.sentences, "repeats": args.repeats, "beams": beam_sizes, "cpus": os.cpu_count()}
    print(f"translation: beam {' and '.join(map(str, beam_sizes))} (the pipeline translates with beam {PIPELINE_BEAMS}); "
          "peak MB: the process's resident memory at its peak while translating (model loaded) and while scoring")
    print(f"{'model':<8}{'engine':<8}{'beam':>5}{'translate s':>12}{'forced s':>10}{'forced/translate per token':>28}  range"
          f"{'peak MB translate/forced':>27}")
    for model, engine, beam in [(m, e, b) for m in args.models.split(",") for e in args.engines.split(",")
                                for b in beam_sizes]:
        runs = [in_child(str(paths[model]), engine, beam, texts, targets) for _ in range(args.repeats)]
        # per token: forced decoding of a translation as long as the one generated
        ratios = [(r["forced_s"] / r["forced_tokens"]) / (r["translate_s"] / r["generated_tokens"]) for r in runs]
        row = {"translate_s": statistics.median(r["translate_s"] for r in runs),
               "forced_s": statistics.median(r["forced_s"] for r in runs),
               "ratio": statistics.median(ratios), "ratio_range": [min(ratios), max(ratios)],
               "peak_mb": statistics.median(r["peak_mb"] for r in runs),
               "forced_peak_mb": statistics.median(r["forced_peak_mb"] for r in runs),
               "scored": runs[0]["scored"], "generated_tokens": runs[0]["generated_tokens"],
               "forced_tokens": runs[0]["forced_tokens"]}
        summary[f"{model}/{engine}/beam{beam}"] = row
        print(f"{model:<8}{engine:<8}{beam:>5}{row['translate_s']:>12.2f}{row['forced_s']:>10.2f}"
              f"{row['ratio']:>27.2f}x  {min(ratios):.2f}-{max(ratios):.2f}"
              f"{row['peak_mb']:>15.0f}/{row['forced_peak_mb']:.0f}"
              f"  ({row['scored']}/{args.sentences} scored; tokens generated {row['generated_tokens']}, "
              f"forced {row['forced_tokens']})")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
