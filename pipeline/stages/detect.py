"""Language identification stages for en / ru / kk, per document, paragraph and sentence.

The decision procedure is `pipeline.text.langid.LanguageIdentifier` (script markers of neighbouring
languages, Latin-script Kazakh, the rules for Turkic neighbours, distractor languages -> `other`);
a stage only chooses the statistical model under it and labels the Document:

- `detect.lingua` (default): lingua-language-detector through `shared_detector`, the ONE detector
  per process that the QA checks use too;
- `detect.langdetect`: langdetect, which has no Kazakh profile: the project builds one at warm-up
  from its own Kazakh text (`pipeline/data/kk_profile.txt`) and adds Kazakh letter evidence.

Kazakh written in Latin script is labelled `kk` with `script = "Latn"`: each such segment keeps its
original in `source_text` and its `text` becomes the Cyrillic transliteration the models know.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..document import Document
from ..languages import OTHER, UNKNOWN
from ..stage import Stage
from ..text import kazakh_latin
from ..text.langid import (
    DATA,
    KK_ONLY,
    Detection,
    LanguageIdentifier,
    build_langdetect_profile,
    letters,
    shared_detector,
)


class Detector(Stage):
    """Labels paragraphs and segments, then the document. Subclasses say which identifier."""

    requires = frozenset({"doc.paragraphs"})
    assigns = frozenset({"doc.lang", "paragraph.lang", "segment.lang"})

    def __init__(self, min_letters: int = 3, min_confidence: float = 0.3, segment_min_chars: int = 40):
        self.min_letters = min_letters
        self.min_confidence = min_confidence
        self.segment_min_chars = segment_min_chars
        self._ident: LanguageIdentifier | None = None

    def _identifier(self) -> LanguageIdentifier:
        raise NotImplementedError

    def _load(self) -> None:
        self._ident = self._identifier()

    def detect_many(self, texts: list[str]) -> list[Detection]:
        """(lang, score) for each text, in order (each also has `.script`). lang is a configured
        language, `other` or `unknown`."""
        self.warm_up()
        assert self._ident is not None
        return self._ident.detect_many(texts)

    def detect(self, text: str) -> Detection:
        return self.detect_many([text])[0]

    def process_batch(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            forced = doc.source_lang
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
        opaque = [p for p in doc.paragraphs if getattr(p, "not_language", None)]  # flagged `not-language`
        for p in opaque:
            p.lang, p.score = OTHER, 0.0
            for s in p.segments:
                s.lang, s.score = OTHER, 0.0
        paras = [p for p in doc.paragraphs if not getattr(p, "not_language", None)]
        para_det = dict(zip((id(p) for p in paras), self.detect_many([p.text for p in paras]), strict=True))
        for p in paras:
            p.lang, p.score = para_det[id(p)]
        # Document language: the configured language with the most letters.
        weight: Counter[str] = Counter()
        for p in paras:
            if p.lang in self.languages:
                weight[p.lang] += len(letters(p.text)) * max(p.score, 0.05)
        if weight:
            doc.lang = weight.most_common(1)[0][0]
            doc.lang_score = round(weight[doc.lang] / sum(weight.values()), 4)
        else:
            doc.lang, doc.lang_score = (OTHER if any(p.lang == OTHER for p in doc.paragraphs) else UNKNOWN), 0.0
        for p in paras:
            if p.lang == UNKNOWN and doc.lang in self.languages:
                p.lang, p.score = doc.lang, 0.0
            elif doc.lang in self.languages and p.lang != doc.lang and _inherits(p, para_det[id(p)], doc.lang):
                # a short line, headline or contact line the model was unsure of: the body's language
                para_det[id(p)] = Detection(doc.lang, p.score, _SCRIPT.get(doc.lang, ""), reason="inherited")
                p.lang = doc.lang
        # Sentences: a long, confidently different sentence keeps its own label (a Russian quote
        # inside a Kazakh paragraph); the rest inherit the paragraph's label.
        long_ = [s for p in paras for s in p.segments if len(s.text) >= self.segment_min_chars]
        labels = dict(zip((id(s) for s in long_), self.detect_many([s.text for s in long_]), strict=True))
        for p in paras:
            for s in p.segments:
                det = labels.get(id(s), para_det[id(p)])
                if (len(p.segments) == 1 or det[0] == UNKNOWN or det[1] < max(self.min_confidence, 0.6)
                        or getattr(det, "weak", False)):
                    det = para_det[id(p)] if para_det[id(p)][0] == p.lang else Detection(p.lang, p.score)
                s.lang, s.score = det[0], det[1]
                alphabet = getattr(det, "alphabet", "") or getattr(para_det[id(p)], "alphabet", "")
                if s.lang == "kk" and alphabet:
                    _to_cyrillic(s, alphabet)
        self._flags(doc, para_det)

    def _flags(self, doc: Document, para_det: dict) -> None:
        for p in doc.paragraphs:
            det = para_det.get(id(p))
            if det is None:  # not language: flagged `not-language` by the stage that found it
                continue
            if p.lang == OTHER:
                doc.flag("lang-other", f"paragraph {p.index} is in a language outside "
                         f"{'/'.join(self.languages)}; it is not translated", segment=None)
            elif p.lang in self.languages and 0 < p.score < self.min_confidence and det.reason != "inherited":
                doc.flag("lang-uncertain", f"paragraph {p.index}: language {p.lang} detected with low "
                         f"confidence {p.score:.2f}")
            if p.lang == "kk" and getattr(det, "alphabet", ""):
                p.script = "Latn"
                doc.flag("kk-latin", f"paragraph {p.index} is Kazakh in Latin script ({det.alphabet} "
                         "alphabet); it is translated from a Cyrillic transliteration", severity="info")


_SCRIPT = {"en": "Latn", "ru": "Cyrl", "kk": "Cyrl"}
HEADLINE_CHARS = 150  # a heading up to this long takes the body's language unless its own letters decide


def _inherits(p, det: Detection, doc_lang: str) -> bool:
    """Does paragraph `p` (detected as `det`) take the document's language? Only without positive
    evidence of its own (a language's letters or words) and only within the same script: a short
    line the model guessed, a contact line, a headline."""
    if getattr(det, "reason", "") in ("letters", "words") or getattr(det, "alphabet", ""):
        return False
    if det.script and det.script != _SCRIPT.get(doc_lang, det.script):
        return False
    headline = p.kind == "heading" or (p.segments and all(getattr(s, "kind", "") == "headline" for s in p.segments))
    return getattr(det, "weak", False) or (headline and len(p.text) <= HEADLINE_CHARS and det.score < 0.9)


def _to_cyrillic(seg, alphabet: str) -> None:
    """A Latin-script Kazakh segment: keep the original, give the models the Cyrillic text."""
    lets = letters(seg.text)
    if not lets or sum(1 for c in lets if "\u0400" <= c <= "\u04ff") * 2 >= len(lets):
        return  # already Cyrillic (or no letters)
    if getattr(seg, "source_text", None) is None:
        seg.source_text = seg.text
    seg.text = kazakh_latin.to_cyrillic(seg.text, alphabet)
    seg.script = "Latn"


class LinguaDetector(Detector):
    """lingua-language-detector over the configured languages plus distractors, through the
    process-wide `shared_detector` (built once; lingua loads each language model on first use)."""

    def __init__(self, min_letters: int = 3, min_confidence: float = 0.3, segment_min_chars: int = 40,
                 distractors: list[str] | None = None, low_accuracy: bool = False):
        super().__init__(min_letters, min_confidence, segment_min_chars)
        self.distractors = distractors
        self.low_accuracy = low_accuracy

    def _identifier(self) -> LanguageIdentifier:
        return shared_detector(self.languages, self.distractors, self.low_accuracy, self.min_letters)


_LANGDETECT_DISTRACTORS = ["uk", "bg", "mk", "tr", "de", "fr", "es", "hr"]


class LangdetectDetector(Detector):
    """langdetect restricted to the configured languages, with a Kazakh profile built by the project.

    langdetect ships no Kazakh; `_load` builds one from `pipeline/data/kk_profile.txt`. Kazakh-only
    letters (ә ғ қ ұ һ і) multiply the Kazakh probability by `kk_letter_boost` per letter (capped),
    since a small profile alone under-weights them. Seeded: results are deterministic.
    """

    def __init__(self, min_letters: int = 3, min_confidence: float = 0.3, segment_min_chars: int = 40,
                 distractors: list[str] | None = None, seed: int = 0, kk_letter_boost: float = 4.0):
        super().__init__(min_letters, min_confidence, segment_min_chars)
        self.distractors = list(_LANGDETECT_DISTRACTORS) if distractors is None else distractors
        self.seed = seed
        self.kk_letter_boost = kk_letter_boost
        self._factory = None

    def _identifier(self) -> LanguageIdentifier:
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
        return LanguageIdentifier(self._scores, self.languages, self.min_letters)

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
