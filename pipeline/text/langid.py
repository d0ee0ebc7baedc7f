"""Language identification core for en / ru / kk: one decision procedure, one shared detector.

`shared_detector(languages)` returns the process-wide `LanguageIdentifier` over lingua for those
languages: built once (cheap: lingua loads each language model lazily, on first use, and only for
the script of the text), used by the detect stage *and* by the QA checks (wrong-language checks
on translations, sentence by sentence, batched with `detect_many`).

The decision for one text (`LanguageIdentifier.detect_many`):
1. normalise (look-alike letters, invisible characters: `pipeline.text.normalize`);
2. too few letters (numbers, a URL) -> `unknown`; letters of neighbouring alphabets -> `other`;
3. Latin-script Kazakh (2017/2018/2021 alphabets) is transliterated to Cyrillic and decided as
   Cyrillic: `kk` with `script="Latn"`, or whatever else the Cyrillic text is;
4. the statistical model scores the configured languages plus distractors (Ukrainian, Mongolian,
   Turkish...) on the evidence text (quotations and names dropped);
5. rules for the neighbours no model knows (`pipeline.text.langid_rules`): Kyrgyz, Tatar, Turkmen
   called kk, Kazakh called ru, Uzbek or Serbian Latin called en;
6. a winner outside the configured languages -> `other`.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from ..languages import DEFAULT_DISTRACTORS, LINGUA_NAMES, OTHER, SUPPORTED, UNKNOWN
from . import kazakh_latin
from .langid_rules import (
    CYRILLIC,
    KK_ONLY,
    english_words,
    evidence_text,
    latin_neighbour,
    letters,
    other_script_markers,
    turkic_verdict,
)
from .langid_evidence import (
    contact_line,
    distractor_evidence,
    karakalpak_latin,
    russian_not_kazakh,
    russian_with_kazakh_words,
    without_names,
)
from .normalize import normalize

__all__ = [
    "DATA",
    "KK_ONLY",
    "Detection",
    "LanguageIdentifier",
    "build_langdetect_profile",
    "evidence_text",
    "letters",
    "lingua_scorer",
    "shared_detector",
]

DATA = Path(__file__).resolve().parents[1] / "data"
MAX_CHARS = 2000
LONG_TEXT = 60
_KAZAKH_LETTER = re.compile(r"[әғқұһӘҒҚҰҺ]")
_KAZAKH_ANY = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_ROUND_NG = re.compile(r"[өүңӨҮҢ]")
SURE_LETTERS = 20  # a model's answer on fewer letters than this is a guess, not evidence
WEAK_REASONS = frozenset({"short", "fallback", "contact"})
Scorer = Callable[[list[str]], list[dict[str, float]]]



class Detection(tuple):
    """(lang, score) — a tuple, so `lang, score = d` works — plus `script` ("Cyrl", "Latn" or ""),
    for Latin-script Kazakh the `alphabet` it was written in ("2017", "2018", "2021"), and `reason`:
    what decided it. "letters" and "words" are positive evidence (a language's own letters or
    words), "model" a confident statistical answer on enough text; "short" (a model's answer on a
    short line), "fallback" (the model preferred a language outside the configured ones with no
    evidence of it) and "contact" (an address, e-mail or phone line) are weak: in a document such a
    line takes its document's language (`pipeline.stages.detect`)."""

    def __new__(cls, lang: str, score: float, script: str = "", alphabet: str = "", reason: str = ""):
        obj = super().__new__(cls, (lang, score))
        obj.script, obj.alphabet, obj.reason = script, alphabet, reason
        return obj

    @property
    def weak(self) -> bool:
        return self.reason in WEAK_REASONS

    lang = property(lambda self: self[0])
    score = property(lambda self: self[1])


def _script(text: str) -> str:
    lets = letters(text)
    if not lets:
        return ""
    return "Cyrl" if len(CYRILLIC.findall(lets)) * 2 >= len(lets) else "Latn"


