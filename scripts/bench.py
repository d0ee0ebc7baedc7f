#!/usr/bin/env python3
"""Translation speed: transformers vs CTranslate2, and the pipeline end to end vs the raw engine.

    python scripts/bench.py [--quick] [--work DIR] [--device cpu|cuda]

Real weights cannot be downloaded here, and cost does not depend on weight values, so the script
builds random-weight models with the exact architectures of Helsinki-NLP/opus-mt-en-ru (Marian
6+6, d_model 512, vocab 62,518) and facebook/nllb-200-distilled-600M (M2M100 12+12, d_model 1024,
vocab 256,206), converts them with the project's own converter, and forces every engine to decode
exactly OUT_TOKENS target tokens per sentence (greedy unless --beams), so all decode the same work.

Each measurement runs in a fresh child process, so its peak RSS and load time are its own.
Printed per engine, model, batch size and beam: target tokens/s, peak RSS (MB), load time (s).
Then the pipeline (read, segment, detect, translate on CTranslate2, summarise, check, write) runs
over a folder of synthetic press releases and its translation tokens/s is compared with the raw
engine on the same sentences. The last line is a JSON object with the headline figures.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import resource
import shutil
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


def measure_hf(path: str, arch: str, texts: list[str], batch: int, beams: int, device: str, q) -> None:
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
    produced, elapsed = 0, 0.0
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
    q.put({"tok_s": produced / elapsed, "rss_mb": _peak_rss_mb(), "load_s": load,
           "tokens": produced, "expected": OUT_TOKENS * len(texts)})


def measure_ct2(path: str, arch: str, compute_type: str, source: list[list[str]], batch: int, beams: int,
                device: str, q) -> None:
    import ctranslate2

    t0 = time.perf_counter()
    tr = ctranslate2.Translator(str(Path(path) / f"ctranslate2-{compute_type}"), device=device,
                                compute_type=compute_type, intra_threads=0 if device == "cpu" else 1)
    load = time.perf_counter() - t0
    extra = 1 if arch == "nllb" else 0
    produced, elapsed = 0, 0.0
    for i in range(0, len(source), batch):
        chunk = source[i:i + batch]
        t1 = time.perf_counter()
        res = tr.translate_batch(chunk, target_prefix=[["rus_Cyrl"]] * len(chunk) if extra else None,
                                 beam_size=beams, max_batch_size=batch,
                                 min_decoding_length=OUT_TOKENS + extra, max_decoding_length=OUT_TOKENS + extra)
        elapsed += time.perf_counter() - t1
        produced += sum(len(r.hypotheses[0]) - extra for r in res)
    q.put({"tok_s": produced / elapsed, "rss_mb": _peak_rss_mb(), "load_s": load,
           "tokens": produced, "expected": OUT_TOKENS * len(source)})


def measure_pipeline(config: str, in_dir: str, out_dir: str, q) -> None:
    from pipeline import Pipeline

    pipe = Pipeline.from_config(config)
    t0 = time.perf_counter()
    pipe.warm_up()
    load = time.perf_counter() - t0
    # One warm-up document so that lazy first-call costs are not counted (as for the raw engine,
    # whose timing excludes the model load).
    pipe.process_text("Warm up sentence for the forum project.", targets=["ru"], source_lang="en")
    t1 = time.perf_counter()
    results = list(pipe.run_folder(in_dir, out_dir, targets=["ru"], force=True))
    elapsed = time.perf_counter() - t1
    n_segments = 0
    for r in results:
        if r.status == "ok":
            rec = json.loads((Path(out_dir) / next(o for o in r.outputs if o.endswith(".json"))).read_text())
            assert all(s["lang"] == "en" for s in rec["segments"]), "a segment was not detected as English"
            n_segments += len(rec["segments"])
    q.put({"elapsed": elapsed, "segments": n_segments, "load_s": load, "rss_mb": _peak_rss_mb(),
           "failed": [r.error for r in results if r.status != "ok"]})


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
        (folder / f"release_{d:02d}.txt").write_text("\n\n".join(paras) + "\n", encoding="utf-8")
        all_sents += sents
    return all_sents


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer sentences and settings (< 10 min on 2 cores)")
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "ngo-bench")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--beams", default="1", help="comma separated beam sizes (default 1)")
    args = ap.parse_args()
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    args.work.mkdir(parents=True, exist_ok=True)
    paths = ensure_models(args.work, log)
    beams = [int(b) for b in args.beams.split(",")]
    n = {"marian": 64 if args.quick else 128, "nllb": 32 if args.quick else 64}
    plan = []  # (model, engine, compute, batch, beam)
    for beam in beams:
        for arch in ("marian", "nllb"):
            for batch in ([32, 1] if arch == "marian" else [32]):
                plan.append((arch, "transformers", "float32", batch, beam))
                for ct in (["float32", "int8"] if arch == "marian" or not args.quick else ["int8", "float32"]):
                    plan.append((arch, "ctranslate2", ct, batch, beam))
    results = {}
    print(f"{'model':<8} {'engine':<13} {'compute':<8} {'batch':>5} {'beam':>4} {'tok/s':>8} "
          f"{'peak RSS MB':>11} {'load s':>7}")
    for arch, engine, ct, batch, beam in plan:
        texts = sentences(n[arch] if batch > 1 else 8, 7)
        if engine == "transformers":
            r = _in_child(measure_hf, str(paths[arch]), arch, texts, batch, beam, args.device)
        else:
            src = source_tokens(paths[arch], arch, texts)
            r = _in_child(measure_ct2, str(paths[arch]), arch, ct, src, batch, beam, args.device)
        assert r["tokens"] == r["expected"], f"{arch} {engine}: decoded {r['tokens']} tokens, expected {r['expected']}"
        results[(arch, engine, ct, batch, beam)] = r
        print(f"{arch:<8} {engine:<13} {ct:<8} {batch:>5} {beam:>4} {r['tok_s']:>8.1f} {r['rss_mb']:>11.0f} "
              f"{r['load_s']:>7.2f}", flush=True)

    # -- the pipeline end to end on the Marian model (CTranslate2 int8, the catalog's choice) --
    folder = args.work / "releases"
    shutil.rmtree(folder, ignore_errors=True)
    write_releases(folder, 8 if args.quick else 16, 8)
    config = args.work / "bench.toml"
    config.write_text(f"""
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
min_new_tokens = {OUT_TOKENS}
max_new_tokens = {OUT_TOKENS}
cache = ""
device = "{args.device}"
models = {{ "en-ru" = {json.dumps(str(paths["marian"]))} }}
[stages.summarize]
factory = "summarize.extractive"
[stages.check]
factory = "check.publication"
""")
    pr = _in_child(measure_pipeline, str(config), str(folder), str(args.work / "out"))
    if pr["failed"]:
        raise SystemExit(f"pipeline failures: {pr['failed']}")
    # the raw engine on exactly the pipeline's sentences, in batches of 32
    segs = []
    for rec in sorted((args.work / "out").glob("release_*.json")):
        segs += [s["source"] for s in json.loads(rec.read_text())["segments"]]
    src = sorted(source_tokens(paths["marian"], "marian", segs), key=len)
    raw = _in_child(measure_ct2, str(paths["marian"]), "marian", "int8", src, 32, 1, args.device)
    pipe_tok_s = pr["segments"] * OUT_TOKENS / pr["elapsed"]
    print(f"\npipeline end to end: {pr['segments']} sentences in {pr['elapsed']:.2f} s = {pipe_tok_s:.1f} tok/s "
          f"(read, segment, detect, translate, summarise, check, write); raw engine on the same "
          f"sentences: {raw['tok_s']:.1f} tok/s; ratio {pipe_tok_s / raw['tok_s']:.2f}")

    def best(arch, engine):
        return max(r["tok_s"] for (a, e, _, b, bm), r in results.items() if a == arch and e == engine
                   and b == 32 and bm == beams[0])

    hf_m = results[("marian", "transformers", "float32", 32, beams[0])]["tok_s"]
    hf_n = results[("nllb", "transformers", "float32", 32, beams[0])]["tok_s"]
    nllb_int8 = results[("nllb", "ctranslate2", "int8", 32, beams[0])]
    summary = {
        "ct2_vs_hf_marian": round(best("marian", "ctranslate2") / hf_m, 2),
        "ct2_vs_hf_nllb": round(best("nllb", "ctranslate2") / hf_n, 2),
        "pipeline_vs_engine": round(pipe_tok_s / raw["tok_s"], 3),
        "nllb_peak_rss_mb": round(nllb_int8["rss_mb"]),
        "marian_tok_s": {f"{e}-{c}-b{b}": round(r["tok_s"], 1) for (a, e, c, b, _), r in results.items() if a == "marian"},
        "nllb_tok_s": {f"{e}-{c}-b{b}": round(r["tok_s"], 1) for (a, e, c, b, _), r in results.items() if a == "nllb"},
        "pipeline_tok_s": round(pipe_tok_s, 1),
        "raw_engine_tok_s": round(raw["tok_s"], 1),
        "device": args.device, "cpus": os.cpu_count(), "out_tokens": OUT_TOKENS, "beam": beams[0],
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
