#!/usr/bin/env python3
"""HTML reading on NEWS pages: F1 of the article text against human gold text, ours beside
plain trafilatura (the same library, default settings) on the same pages.

    python scripts/bench_news.py [--set dev|holdout|all] [--repo GIT_DIR] [--worst N]

Pages: the Article Extraction Benchmark of Scrapinghub/Zyte (MIT licence; 181 real news and blog
pages with the human-annotated article body as gold), read straight from a git snapshot of
github.com/scrapinghub/article-extraction-benchmark (`--repo`, default the search tool's mirror
path; the pages are not copied into this repository). Dev = pages whose id starts with 0-9,
holdout = a-f (kept aside while tuning). F1 is computed as that benchmark's evaluate.py does: 4-word
shingles, per page normalised, F1 of the mean precision and the mean recall.
Also called by scripts/bench_docs.py --news.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REPO = Path("/work/.mirror/scrapinghub+article-extraction-benchmark/repo")


def _git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={repo}", *args], capture_output=True, check=True).stdout


def pages(repo: Path) -> dict[str, list[tuple[str, str, str]]]:
    """{"dev": [(id, html, gold)], "holdout": [...]}"""
    gold = json.loads(_git(repo, "show", "HEAD:ground-truth.json"))
    out: dict[str, list] = {"dev": [], "holdout": []}
    for key in sorted(gold):
        raw = gzip.decompress(_git(repo, "show", f"HEAD:html/{key}.html.gz"))
        html = raw.decode("utf-8", errors="replace")
        out["dev" if key[0].isdigit() else "holdout"].append((key, html, gold[key]["articleBody"] or ""))
    return out


_WORD = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> collections.Counter:
    toks = _WORD.findall(text or "")
    return collections.Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i:i + n])


def page_counts(pred: str, gold: str) -> tuple[float, float, float]:
    """(tp, fp, fn) over 4-word shingles, normalised to sum 1 (the benchmark's evaluate.py)."""
    p, g = shingles(pred), shingles(gold)
    tp = sum((p & g).values())
    fp, fn = sum((p - g).values()), sum((g - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def f1(counts: list[tuple[float, float, float]]) -> float:
    """F1 of the mean precision and mean recall over pages, as the benchmark computes it."""
    def ratio(a: float, b: float, other: float) -> float:
        return 1.0 if b == other == 0 else (0.0 if a == b == 0 else a / (a + b))
    precs = [ratio(tp, fp, fn) for tp, fp, fn in counts if tp + fp > 0]
    recs = [ratio(tp, fn, fp) for tp, fp, fn in counts if tp + fn > 0]
    prec, rec = sum(precs) / len(precs), sum(recs) / len(recs)
    return 2 * prec * rec / (prec + rec)


def ours(html: str) -> str:
    from pipeline.io.html import read_html

    paras, _, _ = read_html(html)
    return "\n".join(p.text for p in paras)


def plain_trafilatura(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def run(sets: list[str], repo: Path, worst: int = 0) -> dict:
    data = pages(repo)
    summary = {}
    for name in sets:
        rows = data[name]
        res = {}
        for label, fn in (("ngo-pipeline", ours), ("trafilatura", plain_trafilatura)):
            counts = [page_counts(fn(h), g) for _, h, g in rows]
            res[label] = f1(counts)
            if worst and label == "ngo-pipeline":
                for c, (k, _, _) in sorted(zip(counts, rows), key=lambda x: x[0][0])[:worst]:
                    print(f"    worst {k[:12]} tp {c[0]:.3f} fp {c[1]:.3f} fn {c[2]:.3f}")
        print(f"HTML news {name}: {len(rows)} pages, shingle F1 ngo-pipeline {res['ngo-pipeline']:.3f}, "
              f"plain trafilatura {res['trafilatura']:.3f}")
        summary[name] = {k: round(v, 4) for k, v in res.items()}
    return summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=["dev", "holdout", "all"], default="all")
    ap.add_argument("--repo", type=Path, default=REPO)
    ap.add_argument("--worst", type=int, default=0)
    a = ap.parse_args()
    if not a.repo.exists():
        print(f"news pages: no snapshot at {a.repo} (fetch github:scrapinghub/article-extraction-benchmark)")
        return
    print(json.dumps(run(["dev", "holdout"] if a.set == "all" else [a.set], a.repo, a.worst)))


if __name__ == "__main__":
    main()