class LanguageIdentifier:
    """The decision procedure over a statistical `scorer` (lingua or langdetect)."""

    def __init__(self, scorer: Scorer, languages: Sequence[str] = SUPPORTED, min_letters: int = 3):
        self.scorer = scorer
        self.languages = list(languages)
        self.min_letters = min_letters

    def detect(self, text: str) -> Detection:
        return self.detect_many([text])[0]

    def detect_many(self, texts: Sequence[str]) -> list[Detection]:
        """One Detection per text, in order: a configured language, `other` or `unknown`."""
        out: list[Detection | None] = [None] * len(texts)
        todo: dict[int, str] = {}  # index -> text for the model (Cyrillic for Latin-script Kazakh)
        latin_kk: dict[int, str] = {}
        # The first MAX_CHARS characters tell the language as well as the whole text does, and keep
        # the model's cost bounded on a 200 kB paragraph without spaces (issue 15).
        norm = [normalize(t[:MAX_CHARS]).text for t in texts]
        for i, text in enumerate(norm):
            guess = None
            if "kk" in self.languages and _script(text) == "Latn" and english_words(text) < 2:
                guess = kazakh_latin.latin_alphabet(text)
            # the 2017 Kazakh alphabet writes o' g' like Uzbek: not a marker of `other` there
            verdict = self._by_script(text, apostrophes=not guess or guess[0] != "2017")
            if verdict is None and _script(text) == "Latn" and karakalpak_latin(text):
                verdict = Detection(OTHER, 0.8, "Latn", reason="letters")
            if verdict is None and contact_line(text):
                verdict = self._contact(text)
            if verdict is not None:
                out[i] = verdict
                continue
            todo[i] = text
            if guess:
                cyr = kazakh_latin.to_cyrillic(text, guess[0])
                if self._by_script(cyr) is None:
                    todo[i] = cyr
                    latin_kk[i] = guess[0]
        self._score_and_decide(todo, latin_kk, out)
        retry = {i: norm[i] for i in latin_kk if out[i][0] != "kk"}  # not Kazakh after all: as Latin
        if retry:
            self._score_and_decide(retry, {}, out)
            for i in retry:
                if out[i][0] != OTHER and other_script_markers(norm[i]):
                    out[i] = Detection(OTHER, 0.9, "Latn")
        return out  # type: ignore[return-value]

    def _score_and_decide(self, todo: dict[int, str], latin_kk: dict[int, str], out: list) -> None:
        idx = list(todo)
        # names written with Kazakh letters in a Russian line are no evidence of Kazakh
        evidence = [without_names(todo[i]) or evidence_text(todo[i]) if not latin_kk.get(i) else evidence_text(todo[i])
                    for i in idx]
        for i, ev, scores in zip(idx, evidence, self.scorer(evidence), strict=True):
            out[i] = self._decide(todo[i], ev, scores, latin_kk.get(i, ""))

    def _by_script(self, text: str, apostrophes: bool = True) -> Detection | None:
        lets = letters(text)
        if len(lets) < self.min_letters:
            return Detection(UNKNOWN, 0.0)
        marked = other_script_markers(text, apostrophes)
        if marked and marked * 200 >= len(lets):
            return Detection(OTHER, 0.9, _script(text), reason="letters")
        return None

    def _contact(self, text: str) -> Detection:
        """An address/e-mail/phone line: the configured language of its script, marked weak."""
        script = _script(text)
        return Detection(self._of_script(script, text, {}), 0.5, script, reason="contact")

    def _of_script(self, script: str, text: str, scores: dict[str, float]) -> str:
        """The configured language the scores prefer among those written in `script`."""
        kazakh = any(ch in _KAZAKH_ANY for ch in text)
        pool = [c for c in self.languages if (c == "en") == (script == "Latn")] or list(self.languages)
        if "kk" in pool and len(pool) > 1:  # Cyrillic: Kazakh needs a letter of its own
            return "kk" if kazakh else max((c for c in pool if c != "kk"), key=lambda c: scores.get(c, 0.0))
        return max(pool, key=lambda c: (scores.get(c, 0.0), c == "ru", c == "en"))

    def _decide(self, text: str, evidence: str, scores: dict[str, float], alphabet: str) -> Detection:
        best = max(scores, key=scores.get) if scores else OTHER
        score = scores.get(best, 0.0)
        script = _script(text)
        n_letters = len(letters(evidence))
        reason = "model" if n_letters >= SURE_LETTERS else "short"
        if script == "Cyrl" and "ru" in self.languages and not alphabet and russian_with_kazakh_words(text):
            return Detection("ru", round(max(scores.get("ru", 0.0), 0.5), 4), script, reason="words")
        if script == "Cyrl" and best in ("kk", "ru", "mn"):
            changed = turkic_verdict(text, evidence, best, from_latin=bool(alphabet))
            if changed == OTHER:
                return Detection(OTHER, 0.7, "Latn" if alphabet else script, reason="words")
            if changed == "kk" and "kk" in self.languages:
                best, score, reason = "kk", max(scores.get("kk", 0.0), 0.5), "letters"
        if script == "Latn" and not alphabet and best in ("en", *self.languages) and latin_neighbour(evidence):
            return Detection(OTHER, 0.7, script, reason="words")
        if alphabet:
            if best != "kk":
                return Detection(OTHER, round(score, 4), "Latn", reason="words")
            return Detection("kk", round(score, 4), "Latn", alphabet, reason="letters")
        if best not in self.languages:
            # a language outside the configured ones: only on its own words, or on a confident
            # answer over enough text; else the configured language the model ranks next
            if distractor_evidence(evidence, best):
                return Detection(OTHER, round(score, 4), script, reason="words")
            if (n_letters >= SURE_LETTERS and score >= 0.55) or (score >= 0.9 and n_letters >= 10):
                return Detection(OTHER, round(score, 4), script, reason="model")
            best = self._of_script(script, evidence, scores)
            return Detection(best, round(scores.get(best, 0.0), 4), script, reason="fallback")
        if best == "kk" and "ru" in self.languages and script == "Cyrl" and russian_not_kazakh(evidence):
            return Detection("ru", round(max(scores.get("ru", 0.0), 0.5), 4), script, reason="words")
        if best == "kk" and any(ch in KK_ONLY for ch in text):
            reason = "letters"
        return Detection(best, round(score, 4), script, reason=reason)


