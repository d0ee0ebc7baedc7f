"""Translation: translators (one direction each) and the stage that feeds them.

Composition, as in argos-translate:
- `HFTranslator` / `CT2Translator`: one model, one direction (a multilingual NLLB model serves
  several directions through several translators sharing one loaded model);
- `PivotTranslator(first, second)`: kk->en->ru when no direct model exists;
- `CachedTranslator(inner, memory)`: a persistent translation memory around any translator.

All engine translators share `Seq2SeqTranslator.translate`: a text longer than the model's input
limit is split at clause or word boundaries and the pieces' translations are joined (never
truncated); unique texts are sorted by length and batched by a token budget; decoding is
deterministic (greedy or beam search, no sampling).
"""
from __future__ import annotations

import hashlib
import logging
import os
import random
import sqlite3
import threading
import time
from collections import defaultdict
from pathlib import Path

from . import models
from .document import Document
from .langid import letters
from .segment import split_to_fit
from .stage import Stage, StageError

log = logging.getLogger(__name__)


class Translator:
    src: str
    tgt: str
    #: identity of model + revision + direction + decoding settings: the translation-memory key.
    key: str

    def warm_up(self) -> None:
        pass

    def translate(self, texts: list[str]) -> list[str]:
        raise NotImplementedError


class Seq2SeqTranslator(Translator):
    def __init__(self, ref: models.ModelRef, src: str, tgt: str, beams: int = 4,
                 max_batch_tokens: int = 4096, max_input_tokens: int = 0, device: str = "cpu",
                 min_new_tokens: int = 0, max_new_tokens: int = 0):
        self.ref, self.src, self.tgt = ref, src, tgt
        self.beams, self.max_batch_tokens = beams, max_batch_tokens
        self.max_input_tokens = max_input_tokens
        self.device = device
        # Output length bounds; 0 = automatic (up to twice the input + 16, within the model limit).
        # min = max forces a fixed length: scripts/bench.py uses it so every engine decodes alike.
        self.min_new_tokens, self.max_new_tokens = min_new_tokens, max_new_tokens
        self.tokenizer = None
        self.multilingual = ref.arch in ("nllb", "m2m100")

    @property
    def key(self) -> str:
        return (f"{self.ref.identity}|{self.src}-{self.tgt}|beams={self.beams}|{self.engine}"
                f"|len={self.min_new_tokens}-{self.max_new_tokens}")

    engine = ""

    def _src_code(self) -> str:
        return models.NLLB_CODES[self.src]

    def _tgt_code(self) -> str:
        return models.NLLB_CODES[self.tgt]

    def n_tokens(self, text: str) -> int:
        if self.multilingual:
            self.tokenizer.src_lang = self._src_code()
        return len(self.tokenizer(text).input_ids)

    def input_limit(self) -> int:
        """Most source tokens one model input may hold."""
        raise NotImplementedError

    def output_limit(self) -> int:
        """Most target tokens the model can produce."""
        raise NotImplementedError

    def _generate(self, texts: list[str], max_new: int) -> list[tuple[str, bool]]:
        """Translate one batch: (text, finished) per input; finished is False when the output
        stopped at `max_new` tokens instead of at the end-of-sentence token."""
        raise NotImplementedError

    def translate(self, texts: list[str]) -> list[str]:
        self.warm_up()
        limit = self.input_limit()
        lengths: dict[str, int] = {}

        def n_tokens(text: str) -> int:
            if text not in lengths:
                lengths[text] = self.n_tokens(text)
            return lengths[text]

        pieces_of = [split_to_fit(text, lambda t: n_tokens(t) <= limit) if text.strip() else []
                     for text in texts]
        unique = sorted({p for pieces in pieces_of for p in pieces}, key=n_tokens)
        done: dict[str, str] = {}
        unfinished = self._run(unique, n_tokens, done, None)
        if unfinished and not self.max_new_tokens:
            # An output cut by the automatic bound (twice the input + 16): redo it with the model's
            # whole output length rather than return a truncated translation.
            unfinished = self._run(unfinished, n_tokens, done, self.output_limit())
        if unfinished:
            log.warning("%s %s-%s: %d output(s) reached the length limit; check them: %s", self.ref.name,
                        self.src, self.tgt, len(unfinished), "; ".join(u[:60] for u in unfinished[:3]))
        return [" ".join(done[p] for p in pieces) for pieces in pieces_of]

    def _run(self, pieces: list[str], n_tokens, done: dict[str, str], max_new: int | None) -> list[str]:
        """Translate `pieces` (sorted by length) in batches of at most `max_batch_tokens` padded
        tokens into `done`; return the pieces whose output did not finish."""
        unfinished: list[str] = []
        batch: list[str] = []
        longest = 0

        def flush() -> None:
            bound = max_new or min(self.max_new_tokens or 2 * longest + 16, self.output_limit())
            for piece, (text, finished) in zip(batch, self._generate(batch, bound), strict=True):
                done[piece] = text
                if not finished:
                    unfinished.append(piece)

        for piece in pieces:
            n = n_tokens(piece)
            if batch and max(longest, n) * (len(batch) + 1) > self.max_batch_tokens:
                flush()
                batch, longest = [], 0
            batch.append(piece)
            longest = max(longest, n)
        if batch:
            flush()
        return unfinished


