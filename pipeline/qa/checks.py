"""The checks: a table of (name, severity, function), each function taking a `Context` (one pair
plus what the engine computed for it) and yielding `Flag`s with a code and a span.

Inspired by translate-toolkit's pofilter tests, Xbench and Verifika, kept to what matters in a
press release: numbers, links and contacts, names, language, completeness, loops, punctuation
pairs, and the organisation's terminology.
"""
from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..document import Flag
from . import entities, foreign, quotes, repeats
from .flags import Pair, span
from .glossary import Glossary, dnt_missing
from .numcheck import check_numbers

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_END_PUNCT = re.compile(r"[.!?…:;]['\"»”’)\]]*\s*$")
# A sentence does not end on a preposition or a conjunction: "... with the help of." is cut short.
_DANGLING = re.compile(r"(?<![\w-])(?:and|or|the|a|an|of|to|in|for|with|on|at|by|from|that|which|but|"
                       r"и|в|во|на|с|со|по|для|что|к|из|о|об|от|а|но|или|как|при|за|у|которые|который|"
                       r"мен|пен|бен|және|үшін|бірақ|немесе|деп|туралы|арқылы|бойынша)[\s,]*[.!?…]['\"»”’)]*\s*$",
                       re.IGNORECASE)
_TITLE_WORDS = {"secretary", "general", "director", "vice", "president", "prime", "minister", "deputy", "chief",
                "executive", "co", "founder", "editor", "commander", "attorney", "governor", "lieutenant", "major",
                "under", "assistant", "high", "commissioner", "chair", "chairman", "chairwoman"}
_CYRILLIC_ACRONYM = re.compile(r"(?<![\w])[А-ЯЁӘҒҚҢӨҰҮҺІ]{2,}(?![\w])")


@dataclass
class Context:
    pair: Pair
    #: (start, end, lang, score) for each sentence of the translation the detector looked at
    sentence_langs: list[tuple[int, int, str, float]] = field(default_factory=list)
    ratio: tuple[float, float, float] | None = None  # calibrated (low, median, high) length ratio
    glossary: Glossary | None = None
    dnt: list[str] = field(default_factory=list)
    detected: bool = False  # the language checks ran


