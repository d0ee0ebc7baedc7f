#!/usr/bin/env python3
"""Train the project's tiny test models, in a few minutes on 2 CPU cores, from tests/data.

    python scripts/make_test_models.py [--out DIR] [--only marian,nllb,bart] [--force]

Writes, each loadable with `from_pretrained` exactly like a real hub model:
- DIR/marian-{en-ru,ru-en,en-kk,kk-en}: MarianMTModel + MarianTokenizer (source.spm, target.spm,
  vocab.json), one per direction, like Helsinki-NLP/opus-mt-*;
- DIR/nllb-tiny: M2M100ForConditionalGeneration + NllbTokenizer (sentencepiece BPE, language codes
  eng_Latn / rus_Cyrl / kaz_Cyrl as special tokens), one model for all six directions, like NLLB;
- DIR/bart-sum-en: BartForConditionalGeneration + byte-level BPE tokenizer, a tiny summariser;
- DIR/config.toml: a complete pipeline config using them (Marian for en<->ru, NLLB for Kazakh).

Each model is trained on tests/data/parallel.tsv (or sum_docs.json) until greedy decoding
reproduces every training target exactly; the script fails if one does not within its budget.
DIR/manifest.json records a hash of the inputs (training data and training code) and the sha256 of
every file written, so callers can tell when a rebuild is needed (`ensure`: only then) and a
retraining can be compared with the committed models (tests/test_tiny_models.py).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
sys.path.insert(0, str(ROOT))

MARIAN_DIRECTIONS = ["en-ru", "ru-en", "en-kk", "kk-en"]
NLLB_CODES = {"en": "eng_Latn", "ru": "rus_Cyrl", "kk": "kaz_Cyrl"}
# Model input limits (positions): each training sentence fits, but any two of the four clause rows
# of tests/data/parallel.tsv together do not, so one long sentence exceeds the limit in the tests.
MARIAN_MAX_POS = 56
NLLB_MAX_POS = 44
VERSION = 5  # bump when the architecture or training changes
# The inputs hash (manifest.json) covers the training data and the code between these two marker
# lines, not the rest of this file: an edit below the end marker (manifest, ensure, the command
# line) leaves the committed models current; an edit between them means retraining.
# === training code ===


def load_corpus() -> list[dict[str, str]]:
    rows = []
    for line in (DATA / "parallel.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            en, ru, kk = line.split("\t")
            rows.append({"en": en, "ru": ru, "kk": kk})
    return rows


def train_spm(texts: list[str], prefix: Path, vocab_size: int, model_type: str = "unigram") -> Path:
    import sentencepiece as spm

    corpus = prefix.with_suffix(".txt")
    corpus.write_text("\n".join(texts) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(prefix), vocab_size=vocab_size, model_type=model_type,
        character_coverage=1.0, hard_vocab_limit=False, bos_id=-1, eos_id=-1, unk_id=0, pad_id=-1,
        minloglevel=2, num_threads=1)
    return prefix.with_suffix(".model")


def fit(model, tok_pairs, decode, targets, max_steps: int, lr: float, name: str, log, after_step=None) -> None:
    """Train on the whole (small) set each step until `decode()` reproduces every target."""
    import torch

    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    t0 = time.time()
    polished, polish_steps = False, 100
    for step in range(1, max_steps + 1):
        for batch in tok_pairs:
            loss = model(**batch).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            opt.zero_grad()
            if after_step:
                after_step()
        if step % 25 == 0:
            model.eval()
            got = decode()
            model.train()
            exact = sum(g == t for g, t in zip(got, targets))
            log(f"{name}: step {step} loss {loss.item():.4f} exact {exact}/{len(targets)} ({time.time() - t0:.0f}s)")
            if exact == len(targets):
                if polished:
                    model.eval()
                    return
                polished = True  # train on a while: a margin against padding and batching noise
                for _ in range(polish_steps):
                    for batch in tok_pairs:
                        model(**batch).loss.backward()
                        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                        opt.step()
                        opt.zero_grad()
                        if after_step:
                            after_step()
    bad = [(g, t) for g, t in zip(decode(), targets) if g != t][:3]
    raise SystemExit(f"{name}: did not reproduce its training set in {max_steps} steps: {bad}")


def batches(tok, sources, targets, size=16, **kw):
    out = []
    for i in range(0, len(sources), size):
        enc = tok(sources[i:i + size], text_target=targets[i:i + size], padding=True, return_tensors="pt", **kw)
        enc["labels"][enc["labels"] == tok.pad_token_id] = -100
        out.append(enc)
    return out


def make_marian(src: str, tgt: str, corpus, out: Path, work: Path, log) -> None:
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    torch.manual_seed(0)
    spms = {}
    for lang in (src, tgt):
        spms[lang] = train_spm([r[lang] for r in corpus], work / f"spm-{lang}", 400)
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    import sentencepiece as spm

    for lang in (src, tgt):
        sp = spm.SentencePieceProcessor(model_file=str(spms[lang]))
        for i in range(sp.get_piece_size()):
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
    vocab["<pad>"] = len(vocab)
    (work / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tok = MarianTokenizer(source_spm=str(spms[src]), target_spm=str(spms[tgt]),
                          vocab=str(work / "vocab.json"), source_lang=src, target_lang=tgt,
                          model_max_length=MARIAN_MAX_POS)
    config = MarianConfig(
        vocab_size=len(vocab), d_model=64, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=128,
        decoder_ffn_dim=128, max_position_embeddings=MARIAN_MAX_POS, pad_token_id=vocab["<pad>"],
        eos_token_id=0, decoder_start_token_id=vocab["<pad>"], dropout=0.0, attention_dropout=0.0,
        activation_dropout=0.0, scale_embedding=True, share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True)
    model = MarianMTModel(config)
    sources, targets = [r[src] for r in corpus], [r[tgt] for r in corpus]

    def decode():
        with torch.inference_mode():
            enc = tok(sources, return_tensors="pt", padding=True)
            ids = model.generate(**enc, num_beams=1, do_sample=False, max_new_tokens=MARIAN_MAX_POS - 2)
        return tok.batch_decode(ids, skip_special_tokens=True)

    pad = vocab["<pad>"]

    def zero_pad_embedding():
        # As in OPUS-MT: the decoder starts from <pad>, whose embedding is all zeros (CTranslate2
        # relies on it: start_from_zero_embedding), and <pad> is never generated (bad_words_ids).
        with torch.no_grad():
            model.get_input_embeddings().weight[pad].zero_()

    zero_pad_embedding()
    model.generation_config.bad_words_ids = [[pad]]
    fit(model, batches(tok, sources, targets), decode, targets, 1500, 3e-3, f"marian-{src}-{tgt}", log,
        after_step=zero_pad_embedding)
    model.generation_config.num_beams = 1
    model.save_pretrained(out, safe_serialization=True)
    tok.save_pretrained(out)


def make_nllb(corpus, out: Path, work: Path, log) -> None:
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    torch.manual_seed(0)
    texts = [r[lang] for r in corpus for lang in ("en", "ru", "kk")]
    spm_path = train_spm(texts, work / "spm-nllb", 700, model_type="bpe")
    tdir = work / "nllb-tok"
    tdir.mkdir()
    shutil.copy(spm_path, tdir / "sentencepiece.bpe.model")
    tok = NllbTokenizer.from_pretrained(str(tdir), extra_special_tokens=list(NLLB_CODES.values()),
                                        model_max_length=NLLB_MAX_POS)
    tok.save_pretrained(out)  # then reload: the saved files are what the pipeline loads
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(out))
    config = M2M100Config(
        vocab_size=len(tok), d_model=64, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=128,
        decoder_ffn_dim=128, max_position_embeddings=NLLB_MAX_POS, pad_token_id=tok.pad_token_id,
        bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.eos_token_id, dropout=0.0, attention_dropout=0.0,
        activation_dropout=0.0, scale_embedding=True, tie_word_embeddings=True)
    model = M2M100ForConditionalGeneration(config)
    pairs = [(s, t) for s in NLLB_CODES for t in NLLB_CODES if s != t]
    data = []
    for s, t in pairs:
        tok.src_lang, tok.tgt_lang = NLLB_CODES[s], NLLB_CODES[t]
        data += batches(tok, [r[s] for r in corpus], [r[t] for r in corpus], size=32)
    random.Random(0).shuffle(data)

    def decode():
        outs = []
        for s, t in pairs:
            tok.src_lang = NLLB_CODES[s]
            with torch.inference_mode():
                enc = tok([r[s] for r in corpus], return_tensors="pt", padding=True)
                ids = model.generate(**enc, num_beams=1, do_sample=False, max_new_tokens=NLLB_MAX_POS - 2,
                                     forced_bos_token_id=tok.convert_tokens_to_ids(NLLB_CODES[t]))
            outs += tok.batch_decode(ids, skip_special_tokens=True)
        return outs

    targets = [r[t] for s, t in pairs for r in corpus]
    fit(model, data, decode, targets, 1500, 3e-3, "nllb-tiny", log)
    model.save_pretrained(out, safe_serialization=True)


def sum_pairs() -> list[tuple[str, str]]:
    """(model input, summary): the input is what summarize.hf feeds the model for each doc."""
    from pipeline import Document
    from pipeline.stages.segment import SegmentStage
    from pipeline.stages.summarize import HFSummarizer

    pairs = []
    for item in json.loads((DATA / "sum_docs.json").read_text(encoding="utf-8")):
        doc = SegmentStage()(Document.from_text(item["text"]))
        doc.lang = "en"
        pairs.append((HFSummarizer(models={})._source_text(doc, "en", False), item["summary"]))
    return pairs


def make_bart(out: Path, work: Path, log) -> None:
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer

    torch.manual_seed(0)
    pairs = sum_pairs()
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator([t for p in pairs for t in p] * 2, vocab_size=600, min_frequency=1,
                            special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    bdir = work / "bart-tok"
    bdir.mkdir()
    bpe.save_model(str(bdir))
    tok = BartTokenizer(vocab=str(bdir / "vocab.json"), merges=str(bdir / "merges.txt"),
                        model_max_length=128)
    config = BartConfig(
        vocab_size=len(tok), d_model=64, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=128,
        decoder_ffn_dim=128, max_position_embeddings=128, pad_token_id=tok.pad_token_id,
        bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.eos_token_id, forced_bos_token_id=tok.bos_token_id,
        dropout=0.0, attention_dropout=0.0, activation_dropout=0.0)
    model = BartForConditionalGeneration(config)
    sources, targets = [p[0] for p in pairs], [p[1] for p in pairs]

    def decode():
        with torch.inference_mode():
            enc = tok(sources, return_tensors="pt", padding=True)
            ids = model.generate(**enc, num_beams=1, do_sample=False, max_new_tokens=40)
        return [t.strip() for t in tok.batch_decode(ids, skip_special_tokens=True)]

    fit(model, batches(tok, sources, targets), decode, targets, 1500, 3e-3, "bart-sum-en", log)
    model.save_pretrained(out, safe_serialization=True)
    tok.save_pretrained(out)


CONFIG = """\
# A complete pipeline on the project's tiny test models (written by scripts/make_test_models.py).
# Model paths are relative to this file. Marian models for en<->ru, one NLLB-style model for Kazakh,
# as in the packaged default config.
[pipeline]
languages = ["en", "ru", "kk"]
stages = ["segment", "detect", "translate", "summarize", "check"]
batch_size = 8