class HFTranslator(Seq2SeqTranslator):
    """transformers `AutoModelForSeq2SeqLM` (Marian / OPUS-MT, NLLB)."""

    engine = "hf"

    def warm_up(self) -> None:
        if self.tokenizer is None:
            self.tokenizer, self.model = models.load_hf_seq2seq(self.ref, self.device)

    def input_limit(self) -> int:
        if self.max_input_tokens:
            return self.max_input_tokens
        return min(self.model.config.max_position_embeddings, self.tokenizer.model_max_length) - 2

    def output_limit(self) -> int:
        return self.model.config.max_position_embeddings - 2

    def _generate(self, texts: list[str], max_new: int) -> list[tuple[str, bool]]:
        import torch

        kwargs = {"min_new_tokens": self.min_new_tokens} if self.min_new_tokens else {}
        forced = 0
        if self.multilingual:
            self.tokenizer.src_lang = self._src_code()
            kwargs["forced_bos_token_id"] = self.tokenizer.convert_tokens_to_ids(self._tgt_code())
            forced = 1  # the forced language code is one of the new tokens
        enc = self.tokenizer(texts, return_tensors="pt", padding=True).to(self.device)
        with torch.inference_mode():
            out = self.model.generate(**enc, num_beams=self.beams, do_sample=False,
                                      max_new_tokens=max_new + forced, num_return_sequences=1, **kwargs)
        eos = self.model.generation_config.eos_token_id
        eos = set(eos if isinstance(eos, list) else [eos])
        finished = [any(int(i) in eos for i in row[1:]) for row in out]
        texts_out = [t.strip() for t in self.tokenizer.batch_decode(out, skip_special_tokens=True)]
        return list(zip(texts_out, finished, strict=True))


