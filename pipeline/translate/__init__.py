"""Translators: one direction each, composed rather than configured by flags (as argos-translate).

- an `Engine` (engine.py; "hf" = transformers, "ct2" = CTranslate2, in `registry.engines`) is one
  loaded model that encodes, generates and decodes, with one frozen `Decoding` value;
- `Seq2SeqTranslator(engine, src, tgt)`: one direction of an engine (a multilingual NLLB model
  serves several directions through several translators sharing one loaded model);
- `IdentityTranslator(lang)`: the text is already in the target language;
- `PivotTranslator(first, second)`: kk->en->ru when no direct model exists;
- `CachedTranslator(inner, memory)`: the translation memory around any translator.
"""
from .base import CachedTranslator, IdentityTranslator, PivotTranslator, Translator
from .engine import Decoding, Engine
from .seq2seq import Seq2SeqTranslator

__all__ = ["Translator", "IdentityTranslator", "PivotTranslator", "CachedTranslator",
           "Seq2SeqTranslator", "Decoding", "Engine"]