def lingua_scorer(languages: Sequence[str], distractors: Sequence[str] = DEFAULT_DISTRACTORS,
                  low_accuracy: bool = False) -> Scorer:
    """A scorer over ONE lingua detector for `languages` + `distractors` (lingua itself keeps only
    the languages written in the text's script). Short plain-ASCII text (under 60 characters, no
    diacritics) is English when English is configured: lingua cannot tell a four-word English
    headline from Turkish or German reliably, and the Latin-neighbour rules run after."""
    from lingua import Language, LanguageDetectorBuilder

    codes = [c for c in dict.fromkeys([*languages, *distractors]) if c in LINGUA_NAMES]
    langs = {c: getattr(Language, LINGUA_NAMES[c]) for c in codes}
    names = {v: k for k, v in langs.items()}
    builder = LanguageDetectorBuilder.from_languages(*langs.values())
    # Two views of the same languages; lingua loads a model only when a text first needs it.
    # Long text (>= LONG_TEXT characters) is scored on trigrams alone ("low accuracy" mode, as
    # accurate there and ~10x quicker to load); short text on 1- to 5-grams unless `low_accuracy`.
    fast = builder.with_low_accuracy_mode().build()
    precise = fast if low_accuracy else LanguageDetectorBuilder.from_languages(*langs.values()).build()
    english_short = "en" in languages
    kazakh = "kk" in languages

    def score(texts: list[str]) -> list[dict[str, float]]:
        out: list[dict[str, float]] = [{} for _ in texts]
        todo = []
        for i, text in enumerate(texts):
            lets = letters(text)
            if english_short and len(text) < 60 and lets.isascii():
                out[i] = {"en": 1.0}
            elif kazakh and (_KAZAKH_LETTER.search(lets) or ("і" in lets and _ROUND_NG.search(lets))) and (
                    len(CYRILLIC.findall(lets)) * 2 >= len(lets)):  # mostly Cyrillic: not an English quote
                # ә ғ қ ұ һ, or і with ө ү ң: no other language the model knows writes them
                out[i] = {"kk": 1.0}
            else:
                todo.append(i)
        for detector, idx in ((precise, [i for i in todo if len(texts[i]) < LONG_TEXT]),
                              (fast, [i for i in todo if len(texts[i]) >= LONG_TEXT])):
            batch = [texts[i] for i in idx]
            if len(batch) >= 16:
                results = detector.compute_language_confidence_values_in_parallel(batch)
            else:
                results = [detector.compute_language_confidence_values(t) for t in batch]
            for i, res in zip(idx, results, strict=True):
                out[i] = {names[c.language]: c.value for c in res}
        return out

    return score


_LOCK = threading.Lock()


@lru_cache(maxsize=8)
def _shared(languages: tuple[str, ...], distractors: tuple[str, ...], low_accuracy: bool,
            min_letters: int) -> LanguageIdentifier:
    from importlib.metadata import version

    from .langid_cache import cached

    identity = f"lingua {version('lingua-language-detector')}|{','.join(languages)}|{','.join(distractors)}|{low_accuracy}"
    return LanguageIdentifier(cached(lingua_scorer(languages, distractors, low_accuracy), identity),
                              languages, min_letters)


def shared_detector(languages: Sequence[str] = SUPPORTED, distractors: Sequence[str] | None = None,
                    low_accuracy: bool = False, min_letters: int = 3) -> LanguageIdentifier:
    """The process-wide identifier for these settings: built once, shared by every caller
    (detect stage, QA checks). Thread-safe."""
    with _LOCK:
        return _shared(tuple(languages), tuple(DEFAULT_DISTRACTORS if distractors is None else distractors),
                       low_accuracy, min_letters)


def build_langdetect_profile(name: str, text: str) -> dict:
    """A langdetect profile (n-gram counts, 1..3 characters) from raw text, as langdetect builds its own."""
    from langdetect.utils.lang_profile import LangProfile

    profile = LangProfile(name)
    for line in text.splitlines():
        profile.update(line)
    profile.omit_less_freq()
    return {"name": name, "freq": dict(profile.freq), "n_words": profile.n_words}