class CT2Translator(Seq2SeqTranslator):
    """The same model converted to CTranslate2 (`ngo-pipeline models convert NAME`)."""

    engine = "ct2"

    def __init__(self, ref: models.ModelRef, src: str, tgt: str, beams: int = 4,
                 max_batch_tokens: int = 4096, max_input_tokens: int = 0, device: str = "cpu",
                 compute_type: str = "int8", threads: int = 0, min_new_tokens: int = 0,
                 max_new_tokens: int = 0):
        super().__init__(ref, src, tgt, beams, max_batch_tokens, max_input_tokens, device,
                         min_new_tokens, max_new_tokens)
        self.compute_type, self.threads = compute_type, threads

    @property
    def key(self) -> str:  # the quantisation changes the output, so it is part of the identity
        return super().key + f"|{self.compute_type}"

    def warm_up(self) -> None:
        if self.tokenizer is None:
            self.tokenizer = models.load_tokenizer(self.ref)
            self.translator = models.load_ct2(self.ref, self.compute_type, self.device, self.threads)
            import json

            cfg = json.loads((self.ref.path / "config.json").read_text(encoding="utf-8"))
            self._max_pos = cfg.get("max_position_embeddings", 512)

    def input_limit(self) -> int:
        if self.max_input_tokens:
            return self.max_input_tokens
        return min(self._max_pos, self.tokenizer.model_max_length) - 2

    def output_limit(self) -> int:
        return self._max_pos - 2

    def _generate(self, texts: list[str], max_new: int) -> list[tuple[str, bool]]:
        if self.multilingual:
            self.tokenizer.src_lang = self._src_code()
        source = [self.tokenizer.convert_ids_to_tokens(self.tokenizer(t).input_ids) for t in texts]
        prefix = [[self._tgt_code()]] * len(texts) if self.multilingual else None
        extra = 1 if prefix else 0  # CTranslate2 counts the target prefix in the lengths
        results = self.translator.translate_batch(
            source, target_prefix=prefix, beam_size=self.beams, max_batch_size=len(texts),
            max_decoding_length=max_new + extra,
            min_decoding_length=(self.min_new_tokens + extra) if self.min_new_tokens else 0,
            return_scores=False)
        out = []
        for r in results:
            tokens = r.hypotheses[0][extra:]
            ids = self.tokenizer.convert_tokens_to_ids(tokens)
            # CTranslate2 drops the end token; an output of the full length may have been cut.
            out.append((self.tokenizer.decode(ids, skip_special_tokens=True).strip(), len(tokens) < max_new))
        return out


class PivotTranslator(Translator):
    """src -> pivot -> tgt, made of two translators."""

    def __init__(self, first: Translator, second: Translator):
        self.first, self.second = first, second
        self.src, self.tgt = first.src, second.tgt

    @property
    def key(self) -> str:
        return f"pivot({self.first.key} > {self.second.key})"

    def warm_up(self) -> None:
        self.first.warm_up()
        self.second.warm_up()

    def translate(self, texts: list[str]) -> list[str]:
        return self.second.translate(self.first.translate(texts))


