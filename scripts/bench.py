#!/usr/bin/env python3
"""Translation speed: transformers vs CTranslate2, the pipeline end to end vs the raw engine, and
the Ray executor vs the local one.

    python scripts/bench.py --scoring     # model-confidence scoring vs translating (bench_scoring.py)
    python scripts/bench.py [--quick] [--ray] [--work DIR] [--device cpu|cuda]
                            [--repeats 3] [--min-seconds 20] [--releases 200] [--no-pipeline] [--save [PATH]]

Real weights cannot be downloaded here, and cost does not depend on weight values, so the script
builds random-weight models with the exact architectures of Helsinki-NLP/opus-mt-en-ru (Marian
6+6, d_model 512, vocab 62,518) and facebook/nllb-200-distilled-600M (M2M100 12+12, d_model 1024,
vocab 256,206), converts them with the project's own converter, and forces every engine to decode
exactly OUT_TOKENS target tokens per sentence (greedy unless --beams), so all decode the same work.

Noise: every figure is measured over at least --min-seconds (20) of work (an engine measurement
loops over its sentences until then) and repeated --repeats (3) times in fresh child processes;
each ratio is computed within one repeat and the median of the repeats is printed, with the range.

Printed per engine, model, batch size and beam: target tokens/s, peak RSS (MB), load time (s).
Then the pipeline (read, segment, detect, translate on CTranslate2 int8, summarise, check, write)
runs over --releases synthetic press releases with the local executor, and its translation tokens/s
is compared with the raw engine on the same sentences. With --ray the same folder runs on the Ray
executor (ray.init(num_cpus=all cores), one actor using all of them) and its throughput is compared
with the local executor's. Throughput is the steady rate, from the first finished document to the
last (worker start and model loading are a fixed cost per run, printed separately). The last line
is a JSON object with the headline figures. `--save` also writes the CTranslate2 int8 figures per
catalog model (opus-mt-en-ru/ru-en through the Marian build, nllb-200-distilled-600M through the
NLLB one) into the file `ngo-pipeline models list` reads (pipeline/evaluate/speed.py).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT_TOKENS = 30
WORDS = ("forum project volunteers foundation region community prevention support training "
         "schools water families youth government cooperation experts participants programme "
         "initiative results budget million tenge children health rights women local district "
         "report survey meeting council partners union development civil society state").split()


def sentences(n: int, seed: int = 0) -> list[str]:
    rnd = random.Random(seed)
    return [" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(12, 24))).capitalize() + "."
            for _ in range(n)]


# -- model building ------------------------------------------------------------------------------
def build_marian(dest: Path) -> None:
    """Random Marian with opus-mt-en-ru's architecture; MarianTokenizer files with its vocab size."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    vocab_size = 62518
    work = dest.with_name(dest.name + ".work")
    work.mkdir(parents=True, exist_ok=True)
    (work / "text.txt").write_text("\n".join(sentences(2000, 1)), encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(work / "text.txt"), model_prefix=str(work / "sp"), vocab_size=200,
                                   hard_vocab_limit=False, minloglevel=2, bos_id=-1, eos_id=-1, unk_id=0)
    sp = spm.SentencePieceProcessor(model_file=str(work / "sp.model"))
    vocab = {"</s>": 0, "<unk>": 1}
    for i in range(sp.get_piece_size()):
        vocab.setdefault(sp.id_to_piece(i), len(vocab))
    while len(vocab) < vocab_size - 1:
        vocab[f"▁filler{len(vocab)}"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (work / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tok = MarianTokenizer(str(work / "sp.model"), str(work / "sp.model"), str(work / "vocab.json"),
                          source_lang="en", target_lang="ru")
    torch.manual_seed(0)
    config = MarianConfig(  # as in Helsinki-NLP/opus-mt-en-ru config.json
        vocab_size=vocab_size, d_model=512, encoder_layers=6, decoder_layers=6,
        encoder_attention_heads=8, decoder_attention_heads=8, encoder_ffn_dim=2048,
        decoder_ffn_dim=2048, max_position_embeddings=512, activation_function="swish",
        scale_embedding=True, pad_token_id=vocab_size - 1, eos_token_id=0,
        decoder_start_token_id=vocab_size - 1)
    model = MarianMTModel(config)
    with torch.no_grad():
        model.get_input_embeddings().weight[vocab_size - 1].zero_()
    model.save_pretrained(dest)
    tok.save_pretrained(dest)
    shutil.rmtree(work)


def build_nllb(dest: Path) -> None:
    """Random M2M100 with nllb-200-distilled-600M's architecture; an NLLB tokenizer (the converter
    pads its vocabulary to the model's 256,206 rows, as for the real model's made-up words)."""
    import sentencepiece as spm
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    work = dest.with_name(dest.name + ".work")
    (work / "tok").mkdir(parents=True, exist_ok=True)
    (work / "text.txt").write_text("\n".join(sentences(2000, 2)), encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(work / "text.txt"), model_prefix=str(work / "sp"), vocab_size=300,
                                   model_type="bpe", hard_vocab_limit=False, minloglevel=2,
                                   bos_id=-1, eos_id=-1, unk_id=0)
    shutil.copy(work / "sp.model", work / "tok" / "sentencepiece.bpe.model")
    tok = NllbTokenizer.from_pretrained(str(work / "tok"), extra_special_tokens=["eng_Latn", "rus_Cyrl", "kaz_Cyrl"])
    torch.manual_seed(0)
    config = M2M100Config(  # as in facebook/nllb-200-distilled-600M config.json
        vocab_size=256206, d_model=1024, encoder_layers=12, decoder_layers=12,
        encoder_attention_heads=16, decoder_attention_heads=16, encoder_ffn_dim=4096,
        decoder_ffn_dim=4096, max_position_embeddings=1024, scale_embedding=True,
        activation_function="relu", pad_token_id=1, bos_token_id=0, eos_token_id=2,
        decoder_start_token_id=2, tie_word_embeddings=True)
    model = M2M100ForConditionalGeneration(config)
    model.save_pretrained(dest)
    tok.save_pretrained(dest)
    shutil.rmtree(work)


def ensure_models(work: Path, log) -> dict[str, Path]:
    from pipeline import models

    paths = {"marian": work / "opus-mt-en-ru-random", "nllb": work / "nllb-600M-random"}
    for key, builder in (("marian", build_marian), ("nllb", build_nllb)):
        if not (paths[key] / "model.safetensors").exists():
            t0 = time.time()
            _in_child(builder, paths[key])
            log(f"built random {key} in {time.time() - t0:.0f} s")
    for key, quants in (("marian", ["float32", "int8"]), ("nllb", ["int8", "float32"])):
        ref = models.resolve(str(paths[key]))
        for q in quants:
            if not models.has_ct2(ref, q):
                t0 = time.time()
                _in_child(models.convert, ref, q)
                log(f"converted {key} to CTranslate2 {q} in {time.time() - t0:.0f} s")
    return paths


# -- measurements (each in a child process) ------------------------------------------------------
def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_hf(path: str, arch: str, texts: list[str], batch: int, beams: int, device: str,
               min_seconds: float, q) -> None:
    import torch

    torch.set_num_threads(os.cpu_count() or 1)
    t0 = time.perf_counter()
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModelForSeq2SeqLM.from_pretrained(path, dtype=torch.float32).eval().to(device)
    load = time.perf_counter() - t0
    kwargs = {}
    if arch == "nllb":
        tok.src_lang = "eng_Latn"
        kwargs["forced_bos_token_id"] = tok.convert_tokens_to_ids("rus_Cyrl")
    produced, elapsed, passes = 0, 0.0, 0
    while passes == 0 or elapsed < min_seconds:  # at least min_seconds of decoding: one figure means something
        passes += 1
        for i in range(0, len(texts), batch):
            enc = tok(texts[i:i + batch], return_tensors="pt", padding=True).to(device)
            t1 = time.perf_counter()
            with torch.inference_mode():
                n_new = OUT_TOKENS + (1 if arch == "nllb" else 0)  # the forced language code counts
                out = model.generate(**enc, num_beams=beams, do_sample=False, min_new_tokens=n_new,
                                     max_new_tokens=n_new, **kwargs)
            elapsed += time.perf_counter() - t1
            # generated tokens: everything after the decoder start (and the forced language code)
            produced += (out.shape[1] - 1 - (1 if arch == "nllb" else 0)) * out.shape[0]
    q.put({"tok_s": produced / elapsed, "rss_mb": _peak_rss_mb(), "load_s": load, "seconds": elapsed,
           "tokens": produced, "expected": OUT_TOKENS * len(texts) * passes})


def measure_ct2(path: str, arch: str, compute_type: str, source: list[list[str]], batch: int, beams: int,
                device: str, min_seconds: float, q) -> None:
    import ctranslate2

    t0 = time.perf_counter()
    tr = ctranslate2.Translator(str(Path(path) / f"ctranslate2-{compute_type}"), device=device,
                                compute_type=compute_type, intra_threads=0 if device == "cpu" else 1)
    load = time.perf_counter() - t0
    extra = 1 if arch == "nllb" else 0
    produced, elapsed, passes = 0, 0.0, 0
    while passes == 0 or elapsed < min_seconds:
        passes += 1
        for i in range(0, len(source), batch):
            chunk = source[i:i + batch]
            t1 = time.perf_counter()
            res = tr.translate_batch(chunk, target_prefix=[["rus_Cyrl"]] * len(chunk) if extra else None,
                                     beam_size=beams, max_batch_size=batch,
                                     min_decoding_length=OUT_TOKENS + extra, max_decoding_length=OUT_TOKENS + extra)
            elapsed += time.perf_counter() - t1
            produced += sum(len(r.hypotheses[0]) - extra for r in res)
    q.put({"tok_s": produced / elapsed, "rss_mb": _peak_rss_mb(), "load_s": load, "seconds": elapsed,
           "tokens": produced, "expected": OUT_TOKENS * len(source) * passes})


def measure_pipeline(config: str, in_dir: str, out_dir: str, executor: str, q) -> None:
    """One folder run. Timestamps of every finished document give the steady rate (first to last
    finished document) apart from the fixed start-up cost (worker process or Ray actor, models)."""
    from pipeline import Pipeline, run_folder

    if executor == "ray":
        import ray

        ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False,
                 logging_level="ERROR")  # a cluster is started once, not per run: not timed
    pipe = Pipeline.from_config(config)
    shutil.rmtree(out_dir, ignore_errors=True)
    t0 = time.perf_counter()
    stamps, failed = [], []
    for r in run_folder(pipe, in_dir, out_dir, targets=["ru"], force=True, executor=executor):
        stamps.append(time.perf_counter() - t0)
        if r.status not in ("ok", "needs-review", "partial"):  # word salad the detector calls `other`
            failed.append(f"{r.path}: {r.status} {r.error}")
    # Only sentences that went through the model count (the detector calls some of the synthetic
    # word salad `other`, and those are kept as they are).
    n_segments = sum(len(translated(json.loads(rec.read_text()))) for rec in Path(out_dir).glob("release_*.json"))
    first = stamps[0]
    steady_docs = sum(1 for t in stamps if t > first)
    q.put({"elapsed": stamps[-1], "first_s": first, "steady_s": stamps[-1] - first, "docs": len(stamps),
           "steady_docs": steady_docs, "segments": n_segments, "rss_mb": _peak_rss_mb(), "failed": failed})


def translated(record: dict) -> list[str]:
    """The source sentences of a JSON record that the model translated into Russian."""
    return [s["source"] for s in record["segments"] if s.get("status", {}).get("ru", "translated") == "translated"]


def _in_child(fn, *args):
    """Run fn(*args) in a fresh process; for measure_* the last argument is the result queue."""
    ctx = mp.get_context("spawn")
    if fn.__name__.startswith("measure"):
        q = ctx.Queue()
        p = ctx.Process(target=fn, args=(*args, q))
        p.start()
        result = q.get()
        p.join()
        return result
    p = ctx.Process(target=fn, args=args)
    p.start()
    p.join()
    if p.exitcode:
        raise SystemExit(f"{fn.__name__} failed with exit code {p.exitcode}")
    return None


def source_tokens(path: Path, arch: str, texts: list[str]) -> list[list[str]]:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(path))
    if arch == "nllb":
        tok.src_lang = "eng_Latn"
    return [tok.convert_ids_to_tokens(tok(t).input_ids) for t in texts]


