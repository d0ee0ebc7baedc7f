"""What a translation engine is: one loaded seq2seq model that encodes, generates and decodes.

`Decoding` is the one frozen value of decoding settings (beams, batch tokens, length bounds,
device, quantisation, threads): translators and `summarize.hf` take it instead of restating the
parameters, and its `key` is part of every translation-memory key.

Engines are found by name in `pipeline.registry.engines` ({"hf": HFEngine, "ct2": CT2Engine},
extendable through the entry-point group `ngo_pipeline.engines`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import models

DEVICES = ("cpu", "cuda", "auto")
#: one generated output: (text, finished, sum of token log-probabilities or None, tokens scored)
Generated = tuple[str, bool, "float | None", int]
COMPUTE_TYPES = ("", "default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16",
                 "int16", "float16", "bfloat16", "float32")


@dataclass(frozen=True)
class Decoding:
    beams: int = 4  # 1 = greedy
    max_batch_tokens: int = 4096  # padded source tokens per batch
    max_input_tokens: int = 0  # cap below the model's own input limit (0: the model's)
    min_new_tokens: int = 0  # output length bounds; 0 = automatic (up to twice the input + 16)
    max_new_tokens: int = 0
    device: str = "cpu"
    compute_type: str = ""  # CTranslate2 quantisation ("": the catalog entry's, else int8)
    threads: int = 0  # CTranslate2 intra-op threads (0: OMP_NUM_THREADS or all cores)

    def problems(self) -> list[tuple[str, str]]:
        """(key, problem) for values no model can run with (checked by config validation)."""
        out = []
        if not 1 <= self.beams <= 16:
            out.append(("beams", f"must be between 1 and 16, not {self.beams}"))
        if not 16 <= self.max_batch_tokens <= 1_000_000:
            out.append(("max_batch_tokens", f"must be between 16 and 1000000, not {self.max_batch_tokens}"))
        if self.max_input_tokens and not 8 <= self.max_input_tokens <= 100_000:
            out.append(("max_input_tokens", f"must be 0 (the model's limit) or at least 8, not {self.max_input_tokens}"))
        for key in ("min_new_tokens", "max_new_tokens"):
            if not 0 <= getattr(self, key) <= 100_000:
                out.append((key, f"must be 0 (automatic) or positive, not {getattr(self, key)}"))
        if self.max_new_tokens > 0 and self.min_new_tokens > self.max_new_tokens:
            out.append(("min_new_tokens", "must not exceed max_new_tokens"))
        if self.device not in DEVICES and not self.device.startswith("cuda:"):
            out.append(("device", f"must be one of {', '.join(DEVICES)} or cuda:N, not {self.device!r}"))
        if self.compute_type not in COMPUTE_TYPES:
            out.append(("compute_type", f"must be one of {', '.join(c for c in COMPUTE_TYPES if c)}, "
                                        f"not {self.compute_type!r}"))
        if not 0 <= self.threads <= 1024:
            out.append(("threads", f"must be 0 (automatic) or positive, not {self.threads}"))
        return out

    @property
    def key(self) -> str:
        """The settings that change the output (the translation-memory key includes them)."""
        return (f"beams={self.beams}|len={self.min_new_tokens}-{self.max_new_tokens}"
                f"|in={self.max_input_tokens}|{self.compute_type or 'default'}")


class Engine:
    """One model with one engine. Subclasses implement `load`, `n_tokens`, the limits, `_generate`
    and (for confidence scores) `_score`.

    Scores are log-probabilities of output tokens under the model: the tokens of the text and the
    end-of-sentence token, never a forced language code (NLLB). `generate` gives them for the chosen
    output (CTranslate2 `return_scores`, transformers `output_scores`); `score` gives them for any
    given output (forced decoding: CTranslate2 `score_batch`, transformers with `labels`).

    Weights are shared: several engines (one per NLLB direction) on the same folder get the same
    loaded model from `pipeline.models`. Nothing loads before the first use.
    """

    name: ClassVar[str] = ""

    def __init__(self, ref: models.ModelRef, decoding: Decoding = Decoding()):
        self.ref, self.decoding = ref, decoding
        self.multilingual = ref.arch in ("nllb", "m2m100")
        self._loaded = False

    @classmethod
    def missing(cls, ref: models.ModelRef, decoding: Decoding) -> str | None:
        """Why this engine cannot serve `ref` (a message with the fix), or None when it can."""
        return None

    def load(self) -> None:
        if not self._loaded:
            self._load()
            self._loaded = True

    def _load(self) -> None:
        raise NotImplementedError

    def code(self, lang: str | None) -> str | None:
        """The model's code for a language (NLLB: "kaz_Cyrl"); None for one-direction models."""
        return models.NLLB_CODES[lang] if self.multilingual and lang else None

    def n_tokens(self, text: str, src: str | None = None) -> int:
        raise NotImplementedError

    def n_target_tokens(self, text: str, tgt: str | None = None) -> int:
        """Tokens of `text` as a given output (forced decoding), its end token included."""
        return self.n_tokens(text, tgt)

    def input_limit(self) -> int:
        """Most source tokens one model input may hold."""
        raise NotImplementedError

    def output_limit(self) -> int:
        """Most target tokens the model can produce."""
        raise NotImplementedError

    def generate(self, texts: list[str], max_new: int, src: str | None = None,
                 tgt: str | None = None) -> list[Generated]:
        """Encode, generate, decode one batch: (text, finished, logprob, tokens) per input; finished
        is False when the output stopped at `max_new` tokens instead of at the end-of-sentence
        token; logprob is the sum of the output tokens' log-probabilities over `tokens` tokens
        (None, 0 from an engine that gives no scores: a plugin returning (text, finished))."""
        self.load()
        out = self._generate(texts, max_new, self.code(src), self.code(tgt))
        return [r if len(r) == 4 else (r[0], r[1], None, 0) for r in out]

    def _generate(self, texts: list[str], max_new: int, src_code: str | None,
                  tgt_code: str | None) -> list[tuple]:
        raise NotImplementedError

    @property
    def can_score(self) -> bool:
        """Whether this engine scores given outputs (forced decoding)."""
        return type(self)._score is not Engine._score

    def score(self, sources: list[str], targets: list[str], src: str | None = None,
              tgt: str | None = None) -> list[tuple[float, int]]:
        """Forced decoding of one batch: (sum of log-probabilities, tokens) of each target given
        its source, counted as in `generate` (text tokens + end-of-sentence)."""
        self.load()
        return self._score(sources, targets, self.code(src), self.code(tgt))

    def _score(self, sources: list[str], targets: list[str], src_code: str | None,
               tgt_code: str | None) -> list[tuple[float, int]]:
        raise NotImplementedError(f"the {self.name} engine gives no forced-decoding scores")


def resolve_engine(name: str, ref: models.ModelRef, decoding: Decoding) -> type[Engine]:
    """The engine class for `name` ("auto": CTranslate2 where a converted model is present, else
    transformers). Raises ModelNotFound with the fix when the engine cannot serve this model."""
    from ..registry import engines

    if name == "auto":
        name = "ct2" if engines.get("ct2").missing(ref, decoding) is None else "hf"
    cls = engines.get(name)
    problem = cls.missing(ref, decoding)
    if problem:
        raise models.ModelNotFound(problem)
    return cls