class TranslationMemory:
    """Persistent SQLite cache: (translator key, source segment) -> translation.

    WAL journal and a busy timeout let several runs share one file; each write is one transaction.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self.hits = self.misses = 0
        self._conn()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=60)
            # Switching to WAL needs an exclusive lock and can fail at once (without waiting) while
            # another process opens the same new file: retry for up to a minute.
            deadline = time.monotonic() + 60
            while True:
                try:
                    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        conn.execute("PRAGMA journal_mode=WAL")
                    with conn:
                        conn.execute("CREATE TABLE IF NOT EXISTS tm (k TEXT PRIMARY KEY, "
                                     "translator TEXT, source TEXT, target TEXT)")
                    break
                except sqlite3.OperationalError as e:
                    if "locked" not in str(e) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.02 + random.random() * 0.1)
            self._local.conn = conn
        return conn

    @staticmethod
    def _k(translator_key: str, source: str) -> str:
        return hashlib.sha256(f"{translator_key}\x00{source}".encode()).hexdigest()

    def get_many(self, translator_key: str, sources: list[str]) -> dict[str, str]:
        conn = self._conn()
        found: dict[str, str] = {}
        keys = {self._k(translator_key, s): s for s in sources}
        items = list(keys)
        for i in range(0, len(items), 500):
            chunk = items[i:i + 500]
            rows = conn.execute(f"SELECT k, target FROM tm WHERE k IN ({','.join('?' * len(chunk))})", chunk)
            for k, target in rows:
                found[keys[k]] = target
        return found

    def put_many(self, translator_key: str, pairs: dict[str, str]) -> None:
        with self._conn() as conn:
            conn.executemany("INSERT OR REPLACE INTO tm VALUES (?, ?, ?, ?)",
                             [(self._k(translator_key, s), translator_key, s, t) for s, t in pairs.items()])


class CachedTranslator(Translator):
    def __init__(self, inner: Translator, memory: TranslationMemory):
        self.inner, self.memory = inner, memory
        self.src, self.tgt = inner.src, inner.tgt

    @property
    def key(self) -> str:
        return self.inner.key

    def warm_up(self) -> None:
        self.inner.warm_up()

    def translate(self, texts: list[str]) -> list[str]:
        found = self.memory.get_many(self.key, texts)
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        self.memory.hits += len(texts) - sum(1 for t in texts if t not in found)
        self.memory.misses += len(missing)
        if missing:
            new = dict(zip(missing, self.inner.translate(missing), strict=True))
            self.memory.put_many(self.key, new)
            found.update(new)
        return [found[t] for t in texts]


DEFAULT_MODELS = {
    "en-ru": "opus-mt-en-ru", "ru-en": "opus-mt-ru-en",
    "en-kk": "nllb-200-distilled-600M", "kk-en": "nllb-200-distilled-600M",
    "ru-kk": "nllb-200-distilled-600M", "kk-ru": "nllb-200-distilled-600M",
}
DEFAULT_CACHE = os.path.join("~", ".cache", "ngo-pipeline", "translation-memory.sqlite")


class TranslateStage(Stage):
    """Translates every segment into each target language, from the segment's own language.

    `models` maps a direction ("kk-ru") to a catalog name or a model folder. A direction without a
    model pivots through `pivot`. `engine`: "ct2" (CTranslate2), "hf" (transformers) or "auto"
    (CTranslate2 where a converted model is present, else transformers). `cache`: path of the
    translation memory ("" disables it; relative to the config file). `beams`: 1 is greedy.
    `max_batch_tokens`: padded tokens per batch. `max_input_tokens`: cap below the model's own
    limit (0: the model's). `min_new_tokens` / `max_new_tokens`: output length bounds (0: automatic).
    `compute_type`: CTranslate2 quantisation (default: the catalog entry's). `threads`:
    CTranslate2 intra-op threads (0: all cores).
    """

    engine_default = "auto"

    def __init__(self, models: dict[str, str] | None = None, languages: list[str] | None = None,
                 engine: str = "", pivot: str = "en", beams: int = 4, max_batch_tokens: int = 4096,
                 max_input_tokens: int = 0, device: str = "cpu", compute_type: str = "",
                 threads: int = 0, min_new_tokens: int = 0, max_new_tokens: int = 0,
                 cache: str = DEFAULT_CACHE, config_dir: str | None = None):
        self.models = dict(DEFAULT_MODELS if models is None else models)
        self.languages = list(languages or ["en", "ru", "kk"])
        self.engine = engine or self.engine_default
        self.pivot, self.beams = pivot, beams
        self.max_batch_tokens, self.max_input_tokens = max_batch_tokens, max_input_tokens
        self.device, self.compute_type, self.threads = device, compute_type, threads
        self.min_new_tokens, self.max_new_tokens = min_new_tokens, max_new_tokens
        self.cache = cache  # relative paths are relative to the config file
        self.config_dir = Path(config_dir) if config_dir else None
        self.translators: dict[tuple[str, str], Translator] = {}
        self.missing: list[str] = []
        self.memory: TranslationMemory | None = None

    @classmethod
    def check_params(cls, params: dict) -> list[tuple[str, str]]:
        from .config import SUPPORTED_LANGUAGES

        problems = []
        if params.get("engine", "auto") not in ("auto", "hf", "ct2", ""):
            problems.append(("engine", f"must be auto, hf or ct2, not {params['engine']!r}"))
        for direction in params.get("models") or {}:
            src, _, tgt = direction.partition("-")
            if src not in SUPPORTED_LANGUAGES or tgt not in SUPPORTED_LANGUAGES or src == tgt:
                problems.append(("models", f"{direction!r} is not a direction like \"kk-ru\" between "
                                           f"{', '.join(SUPPORTED_LANGUAGES)}"))
        if params.get("beams", 1) < 1:
            problems.append(("beams", "must be at least 1"))
        return problems

    def _direct(self, src: str, tgt: str) -> Translator | None:
        ref_name = self.models.get(f"{src}-{tgt}")
        if not ref_name:
            return None
        ref = models.resolve(ref_name, self.config_dir)
        engine = self.engine
        compute_type = self.compute_type or (ref.entry.ct2_compute_type if ref.entry else "int8")
        if engine == "auto":
            engine = "ct2" if models.has_ct2(ref, compute_type) else "hf"
        common = dict(beams=self.beams, max_batch_tokens=self.max_batch_tokens,
                      max_input_tokens=self.max_input_tokens, device=self.device,
                      min_new_tokens=self.min_new_tokens, max_new_tokens=self.max_new_tokens)
        if engine == "ct2":
            if not models.has_ct2(ref, compute_type):
                raise models.ModelNotFound(
                    f"{ref.name}: no CTranslate2 conversion ({compute_type}) at {ref.ct2_dir(compute_type)}; "
                    f"run: ngo-pipeline models convert {ref_name} --quantization {compute_type}")
            t: Translator = CT2Translator(ref, src, tgt, compute_type=compute_type, threads=self.threads, **common)
        elif engine == "hf":
            t = HFTranslator(ref, src, tgt, **common)
        else:
            raise ValueError(f"unknown engine {engine!r}; use auto, hf or ct2")
        return t

    def _load(self) -> None:
        if self.cache:
            path = Path(self.cache).expanduser()
            if not path.is_absolute() and self.config_dir is not None:
                path = self.config_dir / path
            self.memory = TranslationMemory(path)
        for src in self.languages:
            for tgt in self.languages:
                if src == tgt:
                    continue
                t = self._direct(src, tgt)
                if t is None and self.pivot not in (src, tgt):
                    first, second = self._direct(src, self.pivot), self._direct(self.pivot, tgt)
                    if first and second:
                        t = PivotTranslator(first, second)
                if t is None:
                    self.missing.append(f"{src}-{tgt}")
                    continue
                self.translators[(src, tgt)] = CachedTranslator(t, self.memory) if self.memory else t
        if self.missing:
            log.warning("no model for %s (and no pivot through %s): documents that need these "
                        "directions will fail", ", ".join(self.missing), self.pivot)
        log.info("translators: %s", {f"{s}-{t}": tr.key for (s, t), tr in self.translators.items()})

    def translate_texts(self, texts: list[str], src: str, tgt: str) -> list[str]:
        self.warm_up()
        if src == tgt:
            return list(texts)
        if (src, tgt) not in self.translators:
            raise StageError(f"no model for {src}-{tgt} and no pivot through {self.pivot}; "
                             f"configured directions: {', '.join(self.models)}")
        return self.translators[(src, tgt)].translate(texts)

    def process_batch(self, docs: list[Document]) -> list[Document]:
        self.warm_up()
        jobs: dict[tuple[str, str], list] = defaultdict(list)  # direction -> [(segment, text)]
        for doc in docs:
            if not doc.targets:
                doc.targets = [lang for lang in self.languages if lang != doc.lang]
            for seg in doc.segments:
                src = seg.lang if seg.lang in self.languages else (
                    doc.lang if doc.lang in self.languages and seg.lang == "unknown" else None)
                verbatim = len(letters(seg.text)) < 2  # numbers, a URL, an e-mail, a phone number
                for tgt in doc.targets:
                    if verbatim:
                        seg.translations[tgt] = seg.text  # nothing to translate; a model could garble it
                    elif src is None:
                        seg.translations[tgt] = seg.text  # kept as is; the check stage flags it
                        if "untranslated" not in seg.flags:
                            seg.flags.append("untranslated")
                    elif src == tgt:
                        seg.translations[tgt] = seg.text
                    else:
                        jobs[(src, tgt)].append(seg)
        for (src, tgt), segs in jobs.items():
            texts = [s.text for s in segs]
            for seg, out in zip(segs, self.translate_texts(texts, src, tgt), strict=True):
                seg.translations[tgt] = out
        return docs


class HFTranslateStage(TranslateStage):
    """`translate.hf`: the translate stage on transformers."""

    engine_default = "hf"


class CT2TranslateStage(TranslateStage):
    """`translate.ct2`: the translate stage on CTranslate2 (converted models required)."""

    engine_default = "ct2"