def _len(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def check_empty(c: Context) -> Iterator[Flag]:
    if not c.pair.translation.strip() and c.pair.source.strip():
        yield Flag(code="empty", severity="error", message="the translation is empty")


def check_untranslated(c: Context) -> Iterator[Flag]:
    src, tgt = c.pair.source.strip(), c.pair.translation.strip()
    if src and src == tgt and len(_WORD.findall(src)) >= 2 and re.search(r"[^\W\d_]{3}", src):
        yield Flag(code="untranslated", severity="error", message="the translation is the source text, unchanged",
                   span=span("translation", 0, len(c.pair.translation), c.pair.translation))
        return
    src_words = {w.lower() for w in _WORD.findall(src)}
    for start, end, lang, score in c.sentence_langs:
        if lang == c.pair.src_lang and lang != c.pair.tgt_lang:
            words = [w.lower() for w in _WORD.findall(c.pair.translation[start:end]) if len(w) > 2]
            copied = sum(w in src_words for w in words) / max(len(words), 1)
            where = span("translation", start, end, c.pair.translation)
            if copied >= 0.5:  # the source's own words: left untranslated
                yield Flag(code="untranslated", severity="error", span=where,
                           message=f"this part is still in the source language ({lang}, {score:.2f}), "
                                   f"not {c.pair.tgt_lang}")
            else:  # in the source's language but not the source's words: look, do not condemn
                yield Flag(code="wrong-language", severity="warning", span=where,
                           message=f"this part reads as {lang} ({score:.2f}), not {c.pair.tgt_lang}")


def check_language(c: Context) -> Iterator[Flag]:
    for start, end, lang, score in c.sentence_langs:
        if lang in (c.pair.tgt_lang, c.pair.src_lang, "unknown"):
            continue
        if lang == "other" and score < 0.8:  # the weak Kyrgyz-like rule: Kazakh without ә ғ қ ұ һ і
            yield Flag(code="language-uncertain", severity="info",
                       message=f"this part may not be in {c.pair.tgt_lang} ({lang}, {score:.2f})",
                       span=span("translation", start, end, c.pair.translation))
            continue
        yield Flag(code="wrong-language", severity="error",
                   message=f"this part is in {lang} ({score:.2f}), not {c.pair.tgt_lang}",
                   span=span("translation", start, end, c.pair.translation))


def check_foreign(c: Context) -> Iterator[Flag]:
    p = c.pair
    src, tgt = entities.masked(p.source), entities.masked(p.translation)  # links and e-mails are not words
    for severity, message, start, end in foreign.foreign_words(src, tgt, p.src_lang, p.tgt_lang):
        yield Flag(code="untranslated" if severity == "error" else "foreign-text", severity=severity,
                   message=message, span=span("translation", start, end, p.translation))


def check_entities(c: Context) -> Iterator[Flag]:
    p = c.pair
    found = entities.extract(p.translation)
    for e in entities.extract(p.source):
        if not entities.survives(e, p.translation, found):
            yield Flag(code=f"{e.kind}-missing", severity="error",
                       message=f"{e.kind} {e.text} is not in the translation (it must be copied exactly)",
                       span=span("source", e.start, e.end, p.source))


def check_latin_terms(c: Context) -> Iterator[Flag]:
    p = c.pair
    glossary_terms = {e.source for e in c.glossary.entries} if c.glossary else set()
    cyr_acronyms = _CYRILLIC_ACRONYM.findall(p.translation) if p.tgt_lang in ("ru", "kk") else []
    for e in entities.latin_terms(p.source):
        if e.text in glossary_terms or e.text in c.dnt or e.text in p.translation:
            continue
        if e.kind == "acronym" and any(len(a) == len(e.text.split("-")[0]) for a in cyr_acronyms):
            continue  # NBA -> НБА, OSCE -> ОБСЕ: rendered in Cyrillic
        if e.kind == "acronym" and re.fullmatch(r"[IVXLC]+", e.text):
            continue  # a Roman numeral: checked as a number
        if e.kind == "name" and all(w.lower() in _TITLE_WORDS for w in e.text.split("-")):
            continue  # "Secretary-General", "Vice-President": a title, translated
        if foreign.rendered(e.text, p.translation, p.tgt_lang):
            continue  # EU -> ЕС / ЕО, BBC -> Би-би-си: the conventional rendering (renderings.toml)
        yield Flag(code="latin-term", severity="info",
                   message=f"{e.text} does not appear in the translation "
                           "(check the rendering, or add it to the glossary)",
                   span=span("source", e.start, e.end, p.source))


def check_length(c: Context) -> Iterator[Flag]:
    p = c.pair
    ls, lt = _len(p.source), _len(p.translation)
    if ls < 20 or lt == 0 or c.ratio is None:
        return
    low, median, high = c.ratio
    r = lt / ls
    # Short texts vary more: widen the calibrated bounds below 60 characters.
    widen = 1.0 if ls >= 60 else 1.0 + (60 - ls) / 80
    ends_source = bool(_END_PUNCT.search(p.source))
    ends_target = bool(_END_PUNCT.search(p.translation))
    whole = span("translation", 0, len(p.translation), p.translation)
    if ends_source and r < median * 0.85 and (not ends_target or _DANGLING.search(p.translation)):
        yield Flag(code="truncated", severity="error", span=whole,
                   message=f"the translation stops mid-sentence and is {r:.0%} of the "
                           f"source length (usual for {p.src_lang}->{p.tgt_lang}: {median:.0%})")
    elif r < low / widen:
        yield Flag(code="too-short", severity="warning", span=whole,
                   message=f"the translation is {r:.0%} of the source length "
                           f"(usual: {median:.0%}); part may be missing")
    elif r > high * widen:
        yield Flag(code="too-long", severity="warning", span=whole,
                   message=f"the translation is {r:.0%} of the source length "
                           f"(usual: {median:.0%}); something may have been added or repeated")


def check_repetition(c: Context) -> Iterator[Flag]:
    p = c.pair
    for severity, message, start, end in repeats.loops(p.source, p.translation):
        yield Flag(code="repetition", severity=severity, message=message,
                   span=span("translation", start, end, p.translation))


def check_doubled_word(c: Context) -> Iterator[Flag]:
    p = c.pair
    tm = list(_WORD.finditer(p.translation))
    src = p.source.lower()
    for a, b in itertools.pairwise(tm):
        w = a.group().lower()
        if w == b.group().lower() and not w.isdigit() and p.translation[a.end():b.start()].strip() == "" \
                and f"{w} {w}" not in src:
            yield Flag(code="doubled-word", severity="warning", message=f"doubled word {a.group()!r}",
                       span=span("translation", a.start(), b.end(), p.translation))
            return


def check_brackets(c: Context) -> Iterator[Flag]:
    p = c.pair
    whole = span("translation", 0, len(p.translation), p.translation)
    problem = quotes.bracket_problem(p.source, p.translation)
    if problem:
        yield Flag(code="unbalanced", severity="warning", message=problem, span=whole)
    q = quotes.quote_problem(p.source, p.translation, p.src_lang, p.tgt_lang)
    if q:
        yield Flag(code="unbalanced", severity=q[0], message=q[1], span=whole)


def check_glossary(c: Context) -> Iterator[Flag]:
    if c.glossary is None:
        return
    where = f"glossary {c.glossary.path}" if c.glossary.path else "glossary"
    for entry, m in c.glossary.missing(c.pair.source, c.pair.translation):
        yield Flag(code="glossary", severity="error",
                   message=f"{entry.source!r} must be rendered as "
                           + " or ".join(repr(t) for t in entry.targets) + f" ({where}, line {entry.line})",
                   span=span("source", m.start(), m.end(), c.pair.source))


def check_dnt(c: Context) -> Iterator[Flag]:
    for term, at in dnt_missing(c.dnt, c.pair.source, c.pair.translation):
        yield Flag(code="do-not-translate", severity="error",
                   message=f"{term!r} must appear verbatim in the translation",
                   span=span("source", at, at + len(term), c.pair.source))


@dataclass(frozen=True)
class Check:
    name: str
    severity: str  # the most severe level it reports
    run: Callable[[Context], Iterator[Flag]]
    doc: str


CHECKS: list[Check] = [
    Check("empty", "error", check_empty, "empty translation of a non-empty source"),
    Check("untranslated", "error", check_untranslated, "output equal to the source or in the source language"),
    Check("wrong-language", "error", check_language, "a sentence of the translation in a third language"),
    Check("foreign", "error", check_foreign, "words in the source's script left in the translation (untranslated)"),
    Check("numbers", "error", check_numbers, "number-missing / number-added / number-mismatch, by value"),
    Check("entities", "error", check_entities, "url/email/phone/handle/hashtag-missing: must survive exactly"),
    Check("latin-term", "info", check_latin_terms, "acronyms and Latin-script names not carried over"),
    Check("length", "error", check_length, "truncated (error), too-short / too-long (warning): calibrated ratio"),
    Check("repetition", "error", check_repetition, "degenerate loops: repeated words, n-grams, phrases"),
    Check("doubled-word", "warning", check_doubled_word, "the same word twice in a row"),
    Check("unbalanced", "warning", check_brackets, "brackets and quotes balanced in the source but not the translation"),
    Check("glossary", "error", check_glossary, "a required glossary rendering is missing (inflection-aware)"),
    Check("do-not-translate", "error", check_dnt, "a do-not-translate term is not verbatim in the translation"),
]


def log_ratio(src: str, tgt: str) -> float | None:
    """log(len(tgt)/len(src)) in non-space characters, for calibration (None when too short)."""
    ls, lt = _len(src), _len(tgt)
    return math.log(lt / ls) if ls >= 20 and lt else None