[stages.segment]
factory = "segment.sentences"

[stages.detect]
factory = "detect.lingua"

[stages.translate]
factory = "translate"
beams = 1
cache = "translation-memory.sqlite"

[stages.translate.models]
"en-ru" = "marian-en-ru"
"ru-en" = "marian-ru-en"
"en-kk" = "nllb-tiny"
"kk-en" = "nllb-tiny"
"ru-kk" = "nllb-tiny"
"kk-ru" = "nllb-tiny"

[stages.summarize]
factory = "summarize.extractive"
sentences = 2

[stages.check]
factory = "check.publication"
"""


def build(out: Path, only: set[str], log=print) -> None:
    import torch

    torch.set_num_threads(min(2, os.cpu_count() or 1))
    out.mkdir(parents=True, exist_ok=True)
    corpus = load_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        jobs = []
        if "marian" in only:
            jobs += [(f"marian-{d}", lambda dest, w, d=d: make_marian(*d.split("-"), corpus, dest, w, log))
                     for d in MARIAN_DIRECTIONS]
        if "nllb" in only:
            jobs.append(("nllb-tiny", lambda dest, w: make_nllb(corpus, dest, w, log)))
        if "bart" in only:
            jobs.append(("bart-sum-en", lambda dest, w: make_bart(dest, w, log)))
        for name, job in jobs:
            w = work / name
            w.mkdir()
            staging = out / f".{name}.tmp"
            shutil.rmtree(staging, ignore_errors=True)
            job(staging, w)
            shutil.rmtree(out / name, ignore_errors=True)
            os.replace(staging, out / name)
    (out / "config.toml").write_text(CONFIG, encoding="utf-8")


# === end of the training code ===
DEFAULT_OUT = ROOT / "models" / "tiny"  # shared by the tests, the quick start and the README
CONFIG_MODELS = ("marian-en-ru", "marian-ru-en", "nllb-tiny")  # the folders CONFIG names


def config_text(models_dir: Path, memory: str | Path, translate: str = "translate") -> str:
    """CONFIG for a config file elsewhere: the model folders under `models_dir` as absolute paths,
    the translation memory at `memory`, and `translate` the translate stage's factory (the tests'
    fake models: tests/fakes.py)."""
    text = "[pipeline]" + CONFIG.split("[pipeline]", 1)[1]  # without the comment about relative paths
    for old, new in [(f'"{name}"', json.dumps(str(Path(models_dir) / name))) for name in CONFIG_MODELS] + [
            ('cache = "translation-memory.sqlite"', f"cache = {json.dumps(str(memory))}"),
            ('factory = "translate"\n', f"factory = {json.dumps(translate)}\n")]:
        if old not in text:
            raise ValueError(f"CONFIG has no {old.strip()} to replace")
        text = text.replace(old, new)
    return text


MANIFEST = "manifest.json"
PARTS = ("bart", "marian", "nllb")
TEXT_INPUTS = (DATA / "parallel.tsv", DATA / "sum_docs.json")


def _text(path: Path) -> bytes:
    """A text input's bytes with LF line ends: a checkout that turns them into CRLF (git's
    autocrlf on Windows) hashes the same."""
    return path.read_bytes().replace(b"\r\n", b"\n")


def inputs_hash() -> str:
    """What the models are trained from: the training data and the training code of this file
    (between its markers, see the top), as 16 hex digits. No file dates: a fresh clone, where
    every file is new, hashes the same."""
    code = _text(Path(__file__)).decode("utf-8")
    training = code.split("\n# === training code ===\n", 1)[1].split("\n# === end of the training code ===\n", 1)[0]
    h = hashlib.sha256(str(VERSION).encode())
    for data in [training.encode("utf-8")] + [_text(p) for p in TEXT_INPUTS]:
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:16]


def file_hashes(out: Path) -> dict[str, str]:
    """sha256 of every file under `out` (posix relative paths) except the manifest itself."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.relative_to(out).as_posix() != MANIFEST}


