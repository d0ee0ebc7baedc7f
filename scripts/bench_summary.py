#!/usr/bin/env python3
"""Score the summarisers against the project's reference summaries with ROUGE.

    python scripts/bench_summary.py [--sentences 2] [--config FILE]

ROUGE-1/2/L F1 from rouge-score, with a tokenizer that keeps Cyrillic and Kazakh letters
(rouge-score's default tokenizer keeps only [a-z0-9] and scores every ru/kk summary 0).
Compares summarize.extractive with a lead-k baseline (the first k sentences of the body), in each
reference's source language. With --config, the configured summarize stage is scored too
(for summarize.hf this needs the real models in the store).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.io import read_document  # noqa: E402
from pipeline.stages.detect import LinguaDetector  # noqa: E402
from pipeline.stages.segment import SegmentStage  # noqa: E402
from pipeline.stages.summarize import ExtractiveSummarizer, is_title, strip_dateline  # noqa: E402


class UnicodeTokenizer:
    """Lower-cased word tokens of any script (rouge-score's tokenizer interface)."""

    def tokenize(self, text: str) -> list[str]:
        return re.findall(r"\w+", text.lower())


def lead(doc, k: int) -> str:
    body = [s for p in doc.paragraphs if not is_title(p) for s in p.segments]
    return " ".join(strip_dateline(s.text) for s in body[:k])


def main() -> None:
    from rouge_score import rouge_scorer

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sentences", type=int, default=2)
    ap.add_argument("--config", help="also score the summarize stage of this pipeline config")
    args = ap.parse_args()
    refs = json.loads((ROOT / "tests/data/reference_summaries.json").read_text(encoding="utf-8"))
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=UnicodeTokenizer())
    systems = {"lead-%d" % args.sentences: None, "summarize.extractive": ExtractiveSummarizer(sentences=args.sentences)}
    pipe = None
    if args.config:
        from pipeline import Pipeline

        pipe = Pipeline.from_config(args.config)
        systems["configured"] = pipe["summarize"]
    det = LinguaDetector()
    totals: dict[str, list[float]] = {name: [0.0, 0.0, 0.0] for name in systems}
    n = 0
    print(f"{'document':<36} {'system':<22} {'R1':>6} {'R2':>6} {'RL':>6}")
    for name, by_lang in refs.items():
        if name.startswith("_"):
            continue
        doc = det(SegmentStage()(read_document(ROOT / "seeds" / name)))
        ref = by_lang[doc.lang]
        n += 1
        for sys_name, system in systems.items():
            if system is None:
                hyp = lead(doc, args.sentences)
            elif sys_name == "configured":
                hyp = pipe.process_file(ROOT / "seeds" / name).summaries[doc.lang]
            else:
                hyp = system.summarize(doc)[doc.lang]
            s = scorer.score(ref, hyp)
            f = [s["rouge1"].fmeasure, s["rouge2"].fmeasure, s["rougeL"].fmeasure]
            totals[sys_name] = [a + b for a, b in zip(totals[sys_name], f, strict=True)]
            print(f"{name:<36} {sys_name:<22} {f[0]:6.3f} {f[1]:6.3f} {f[2]:6.3f}")
    print()
    summary = {}
    for sys_name, t in totals.items():
        avg = [x / n for x in t]
        summary[sys_name] = {"rouge1": round(avg[0], 4), "rouge2": round(avg[1], 4), "rougeL": round(avg[2], 4)}
        print(f"{'mean over ' + str(n) + ' documents':<36} {sys_name:<22} {avg[0]:6.3f} {avg[1]:6.3f} {avg[2]:6.3f}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
