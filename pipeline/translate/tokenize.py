"""Subword tokenization without torch or transformers, for the CTranslate2 engine.

CTranslate2 takes and returns token strings. These tokenizers produce exactly the tokens the
transformers tokenizers produce for the same folder (tested against them):
- Marian / OPUS-MT: sentencepiece `source.spm` + `vocab.json` (pieces outside the vocabulary
  become `<unk>`), then `</s>`; decoding joins the pieces with the source model unless the
  vocabularies are separate;
- NLLB / M2M100 and others with a `tokenizer.json`: the `tokenizers` library; NLLB inputs are
  `[source language code] + pieces + </s>` (the non-legacy layout).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from .. import models

_CLEANUPS = ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
             (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"))


def _config(path: Path) -> dict:
    try:
        return json.loads((path / "tokenizer_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


class SubwordTokenizer:
    def __init__(self, path: Path):
        cfg = _config(path)
        self.model_max_length = int(min(cfg.get("model_max_length") or 10**6, 10**6))
        self.clean_up = bool(cfg.get("clean_up_tokenization_spaces", False))

    def encode(self, text: str, src_code: str | None = None) -> list[str]:
        raise NotImplementedError

    def decode(self, tokens: list[str]) -> str:
        raise NotImplementedError

    def encode_target(self, text: str) -> list[str]:
        """The target-side tokens of a given translation (for forced-decoding scores), without
        the end token and without a language code."""
        tokens = self.encode(text)
        return tokens[:-1] if tokens and tokens[-1] == getattr(self, "eos", None) else tokens

    def _finish(self, text: str) -> str:
        if self.clean_up:
            for a, b in _CLEANUPS:
                text = text.replace(a, b)
        return text.strip()


class MarianTokenizer(SubwordTokenizer):
    def __init__(self, path: Path):
        import sentencepiece as spm

        super().__init__(path)
        cfg = _config(path)
        self.vocab = json.loads((path / "vocab.json").read_text(encoding="utf-8"))
        self.separate = bool(cfg.get("separate_vocabs", False))
        self.unk, self.eos, self.pad = (cfg.get(k, d) for k, d in
                                        (("unk_token", "<unk>"), ("eos_token", "</s>"), ("pad_token", "<pad>")))
        self._special = re.compile("(" + "|".join(re.escape(t) for t in (self.eos, self.unk, self.pad)) + ")")
        self.source = spm.SentencePieceProcessor(model_file=str(path / "source.spm"))
        self.target = spm.SentencePieceProcessor(model_file=str(path / "target.spm"))
        target_vocab = path / "target_vocab.json"
        self.target_vocab = (json.loads(target_vocab.read_text(encoding="utf-8"))
                             if self.separate and target_vocab.exists() else self.vocab)

    def encode(self, text: str, src_code: str | None = None) -> list[str]:
        code = []
        if text.startswith(">>") and (end := text.find("<<")) != -1:  # a target-language code
            code, text = [text[:end + 2]], text[end + 2:]
        pieces = list(code)
        for i, chunk in enumerate(self._special.split(text)):  # special tokens written in the text
            if i % 2:
                pieces.append(chunk)
            elif chunk:
                pieces += self.source.encode(chunk, out_type=str)
        return [p if p in self.vocab else self.unk for p in pieces] + [self.eos]

    def encode_target(self, text: str) -> list[str]:
        """Target text is cut with the target model, as transformers' `text_target` does."""
        vocab = self.target_vocab
        return [p if p in vocab else self.unk for p in self.target.encode(text, out_type=str)]

    def decode(self, tokens: list[str]) -> str:
        special = {self.unk, self.eos, self.pad}
        pieces = [t if t in self.target_vocab else self.unk for t in tokens]
        pieces = [p for p in pieces if p not in special]
        sp = self.target if self.separate else self.source
        return self._finish(sp.decode_pieces(pieces).replace("\u2581", " "))


class JsonTokenizer(SubwordTokenizer):
    """A `tokenizer.json` through the `tokenizers` library (NLLB, M2M100, BART...)."""

    def __init__(self, path: Path, arch: str):
        from tokenizers import Tokenizer

        super().__init__(path)
        self.tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.language_prefix = arch in ("nllb", "m2m100")
        cfg = _config(path)
        self.eos = cfg.get("eos_token", "</s>")
        self.unk_id = self.tok.token_to_id(cfg.get("unk_token", "<unk>"))

    def encode(self, text: str, src_code: str | None = None) -> list[str]:
        if self.language_prefix:
            pieces = self.tok.encode(text, add_special_tokens=False).tokens
            return ([src_code] if src_code else []) + pieces + [self.eos]
        return self.tok.encode(text).tokens

    def encode_target(self, text: str) -> list[str]:
        if self.language_prefix:
            return self.tok.encode(text, add_special_tokens=False).tokens
        return super().encode_target(text)

    def decode(self, tokens: list[str]) -> str:
        ids = [self.tok.token_to_id(t) for t in tokens]
        ids = [self.unk_id if i is None else i for i in ids]
        return self._finish(self.tok.decode(ids, skip_special_tokens=True))


def load_subword_tokenizer(ref: models.ModelRef) -> SubwordTokenizer:
    """The torch-free tokenizer for a model folder (once per process)."""
    def build() -> SubwordTokenizer:
        if (ref.path / "source.spm").exists() and (ref.path / "vocab.json").exists():
            return MarianTokenizer(ref.path)
        if (ref.path / "tokenizer.json").exists():
            return JsonTokenizer(ref.path, ref.arch)
        raise models.ModelNotFound(f"{ref.path}: no tokenizer files (source.spm + vocab.json, or "
                                   "tokenizer.json) for the CTranslate2 engine")

    return models.cached(("subword", str(ref.path)), build)