def comparable(path: Path) -> bytes:
    """A file's bytes for comparing a retraining with the committed models: a sentencepiece model
    (.spm) without the paths of its training run (sentencepiece records the temporary corpus file
    and model prefix in the model, so two identical trainings differ there and only there)."""
    data = path.read_bytes()
    if path.suffix == ".spm":
        from sentencepiece import sentencepiece_model_pb2

        proto = sentencepiece_model_pb2.ModelProto()
        proto.ParseFromString(data)
        proto.trainer_spec.ClearField("input")
        proto.trainer_spec.ClearField("model_prefix")
        data = proto.SerializeToString()
    return data


def write_manifest(out: Path, parts) -> dict:
    import importlib.metadata as md

    manifest = {"inputs": inputs_hash(), "parts": sorted(parts), "files": file_hashes(out),
                "trained_with": {name: md.version(name) for name in
                                 ("torch", "transformers", "tokenizers", "sentencepiece")}}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def problems(out: Path) -> list[str]:
    """Why `out` does not hold the current tiny models (empty when it does): a manifest for other
    inputs or parts, a listed file missing or changed. Other files do not count (`stray_files`)."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        want, listed = manifest["inputs"], manifest["files"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        return [f"{out / MANIFEST}: missing or unreadable ({e})"]
    found = []
    if want != inputs_hash():
        found.append(f"trained from other inputs ({want}; now {inputs_hash()}): retrain")
    if sorted(manifest.get("parts", [])) != sorted(PARTS):
        found.append(f"holds only {', '.join(manifest.get('parts', []))}")
    have = file_hashes(out) if out.is_dir() else {}
    found += [f"{name}: missing" for name in sorted(set(listed) - set(have))]
    found += [f"{name}: changed (sha256 differs from the manifest)" for name in sorted(set(listed) & set(have))
              if listed[name] != have[name]]
    return found


def stray_files(out: Path) -> list[str]:
    """Files under `out` the manifest does not list (a conversion, a translation memory: not a
    reason to retrain, but not part of the committed models either)."""
    try:
        listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        listed = {}
    return sorted(set(file_hashes(out)) - set(listed))


def is_current(out: Path) -> bool:
    """The models in `out` are the ones the current inputs make, byte for byte as recorded."""
    return not problems(out)


def ensure(out: Path = DEFAULT_OUT, log=print) -> Path:
    """The tiny models in `out`: the committed ones when they are current (nothing is trained),
    else built (and the manifest rewritten; files not made here, such as the models' committed
    calibration.json, are gone with the old models: calibrate the new ones again). Several processes at once (parallel test runs) wait
    for one builder instead of racing it."""
    if is_current(out):
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / f".{out.name}.lock", "w") as lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        except ImportError:  # Windows: no lock; one test run at a time there
            pass
        if not is_current(out):
            log(f"{out}: {'; '.join(problems(out))}: training the tiny models (a few minutes)")
            shutil.rmtree(out, ignore_errors=True)
            build(out, set(PARTS), log=log)
            write_manifest(out, PARTS)
    return out


def retrain_differences(committed: Path = DEFAULT_OUT, log=print) -> list[str]:
    """Retrain into a temporary folder and compare with `committed`: the files that differ (see
    `comparable`), or that training should make and the manifest lacks. Empty: reproduced."""
    listed = json.loads((committed / MANIFEST).read_text(encoding="utf-8"))["files"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "tiny"
        build(out, set(PARTS), log=log)
        made = file_hashes(out)
        found = [f"{name}: made by training, not in the manifest" for name in sorted(set(made) - set(listed))]
        # files training does not make (calibration.json: `ngo-pipeline calibrate --into-model`)
        found += [f"{name}: not made by training" for name in sorted(set(listed) - set(made))
                  if not name.endswith("/calibration.json")]
        found += [f"{name}: differs" for name in sorted(set(made) & set(listed))
                  if comparable(out / name) != comparable(committed / name)]
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: models/tiny")
    ap.add_argument("--only", default="marian,nllb,bart", help="comma separated: marian, nllb, bart")
    ap.add_argument("--force", action="store_true", help="retrain even when the models are current")
    ap.add_argument("--check", action="store_true",
                    help="retrain into a temporary folder and compare with --out (exit 1 if they differ)")
    args = ap.parse_args()
    t0 = time.time()
    if args.check:
        found = retrain_differences(args.out)
        print("\n".join(found) if found else f"retraining reproduces {args.out} ({time.time() - t0:.0f} s)")
        sys.exit(1 if found else 0)
    if args.only == "marian,nllb,bart" and not args.force:
        ensure(args.out)
    else:
        build(args.out, set(args.only.split(",")))
        write_manifest(args.out, set(args.only.split(",")))
    print(f"test models written to {args.out} in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
