"""Language identification for en / ru / kk, per document, paragraph and sentence.

Two detectors share one decision procedure (`Detector`):
1. evidence: text with fewer than `min_letters` letters (numbers, a URL, an e-mail) is `unknown`
   and inherits the document's language;
2. script markers of neighbouring languages (Ukrainian ї є ґ, Belarusian ў, Uzbek ў ҳ and o‘/g‘,
   Tatar/Bashkir letters, Kyrgyz ө ү ң without any Kazakh-only letter) give `other`;
3. a statistical model scores the configured languages *plus* neighbouring "distractor" languages,
   so Ukrainian or Mongolian text is reported as `other` instead of being forced into ru or kk.

`detect.lingua` (default) uses lingua-language-detector (Rust n-gram models; it has Kazakh).
`detect.langdetect` uses langdetect, which has no Kazakh profile: the project builds one at warm-up
from its own Kazakh text (`pipeline/data/kk_profile.txt`) and adds Kazakh letter evidence.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..document import OTHER, UNKNOWN, Document
from ..stage import Stage
from ..text.langid import (_CYRILLIC, _NON_ASCII_LATIN, DATA, KK_ONLY, build_langdetect_profile,
                           evidence_text, letters, script_verdict)


class Detector(Stage):
    """Labels paragraphs and segments, then the document. Subclasses implement `_scores`."""

    def __init__(self, languages: list[str] | None = None, min_letters: int = 3,
                 min_confidence: float = 0.3, segment_min_chars: int = 40):
        self.languages = list(languages or ["en", "ru", "kk"])
        self.min_letters = min_letters
        self.min_confidence = min_confidence
        self.segment_min_chars = segment_min_chars

    # -- to implement ---------------------------------------------------------------------------
    def _scores(self, texts: list[str]) -> list[dict[str, float]]:
        """For each text, probabilities over configured languages and distractors (any other key)."""
        raise NotImplementedError

    # -- shared decision ------------------------------------------------------------------------
    def detect_many(self, texts: list[str]) -> list[tuple[str, float]]:
        """(lang, score) for each text, in order. lang is a configured language, `other` or `unknown`."""
        self.warm_up()
        out: list[tuple[str, float] | None] = [script_verdict(t, self.min_letters) for t in texts]
        todo = [i for i, v in enumerate(out) if v is None]
        for i, scores in zip(todo, self._scores([evidence_text(texts[i]) for i in todo]), strict=True):
            best = max(scores, key=scores.get) if scores else OTHER
            if best not in self.languages:
                out[i] = (OTHER, round(scores.get(best, 0.0), 4))
            else:
                out[i] = (best, round(scores[best], 4))
        return out  # type: ignore[return-value]

    def detect(self, text: str) -> tuple[str, float]:
        return self.detect_many([text])[0]

    def process_batch(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            forced = doc.metadata.get("source_lang")
            if forced:
                for p in doc.paragraphs:
                    p.lang, p.score = forced, 1.0
                    for s in p.segments:
                        s.lang, s.score = forced, 1.0
                doc.lang, doc.lang_score = forced, 1.0
                continue
            self._label(doc)
        return docs

    def _label(self, doc: Document) -> None:
        paras = doc.paragraphs
        for p, (lang, score) in zip(paras, self.detect_many([p.text for p in paras]), strict=True):
            p.lang, p.score = lang, score
        # Document language: the configured language with the most letters.
        weight: Counter[str] = Counter()
        for p in paras:
            if p.lang in self.languages:
                weight[p.lang] += len(letters(p.text)) * max(p.score, 0.05)
        if weight:
            doc.lang = weight.most_common(1)[0][0]
            total = sum(weight.values())
            doc.lang_score = round(weight[doc.lang] / total, 4)
        else:
            doc.lang, doc.lang_score = (OTHER if any(p.lang == OTHER for p in paras) else UNKNOWN), 0.0
        for p in paras:
            if p.lang == UNKNOWN and doc.lang in self.languages:
                p.lang, p.score = doc.lang, 0.0
        # Sentences: a long, confidently different sentence keeps its own label (a Russian quote
        # inside a Kazakh paragraph); the rest inherit the paragraph's label.
        segs = [s for p in paras for s in p.segments]
        long_ = [s for s in segs if len(s.text) >= self.segment_min_chars]
        labels = dict(zip((id(s) for s in long_), self.detect_many([s.text for s in long_]), strict=True))
        for p in paras:
            for s in p.segments:
                lang, score = labels.get(id(s), (p.lang, p.score))
                if len(p.segments) == 1 or lang == UNKNOWN or score < max(self.min_confidence, 0.6):
                    lang, score = p.lang, p.score
                s.lang, s.score = lang, score
        for p in paras:
            if p.lang == OTHER:
                doc.flag("lang-other", f"paragraph {p.index} is in a language outside "
                         f"{'/'.join(self.languages)}; it is not translated", segment=None)
            elif p.lang in self.languages and 0 < p.score < self.min_confidence:
                doc.flag("lang-uncertain", f"paragraph {p.index}: language {p.lang} detected with low "
                         f"confidence {p.score:.2f}")


_LINGUA_NAMES = {
    "en": "ENGLISH", "ru": "RUSSIAN", "kk": "KAZAKH",
    # Distractors: Cyrillic neighbours, and Latin-script languages that Uzbek/Turkic Latin resembles.
    "uk": "UKRAINIAN", "be": "BELARUSIAN", "bg": "BULGARIAN", "mk": "MACEDONIAN", "sr": "SERBIAN",
    "mn": "MONGOLIAN", "tr": "TURKISH", "az": "AZERBAIJANI", "de": "GERMAN", "fr": "FRENCH",
    "es": "SPANISH",
}
_CYRILLIC_LANGS = {"ru", "kk", "uk", "be", "bg", "mk", "sr", "mn"}
_DEFAULT_DISTRACTORS = ["uk", "be", "bg", "mk", "sr", "mn", "tr", "az", "de", "fr", "es"]


class LinguaDetector(Detector):
    """lingua-language-detector restricted to the configured languages plus distractors.

    Text is routed by script to a detector over the languages written in it (faster, and no
    Latin-script distractor can win on Cyrillic text). Short plain-ASCII text (under 60 characters,
    no diacritics) is scored over the configured Latin-script languages only: lingua cannot tell a
    four-word English headline from Turkish or German reliably, and in this domain it is English.
    """

    def __init__(self, languages: list[str] | None = None, min_letters: int = 3,
                 min_confidence: float = 0.3, segment_min_chars: int = 40,
                 distractors: list[str] | None = None, low_accuracy: bool = False):
        super().__init__(languages, min_letters, min_confidence, segment_min_chars)
        self.distractors = list(_DEFAULT_DISTRACTORS) if distractors is None else distractors
        self.low_accuracy = low_accuracy
        self._detectors: dict[str, object] = {}
        self._names: dict[object, str] = {}

    def _load(self) -> None:
        from lingua import Language, LanguageDetectorBuilder

        codes = [c for c in dict.fromkeys([*self.languages, *self.distractors]) if c in _LINGUA_NAMES]
        langs = {c: getattr(Language, _LINGUA_NAMES[c]) for c in codes}
        self._names = {v: k for k, v in langs.items()}
        groups = {
            "cyr": [c for c in codes if c in _CYRILLIC_LANGS],
            "lat": [c for c in codes if c not in _CYRILLIC_LANGS],
            "lat_core": [c for c in self.languages if c not in _CYRILLIC_LANGS],
            "all": codes,
        }
        for key, group in groups.items():
            if len(group) >= 2:
                builder = LanguageDetectorBuilder.from_languages(*(langs[c] for c in group))
                builder = builder.with_preloaded_language_models()
                if self.low_accuracy:
                    builder = builder.with_low_accuracy_mode()
                self._detectors[key] = builder.build()
            elif group:
                self._detectors[key] = group[0]  # a single candidate: nothing to compute

    def _route(self, text: str) -> str:
        lets = letters(text)
        cyr = len(_CYRILLIC.findall(lets))
        if cyr == len(lets):
            return "cyr"
        if cyr == 0:
            if len(text) < 60 and not _NON_ASCII_LATIN.search(lets) and "lat_core" in self._detectors:
                return "lat_core"
            return "lat"
        return "all"

    def _scores(self, texts: list[str]) -> list[dict[str, float]]:
        out: list[dict[str, float]] = [{} for _ in texts]
        routed: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            routed.setdefault(self._route(text), []).append(i)
        for key, idx in routed.items():
            det = self._detectors.get(key) or self._detectors["all"]
            if isinstance(det, str):
                for i in idx:
                    out[i] = {det: 1.0}
                continue
            batch = [texts[i] for i in idx]
            if len(batch) >= 16:
                results = det.compute_language_confidence_values_in_parallel(batch)
            else:
                results = [det.compute_language_confidence_values(t) for t in batch]
            for i, r in zip(idx, results, strict=True):
                out[i] = {self._names[c.language]: c.value for c in r}
        return out


_LANGDETECT_DISTRACTORS = ["uk", "bg", "mk", "tr", "de", "fr", "es"]


class LangdetectDetector(Detector):
    """langdetect restricted to the configured languages, with a Kazakh profile built by the project.

    langdetect ships no Kazakh; `_load` builds one from `pipeline/data/kk_profile.txt`. Kazakh-only
    letters (ә ғ қ ұ һ і) multiply the Kazakh probability by `kk_letter_boost` per letter (capped),
    since a small profile alone under-weights them. Seeded: results are deterministic.
    """

    def __init__(self, languages: list[str] | None = None, min_letters: int = 3,
                 min_confidence: float = 0.3, segment_min_chars: int = 40,
                 distractors: list[str] | None = None, seed: int = 0, kk_letter_boost: float = 4.0):
        super().__init__(languages, min_letters, min_confidence, segment_min_chars)
        self.distractors = list(_LANGDETECT_DISTRACTORS) if distractors is None else distractors
        self.seed = seed
        self.kk_letter_boost = kk_letter_boost
        self._factory = None

    def _load(self) -> None:
        import json
        import os

        import langdetect
        from langdetect.detector_factory import DetectorFactory

        factory = DetectorFactory()
        factory.seed = self.seed
        profiles_dir = Path(os.path.dirname(langdetect.__file__)) / "profiles"
        profiles = []
        for code in [*self.languages, *self.distractors]:
            if code == "kk":
                profiles.append(json.dumps(build_langdetect_profile(
                    "kk", (DATA / "kk_profile.txt").read_text(encoding="utf-8"))))
            elif (profiles_dir / code).exists():
                profiles.append((profiles_dir / code).read_text(encoding="utf-8"))
        factory.load_json_profile(profiles)
        self._factory = factory

    def _scores(self, texts: list[str]) -> list[dict[str, float]]:
        from langdetect.lang_detect_exception import LangDetectException

        assert self._factory is not None
        out = []
        for text in texts:
            det = self._factory.create()
            det.append(text)
            try:
                probs = {p.lang: p.prob for p in det.get_probabilities()}
            except LangDetectException:
                probs = {}
            kk_letters = sum(1 for ch in text if ch in KK_ONLY)
            if "kk" in self.languages and kk_letters:
                probs["kk"] = max(probs.get("kk", 0.0), 1e-3) * self.kk_letter_boost ** min(kk_letters, 3)
                total = sum(probs.values())
                probs = {k: v / total for k, v in probs.items()}
            out.append(probs)
        return out