def write_releases(folder: Path, n_docs: int, per_doc: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    all_sents = []
    for d in range(n_docs):
        sents = sentences(per_doc, 100 + d)
        paras = [" ".join(sents[i:i + 3]) for i in range(0, len(sents), 3)]
        (folder / f"release_{d:03d}.txt").write_text("\n\n".join(paras) + "\n", encoding="utf-8")
        all_sents += sents
    return all_sents


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float]) -> str:
    return f"{median(values):.2f} (range {min(values):.2f}-{max(values):.2f}, {len(values)} runs)"


PIPELINE_CONFIG = """
[pipeline]
languages = ["en", "ru"]
stages = ["segment", "detect", "translate", "summarize", "check"]
batch_size = 16
[stages.segment]
factory = "segment.sentences"
[stages.detect]
factory = "detect.lingua"
[stages.translate]
factory = "translate.ct2"
compute_type = "int8"
beams = 1
max_batch_tokens = 1024
min_new_tokens = {out_tokens}
max_new_tokens = {out_tokens}
cache = ""
device = "{device}"
models = {{ "en-ru" = {model} }}
[stages.summarize]
factory = "summarize.extractive"
[stages.check]
factory = "check.publication"
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer settings (engines: batch 32 only, no NLLB float32)")
    ap.add_argument("--ray", action="store_true",
                    help="also run the folder on the Ray executor (needs ngo-pipeline[ray])")
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "ngo-bench")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--beams", default=None,
                    help="comma separated beam sizes (default 1; with --scoring: the pipeline's 4, and 1)")
    ap.add_argument("--repeats", type=int, default=3, help="runs per figure; the median is printed (default 3)")
    ap.add_argument("--min-seconds", type=float, default=20.0, help="least seconds of work per figure (default 20)")
    ap.add_argument("--releases", type=int, default=200, help="synthetic releases for the pipeline runs (default 200)")
    ap.add_argument("--no-engines", action="store_true", help="skip the engine table (pipeline and Ray figures only)")
    ap.add_argument("--startup", action="store_true",
                    help="only the start-up of `ngo-pipeline translate` with every sentence in the memory "
                         "(scripts/bench_startup.py, on the tiny models)")
    ap.add_argument("--scoring", action="store_true",
                    help="only the cost of model-confidence scoring against translating (scripts/bench_scoring.py)")
    ap.add_argument("--int8-only", action="store_true",
                    help="engines: only CTranslate2 int8, batch 32 (the default engine; what --save records)")
    ap.add_argument("--no-pipeline", action="store_true", help="skip the pipeline and Ray figures (engines only)")
    ap.add_argument("--save", nargs="?", const="", metavar="PATH",
                    help="also write the catalog models' measured speeds for `ngo-pipeline models list` "
                         "(default PATH: <model store>/bench-results.json, or $NGO_PIPELINE_BENCH)")
    args = ap.parse_args()
    if args.scoring:
        import runpy

        sys.argv = [str(Path(__file__).with_name("bench_scoring.py")), "--work", str(args.work),
                    "--repeats", str(args.repeats)] + (["--beams", args.beams] if args.beams else [])
        runpy.run_path(sys.argv[0], run_name="__main__")
        return
    if args.startup:
        import runpy

        sys.argv = [str(Path(__file__).with_name("bench_startup.py")), "--runs", str(max(args.repeats, 3))]
        runpy.run_path(sys.argv[0], run_name="__main__")
        return
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    args.work.mkdir(parents=True, exist_ok=True)
    paths = ensure_models(args.work, log)
    beams = [int(b) for b in (args.beams or "1").split(",")]
    summary: dict = {"device": args.device, "cpus": os.cpu_count(), "out_tokens": OUT_TOKENS, "beam": beams[0],
                     "repeats": args.repeats, "min_seconds": args.min_seconds}
    if not args.no_engines:
        summary.update(engine_table(args, paths, beams))
    if not args.no_pipeline:
        summary.update(pipeline_figures(args, paths, log))
    print(json.dumps(summary))
    if args.save is not None and not args.no_engines:
        log(f"wrote {save_speeds(summary, args.save)}")


#: catalog models measured through a random-weight model of their architecture (cost does not
#: depend on the weights' values): bench key -> catalog names
MEASURED_AS = {"marian": ["opus-mt-en-ru", "opus-mt-ru-en"], "nllb": ["nllb-200-distilled-600M"]}


def save_speeds(summary: dict, dest: str) -> Path:
    """The engine figures the pipeline's default settings use (CTranslate2 int8, batch 32), per
    catalog model, merged into the bench file `ngo-pipeline models list` reads."""
    from pipeline.evaluate import speed

    path = Path(dest) if dest else speed.bench_file()
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    found = data.get("models", {})
    arch_of = {"marian": "Helsinki-NLP/opus-mt-en-ru", "nllb": "facebook/nllb-200-distilled-600M"}
    for arch, names in MEASURED_AS.items():
        tok_s = summary.get(f"{arch}_tok_s", {}).get("ctranslate2-int8-b32")
        if tok_s is None:
            continue
        for name in names:
            found[name] = {"tok_s": tok_s,
                           "setting": f"CTranslate2 int8, batch 32, beam {summary['beam']}, {summary['device']}, "
                                      f"{summary['out_tokens']} output tokens per sentence",
                           "basis": f"random weights with the architecture of {arch_of[arch]}; median of "
                                    f"{summary['repeats']} run(s) of at least {summary['min_seconds']:g} s"}
    data.update({"written_by": "scripts/bench.py --save", "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                 "machine": speed.machine(), "models": found})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def engine_table(args, paths, beams) -> dict:
    n = {"marian": 64, "nllb": 32}
    plan = []  # (model, engine, compute, batch, beam)
    for beam in beams:
        for arch in ("marian", "nllb"):
            for batch in ([32] if args.quick or args.int8_only or arch == "nllb" else [32, 1]):
                if args.int8_only:  # only what the pipeline runs by default (and `--save` records)
                    plan.append((arch, "ctranslate2", "int8", batch, beam))
                    continue
                plan.append((arch, "transformers", "float32", batch, beam))
                for ct in (["float32", "int8"] if arch == "marian" or not args.quick else ["int8"]):
                    plan.append((arch, "ctranslate2", ct, batch, beam))
    runs: dict[tuple, list[dict]] = {}
    print(f"{'model':<8} {'engine':<13} {'compute':<8} {'batch':>5} {'beam':>4} {'tok/s (median)':>15} "
          f"{'range':>17} {'s/run':>6} {'peak RSS MB':>11} {'load s':>7}")
    for arch, engine, ct, batch, beam in plan:
        texts = sentences(n[arch] if batch > 1 else 8, 7)
        src = source_tokens(paths[arch], arch, texts) if engine == "ctranslate2" else None
        for _ in range(args.repeats):
            if engine == "transformers":
                r = _in_child(measure_hf, str(paths[arch]), arch, texts, batch, beam, args.device, args.min_seconds)
            else:
                r = _in_child(measure_ct2, str(paths[arch]), arch, ct, src, batch, beam, args.device, args.min_seconds)
            assert r["tokens"] == r["expected"], \
                f"{arch} {engine}: decoded {r['tokens']} tokens, expected {r['expected']}"
            runs.setdefault((arch, engine, ct, batch, beam), []).append(r)
        rs = runs[(arch, engine, ct, batch, beam)]
        tok = [r["tok_s"] for r in rs]
        print(f"{arch:<8} {engine:<13} {ct:<8} {batch:>5} {beam:>4} {median(tok):>15.1f} "
              f"{min(tok):>8.1f}-{max(tok):<8.1f} {median([r['seconds'] for r in rs]):>6.1f} "
              f"{median([r['rss_mb'] for r in rs]):>11.0f} {median([r['load_s'] for r in rs]):>7.2f}", flush=True)

    def ratio(arch: str) -> list[float]:
        """Per repeat: the best CTranslate2 compute type over transformers, batch 32."""
        hf = runs[(arch, "transformers", "float32", 32, beams[0])]
        cts = [v for (a, e, _, b, bm), v in runs.items()
               if a == arch and e == "ctranslate2" and b == 32 and bm == beams[0]]
        return [max(c[i]["tok_s"] for c in cts) / hf[i]["tok_s"] for i in range(args.repeats)]

    nllb_int8 = runs[("nllb", "ctranslate2", "int8", 32, beams[0])]
    ratios = {}
    if not args.int8_only:
        ct2_m, ct2_n = ratio("marian"), ratio("nllb")
        print(f"\nCTranslate2 over transformers, per repeat then median: Marian {spread(ct2_m)}; NLLB {spread(ct2_n)}")
        ratios = {"ct2_vs_hf_marian": round(median(ct2_m), 2), "ct2_vs_hf_nllb": round(median(ct2_n), 2)}
    return {
        **ratios,
        "nllb_peak_rss_mb": round(median([r["rss_mb"] for r in nllb_int8])),
        "marian_tok_s": {f"{e}-{c}-b{b}": round(median([r["tok_s"] for r in v]), 1)
                         for (a, e, c, b, _), v in runs.items() if a == "marian"},
        "nllb_tok_s": {f"{e}-{c}-b{b}": round(median([r["tok_s"] for r in v]), 1)
                       for (a, e, c, b, _), v in runs.items() if a == "nllb"},
    }


def pipeline_figures(args, paths, log) -> dict:
    """The pipeline end to end (local executor) vs the raw engine on the same sentences, and with
    --ray the Ray executor vs the local one, each ratio per repeat, then the median."""
    folder = args.work / f"releases-{args.releases}"
    if not folder.exists():
        write_releases(folder, args.releases, 8)
    config = args.work / "bench.toml"
    config.write_text(PIPELINE_CONFIG.format(out_tokens=OUT_TOKENS, device=args.device,
                                             model=json.dumps(str(paths["marian"]))))
    local_runs, raw_runs, ray_runs = [], [], []
    src = None
    for i in range(args.repeats):
        pr = _in_child(measure_pipeline, str(config), str(folder), str(args.work / "out-local"), "local")
        if pr["failed"]:
            raise SystemExit(f"pipeline failures: {pr['failed'][:5]}")
        local_runs.append(pr)
        if src is None:  # the raw engine on exactly the pipeline's sentences, in batches of 32
            segs = []
            for rec in sorted((args.work / "out-local").glob("release_*.json")):
                segs += translated(json.loads(rec.read_text()))
            src = sorted(source_tokens(paths["marian"], "marian", segs), key=len)
        raw_runs.append(_in_child(measure_ct2, str(paths["marian"]), "marian", "int8", src, 32, 1, args.device,
                                  args.min_seconds))
        if args.ray:
            rr = _in_child(measure_pipeline, str(config), str(folder), str(args.work / "out-ray"), "ray")
            if rr["failed"]:
                raise SystemExit(f"Ray pipeline failures: {rr['failed'][:5]}")
            ray_runs.append(rr)
        log(f"repeat {i + 1}/{args.repeats} done")

    def tok_s(r: dict) -> float:  # steady rate: documents after the first finished one
        return r["steady_docs"] * (r["segments"] / r["docs"]) * OUT_TOKENS / r["steady_s"]

    pipe_vs_engine = [tok_s(p) / r["tok_s"] for p, r in zip(local_runs, raw_runs, strict=True)]
    lr = local_runs[len(local_runs) // 2]
    print(f"\npipeline end to end, local executor: {lr['docs']} releases, {lr['segments']} sentences; "
          f"first document after {median([r['first_s'] for r in local_runs]):.1f} s (worker start, models), "
          f"then {median([r['steady_s'] for r in local_runs]):.1f} s = {median([tok_s(r) for r in local_runs]):.1f} "
          f"tok/s; raw engine on the same sentences {median([r['tok_s'] for r in raw_runs]):.1f} tok/s over "
          f"{median([r['seconds'] for r in raw_runs]):.1f} s; ratio {spread(pipe_vs_engine)}")
    out = {"pipeline_vs_engine": round(median(pipe_vs_engine), 3),
           "pipeline_tok_s": round(median([tok_s(r) for r in local_runs]), 1),
           "raw_engine_tok_s": round(median([r["tok_s"] for r in raw_runs]), 1),
           "pipeline_steady_s": round(median([r["steady_s"] for r in local_runs]), 1),
           "local_docs_per_hour": round(median([3600 * r["steady_docs"] / r["steady_s"] for r in local_runs]))}
    if args.ray:
        ray_vs_local = [tok_s(r) / tok_s(lo) for r, lo in zip(ray_runs, local_runs, strict=True)]
        end_to_end = [lo["elapsed"] / r["elapsed"] for r, lo in zip(ray_runs, local_runs, strict=True)]
        print(f"Ray executor: first document after {median([r['first_s'] for r in ray_runs]):.1f} s (actor, worker, "
              f"models), then {median([r['steady_s'] for r in ray_runs]):.1f} s = "
              f"{median([tok_s(r) for r in ray_runs]):.1f} "
              f"tok/s; throughput vs local {spread(ray_vs_local)}; end to end including start-up {spread(end_to_end)}")
        out.update({"ray_vs_local": round(median(ray_vs_local), 3),
                    "ray_vs_local_end_to_end": round(median(end_to_end), 3),
                    "ray_tok_s": round(median([tok_s(r) for r in ray_runs]), 1),
                    "ray_docs_per_hour": round(median([3600 * r["steady_docs"] / r["steady_s"] for r in ray_runs]))})
    return out


if __name__ == "__main__":
    main()
