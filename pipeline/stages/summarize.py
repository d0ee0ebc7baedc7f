"""Short summaries in every language of the document.

`summarize.extractive` (default, no model): picks whole sentences of the document, aware of press
releases: the title and the lead carry the news; datelines are stripped; direct quotes weigh less;
contact blocks, "For more information", photo credits and phone/e-mail lines are never chosen. Scores combine position,
overlap with the title and the weight of the sentence's content words (stop-word lists for en, ru
and kk live in `pipeline/data`). The summary in each target language is the translation of the
chosen sentences (the translate stage's output, or the bound translator when there is none).

`summarize.hf`: abstractive, with a transformers seq2seq model per language from the catalog.
A language without a model (Kazakh: there is no trustworthy public Kazakh summariser) falls back to
the extractive summary. `mode = "translate"` (default) summarises once in the source language and
translates the summary; `mode = "each"` summarises each translation in its own language.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ..document import Document, Paragraph, Segment
from ..text.sentences import split_sentences
from ..translate.engine import Decoding, Engine
from ..translate.seq2seq import generate_all
from ..stage import Stage

_DATA = Path(__file__).resolve().parents[1] / "data"
#: paragraph kinds that never go into a summary (tables, page headers and footers, foot/endnotes)
NOT_SUMMARISED = frozenset({"table", "header", "footer", "note"})
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_BOILERPLATE = re.compile(
    r"(for more information|for further information|media contact|press contact|contact:|"
    r"photo:|photo credit|source:|###|"
    r"для получения (дополнительной )?информации|дополнительная информация|контакты|фото:|источник:|"
    r"пресс-служба[^.]*тел|"
    r"қосымша ақпарат|толық ақпарат|байланыс|фото:|сурет:|дереккөз:|"
    r"\btel\.|\bтел\.|[\w.+-]+@[\w-]+\.\w+|https?://|\+\d[\d ()-]{7,})", re.I)
# "Shymkent, 14 March 2024 —", "Қызылорда, 2024 жылғы 5 сәуір —", "ALMATY, April 22 (CADAP) –"
# Direct speech: colour, not news ("«...», — отметила", "“...,” he said", "«...» — деді").
_QUOTE = re.compile(r"^\s*[«“\"„]|[»”\"]\s*[,.]?\s*[—–-]\s*\w+|\b(he|she) (said|noted|underlined)\b", re.I)
_DATELINE = re.compile(r"^[^\W\d_][\w .-]{1,40},\s[^—–]{3,45}?\s[—–-]{1,2}\s+")


@lru_cache(maxsize=None)
def stopwords(lang: str) -> frozenset[str]:
    path = _DATA / f"stopwords_{lang}.txt"
    return frozenset(path.read_text(encoding="utf-8").split()) if path.exists() else frozenset()


def content_words(text: str, lang: str) -> list[str]:
    """Lower-cased content words, cut to a 6-letter stem for ru/kk (inflection, agglutination)."""
    stop = stopwords(lang)
    words = [w.lower() for w in _WORD.findall(text)]
    cut = 6 if lang in ("ru", "kk") else 8
    return [w[:cut] for w in words if w not in stop and len(w) > 2]


def strip_dateline(text: str) -> str:
    return _DATELINE.sub("", text, count=1)


def is_boilerplate(text: str) -> bool:
    return bool(_BOILERPLATE.search(text))


def is_title(p: Paragraph) -> bool:
    return p.kind == "heading" or (p.index == 0 and not p.text.rstrip().endswith((".", "!", "?", "…"))
                                   and len(p.text) < 250)


def count_words(text: str) -> int:
    return len(text.split())


class ExtractiveSummarizer(Stage):
    """`summarize.extractive`: the N best sentences (or at most W words), in document order."""

    requires = frozenset({"doc.segments", "doc.lang"})
    assigns = frozenset({"doc.summaries"})

    def __init__(self, sentences: int = 3, words: int = 0, lead_weight: float = 1.0,
                 quote_weight: float = 0.5, translate_with: str = "translate"):
        self.sentences, self.words = sentences, words
        self.lead_weight, self.quote_weight = lead_weight, quote_weight
        self.translate_with = translate_with
        self.translator = None

    def uses(self) -> dict[str, str]:
        """The one declared link: the summary is translated by the stage named `translate_with`."""
        return {"translator": self.translate_with}

    def bind(self, role: str, stage: Stage | None) -> None:
        self.translator = stage

    def rank(self, doc: Document, lang: str | None = None) -> list[tuple[float, Segment]]:
        """Candidate sentences with their scores (best first)."""
        lang = lang or doc.lang
        title_words: set[str] = set()
        candidates: list[tuple[int, Segment]] = []
        for p in doc.paragraphs:
            if is_title(p):
                title_words |= set(content_words(p.text, lang))
                continue
            if p.kind in NOT_SUMMARISED or (p.lang not in (lang, "unknown") and p.lang != doc.lang):
                continue
            for s in p.segments or [Segment(f"p{p.index}s0", p.text)]:
                if (s.kind in ("dateline", "headline") or getattr(s, "not_language", None)
                        or count_words(s.text) < 4 or is_boilerplate(s.text)):  # cheap tests first
                    continue
                candidates.append((len(candidates), s))
        if not candidates:
            return []
        freq: Counter[str] = Counter()
        for _, s in candidates:
            freq.update(set(content_words(s.text, lang)))
        n = len(candidates)
        ranked = []
        for pos, s in candidates:
            words = content_words(strip_dateline(s.text), lang)
            if not words:
                continue
            centrality = sum(math.log1p(freq[w]) for w in set(words)) / math.sqrt(len(words) + 1)
            title = len(set(words) & title_words) / (len(title_words) or 1)
            lead = self.lead_weight * (1.5 if pos == 0 else 1.0 / (1 + pos))
            score = centrality / max(1.0, math.log(n + 1)) + 2 * title + lead
            if _QUOTE.search(s.text):
                score *= self.quote_weight
            ranked.append((score, s))
        ranked.sort(key=lambda x: -x[0])
        return ranked

    def select(self, doc: Document, sentences: int | None = None, words: int | None = None) -> list[Segment]:
        sentences = self.sentences if sentences is None else sentences
        words = self.words if words is None else words
        chosen: list[Segment] = []
        budget = words or 0
        for _, s in self.rank(doc):
            n = count_words(strip_dateline(s.text))
            if budget and sum(count_words(strip_dateline(c.text)) for c in chosen) + n > budget:
                continue
            chosen.append(s)
            if not budget and len(chosen) >= sentences:
                break
        order = {id(s): i for i, s in enumerate(doc.segments)}
        return sorted(chosen, key=lambda s: order.get(id(s), 0))

    def summarize(self, doc: Document, sentences: int | None = None, words: int | None = None) -> dict[str, str]:
        chosen = self.select(doc, sentences, words)
        if not chosen and doc.segments:  # nothing but boilerplate: fall back to the lead
            chosen = doc.segments[:1]
        out = {doc.lang: " ".join(strip_dateline(s.text) for s in chosen)}
        for tgt in doc.targets:
            if tgt == doc.lang:
                continue
            texts = []
            missing = [s for s in chosen if tgt not in s.translations]
            can_translate = self.translator is not None and doc.lang in self.translator.languages
            if missing and can_translate:
                for s, t in zip(missing, self.translator.translate_texts([s.text for s in missing], doc.lang, tgt), strict=True):
                    s.translations[tgt] = t
            for s in chosen:
                texts.append(strip_dateline(s.translations.get(tgt, s.text)))
            out[tgt] = " ".join(texts)
        if words:
            out = {k: _trim_words(v, words) for k, v in out.items()}
        return out

    def process_batch(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            doc.summaries.update(self.summarize(doc))
        return docs


def _trim_words(text: str, words: int) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]).rstrip(",;:") + "…"


class HFSummarizer(ExtractiveSummarizer):
    """`summarize.hf`: abstractive summaries with a seq2seq model per language."""

    def __init__(self, models: dict[str, str] | None = None, mode: str = "translate",
                 max_new_tokens: int = 96, beams: int = 4, sentences: int = 3, words: int = 0,
                 device: str = "cpu", translate_with: str = "translate"):
        super().__init__(sentences=sentences, words=words, translate_with=translate_with)
        self.models = dict({"en": "distilbart-cnn-12-6", "ru": "rut5-base-sum-gazeta"} if models is None else models)
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode, self.max_new_tokens = mode, max_new_tokens
        self.decoding = Decoding(beams=beams, device=device)
        self._loaded: dict[str, Engine] = {}

    @classmethod
    def check_params(cls, params: dict) -> list[tuple[str, str]]:
        if params.get("mode", "translate") not in MODES:
            return [("mode", f"must be 'translate' or 'each', not {params['mode']!r}")]
        return []

    def model_refs(self) -> dict[str, str]:
        return dict(self.models)

    def _load(self) -> None:
        from .. import models as model_store
        from ..translate.hf import HFEngine

        for lang, ref in self.models.items():
            engine = HFEngine(model_store.resolve(ref, self.context.config_dir), self.decoding)
            engine.load()
            self._loaded[lang] = engine

    def abstractive(self, text: str, lang: str) -> str:
        # the translators' path: split to the input limit (never truncated), generate, decode
        summary = generate_all(self._loaded[lang], [text], max_new=self.max_new_tokens)[0]
        if self.words:
            summary = _trim_words(summary, self.words)
        return summary

    def _source_text(self, doc: Document, lang: str, translated: bool) -> str:
        paras = []
        for p in doc.paragraphs:
            if is_title(p) or p.kind in NOT_SUMMARISED:
                continue
            text = p.translation(lang) if translated else p.text
            sents = [s for s, _ in split_sentences(text) if not is_boilerplate(s)]
            if sents:
                paras.append(strip_dateline(" ".join(sents)))
        return "\n".join(paras)

    def summarize(self, doc: Document, sentences: int | None = None, words: int | None = None) -> dict[str, str]:
        self.warm_up()
        extractive = super().summarize(doc, sentences, words)
        langs = [doc.lang] + [t for t in doc.targets if t != doc.lang]
        return MODES[self.mode](self, doc, langs, extractive)

    def _summarise_then_translate(self, doc: Document, langs: list[str], extractive: dict[str, str]) -> dict[str, str]:
        """mode "translate": one abstractive summary in the source language, translated."""
        if doc.lang not in self._loaded:
            return {lang: extractive[lang] for lang in langs}
        base = self.abstractive(self._source_text(doc, doc.lang, False), doc.lang)
        can_translate = self.translator is not None and doc.lang in self.translator.languages
        out = {}
        for lang in langs:
            if lang == doc.lang:
                out[lang] = base
            elif can_translate:
                out[lang] = " ".join(self.translator.translate_texts([s for s, _ in split_sentences(base)],
                                                                     doc.lang, lang))
            else:
                out[lang] = extractive[lang]
        return out

    def _summarise_each(self, doc: Document, langs: list[str], extractive: dict[str, str]) -> dict[str, str]:
        """mode "each": each translation summarised in its own language where a model exists."""
        return {lang: self.abstractive(self._source_text(doc, lang, lang != doc.lang), lang)
                if lang in self._loaded else extractive[lang] for lang in langs}


#: summarize.hf's `mode` -> how the summaries in every language are made
MODES = {"translate": HFSummarizer._summarise_then_translate, "each": HFSummarizer._summarise_each}
