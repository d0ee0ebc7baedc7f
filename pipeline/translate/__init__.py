"""Translators: one direction each, composed rather than configured by flags (as argos-translate).

- `HFTranslator` (transformers) / `CT2Translator` (CTranslate2): one model, one direction; a
  multilingual NLLB model serves several directions through several translators sharing one model;
- `PivotTranslator(first, second)`: kk->en->ru when no direct model exists;
- `CachedTranslator(inner, memory)`: the translation memory around any translator.
"""
from .base import CachedTranslator, PivotTranslator, Translator
from .seq2seq import Seq2SeqTranslator

__all__ = ["Translator", "PivotTranslator", "CachedTranslator", "Seq2SeqTranslator"]
