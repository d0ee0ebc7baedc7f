"""The checks: a table of (name, severity, function), each function taking a `Context` (one pair
plus what the engine computed for it) and yielding `QAFlag`s with a code and a span.

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

from . import entities, foreign, numbers, quotes, repeats, units
from .flags import Pair, QAFlag, span
from .glossary import Glossary, dnt_missing

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_END_PUNCT = re.compile(r"[.!?…:;]['\"»”’)\]]*\s*$")
# A sentence does not end on a preposition or a conjunction: "... with the help of." is cut short.
_DANGLING = re.compile(r"(?<![\w-])(?:and|or|the|a|an|of|to|in|for|with|on|at|by|from|that|which|but|"
                       r"и|в|во|на|с|со|по|для|что|к|из|о|об|от|а|но|или|как|при|за|у|которые|который|"
                       r"мен|пен|бен|және|үшін|бірақ|немесе|деп|туралы|арқылы|бойынша)[\s,]*[.!?…]['\"»”’)]*\s*$",
                       re.IGNORECASE)
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


def check_empty(c: Context) -> Iterator[QAFlag]:
    if not c.pair.translation.strip() and c.pair.source.strip():
        yield QAFlag("empty", "error", "the translation is empty")


def check_untranslated(c: Context) -> Iterator[QAFlag]:
    src, tgt = c.pair.source.strip(), c.pair.translation.strip()
    if src and src == tgt and len(_WORD.findall(src)) >= 2 and re.search(r"[^\W\d_]{3}", src):
        yield QAFlag("untranslated", "error", "the translation is the source text, unchanged",
                     span("translation", 0, len(c.pair.translation), c.pair.translation))
        return
    src_words = {w.lower() for w in _WORD.findall(src)}
    for start, end, lang, score in c.sentence_langs:
        if lang == c.pair.src_lang and lang != c.pair.tgt_lang:
            words = [w.lower() for w in _WORD.findall(c.pair.translation[start:end]) if len(w) > 2]
            copied = sum(w in src_words for w in words) / max(len(words), 1)
            where = span("translation", start, end, c.pair.translation)
            if copied >= 0.5:  # the source's own words: left untranslated
                yield QAFlag("untranslated", "error", f"this part is still in the source language "
                             f"({lang}, {score:.2f}), not {c.pair.tgt_lang}", where)
            else:  # in the source's language but not the source's words: look, do not condemn
                yield QAFlag("wrong-language", "warning", f"this part reads as {lang} ({score:.2f}), "
                             f"not {c.pair.tgt_lang}", where)


def check_language(c: Context) -> Iterator[QAFlag]:
    for start, end, lang, score in c.sentence_langs:
        if lang in (c.pair.tgt_lang, c.pair.src_lang, "unknown"):
            continue
        if lang == "other" and score < 0.8:  # the weak Kyrgyz-like rule: Kazakh without ә ғ қ ұ һ і
            yield QAFlag("language-uncertain", "info", f"this part may not be in {c.pair.tgt_lang} "
                         f"({lang}, {score:.2f})", span("translation", start, end, c.pair.translation))
            continue
        yield QAFlag("wrong-language", "error", f"this part is in {lang} ({score:.2f}), "
                     f"not {c.pair.tgt_lang}", span("translation", start, end, c.pair.translation))


def _masked(text: str) -> str:
    """`text` with URLs, e-mails, phones and tags blanked out (same length, so offsets hold):
    their digits are checked as entities, not as numbers ("+7 (727) 123-45-67" = "+7 727 1234567")."""
    for e in entities.extract(text):
        text = text[:e.start] + " " * (e.end - e.start) + text[e.end:]
    return text


def check_foreign(c: Context) -> Iterator[QAFlag]:
    p = c.pair
    src, tgt = _masked(p.source), _masked(p.translation)  # links and e-mails are not words
    for severity, message, start, end in foreign.foreign_words(src, tgt, p.src_lang, p.tgt_lang):
        yield QAFlag("untranslated" if severity == "error" else "foreign-text", severity, message,
                     span("translation", start, end, p.translation))


def check_numbers(c: Context) -> Iterator[QAFlag]:
    p = c.pair
    src_n, tgt_n = numbers.extract(_masked(p.source)), numbers.extract(_masked(p.translation))
    required = numbers.required_words(p.source, p.src_lang)
    if not src_n and not tgt_n and not required:
        return
    tgt_words = numbers.word_values(p.translation, p.tgt_lang)
    missing, added = numbers.compare(src_n, tgt_n, numbers.word_values(p.source, p.src_lang), tgt_words)
    # Digits inside a code on the other side ("G7" = "Группа 7", "B2B") are not missing or added.
    src_codes, tgt_codes = _code_digits(p.source), _code_digits(p.translation)
    missing = [n for n in missing if not n.values & tgt_codes]
    added = [n for n in added if not n.values & src_codes]
    tgt_values = tgt_words.union(*(n.values for n in tgt_n))
    src_values = set().union(*(n.values for n in src_n))
    for start, end, v in required:  # "ten minutes" -> "10 минут" or "десять минут", not "минут"
        if _word_found(v, tgt_values) or v in src_values or missing or added \
                or re.search(r"(?<!\w)" + re.escape(p.source[start:end]) + r"(?!\w)", p.translation):
            continue  # found, or copied as part of a name ("Six Flags")
        # A number word has idiomatic renderings ("жиырма төрт" = "two dozen"): look here, not "wrong".
        yield QAFlag("number-missing", "warning", f"{p.source[start:end]!r} ({v:g}) is not in the "
                     "translation", span("source", start, end, p.source))
        return
    missing, added, imperial = units.reconcile(p.source, p.translation, missing, added)
    for n in imperial:  # "6 feet" may have become "два метра" or "двухметровый"
        yield QAFlag("number-missing", "warning", f"{n.text} is not in the translation (converted, or "
                     "written as a word?)", span("source", n.start, n.end, p.source))
    for s, cs, t, ct in units.currency_swaps(p.source, p.translation, src_n, tgt_n):
        yield QAFlag("currency-mismatch", "error", f"{s.text} is in {cs} in the source but {t.text} is in "
                     f"{ct} in the translation", span("translation", t.start, t.end, p.translation))
    for s, t in units.unit_swaps(p.source, p.translation, src_n, tgt_n):
        yield QAFlag("unit-mismatch", "error", f"{s.text} has another unit in the source than {t.text} in the "
                     "translation (a conversion not made?)", span("translation", t.start, t.end, p.translation))
    if missing and added:
        yield QAFlag("number-mismatch", "error", "numbers differ: source has "
                     + ", ".join(n.text for n in missing) + "; translation has "
                     + ", ".join(n.text for n in added),
                     span("translation", added[0].start, added[0].end, p.translation))
    elif missing:
        for n in missing:
            # digits glued to letters are a code or a model name ("4x4", "5G"): often rendered in words
            code = _glued(p.source, n.start, n.end)
            yield QAFlag("number-missing", "warning" if code else "error", f"{n.text} is not in the translation"
                         + (" (part of a code?)" if code else ""), span("source", n.start, n.end, p.source))
    elif added:
        for n in added:
            yield QAFlag("number-added", "warning", f"{n.text} is in the translation but not in the source",
                         span("translation", n.start, n.end, p.translation))


def _glued(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha())


def _code_digits(text: str) -> set[float]:
    return {float(d) for d in re.findall(r"(?<=[^\W\d_])\d+", text)}


def _word_found(v: float, values: set) -> bool:
    """A number word's value among the translation's values, also as part of a bigger number:
    "three thousand" = 3000, "two dozen" = 24, "жиырма төрт" (20 4) = 24."""
    nums = [x for x in values if isinstance(x, float | int)]
    return v in values or any(x in (v * 1000, v * 1e6, v * 12) or (v >= 20 and v % 10 == 0 and v < x < v + 10)
                              for x in nums)


def check_entities(c: Context) -> Iterator[QAFlag]:
    p = c.pair
    found = entities.extract(p.translation)
    for e in entities.extract(p.source):
        if not entities.survives(e, p.translation, found):
            yield QAFlag(f"{e.kind}-missing", "error", f"{e.kind} {e.text} is not in the translation "
                         "(it must be copied exactly)", span("source", e.start, e.end, p.source))


def check_latin_terms(c: Context) -> Iterator[QAFlag]:
    p = c.pair
    glossary_terms = {e.source for e in c.glossary.entries} if c.glossary else set()
    cyr_acronyms = _CYRILLIC_ACRONYM.findall(p.translation) if p.tgt_lang in ("ru", "kk") else []
    for e in entities.latin_terms(p.source):
        if e.text in glossary_terms or e.text in c.dnt or e.text in p.translation:
            continue
        if e.kind == "acronym" and any(len(a) == len(e.text.split("-")[0]) for a in cyr_acronyms):
            continue  # NBA -> НБА, OSCE -> ОБСЕ: rendered in Cyrillic
        if foreign.rendered(e.text, p.translation, p.tgt_lang):
            continue  # EU -> ЕС / ЕО, BBC -> Би-би-си: the conventional rendering (renderings.toml)
        yield QAFlag("latin-term", "info", f"{e.text} does not appear in the translation "
                     "(check the rendering, or add it to the glossary)", span("source", e.start, e.end, p.source))


def check_length(c: Context) -> Iterator[QAFlag]:
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
        yield QAFlag("truncated", "error", f"the translation stops mid-sentence and is {r:.0%} of the "
                     f"source length (usual for {p.src_lang}->{p.tgt_lang}: {median:.0%})", whole)
    elif r < low / widen:
        yield QAFlag("too-short", "warning", f"the translation is {r:.0%} of the source length "
                     f"(usual: {median:.0%}); part may be missing", whole)
    elif r > high * widen:
        yield QAFlag("too-long", "warning", f"the translation is {r:.0%} of the source length "
                     f"(usual: {median:.0%}); something may have been added or repeated", whole)


def check_repetition(c: Context) -> Iterator[QAFlag]:
    p = c.pair
    for severity, message, start, end in repeats.loops(p.source, p.translation):
        yield QAFlag("repetition", severity, message, span("translation", start, end, p.translation))


def check_doubled_word(c: Context) -> Iterator[QAFlag]:
    p = c.pair
    tm = list(_WORD.finditer(p.translation))
    src = p.source.lower()
    for a, b in itertools.pairwise(tm):
        w = a.group().lower()
        if w == b.group().lower() and not w.isdigit() and p.translation[a.end():b.start()].strip() == "" \
                and f"{w} {w}" not in src:
            yield QAFlag("doubled-word", "warning", f"doubled word {a.group()!r}",
                         span("translation", a.start(), b.end(), p.translation))
            return


def check_brackets(c: Context) -> Iterator[QAFlag]:
    p = c.pair
    whole = span("translation", 0, len(p.translation), p.translation)
    problem = quotes.bracket_problem(p.source, p.translation)
    if problem:
        yield QAFlag("unbalanced", "warning", problem, whole)
    q = quotes.quote_problem(p.source, p.translation, p.src_lang, p.tgt_lang)
    if q:
        yield QAFlag("unbalanced", q[0], q[1], whole)


def check_glossary(c: Context) -> Iterator[QAFlag]:
    if c.glossary is None:
        return
    where = f"glossary {c.glossary.path}" if c.glossary.path else "glossary"
    for entry, m in c.glossary.missing(c.pair.source, c.pair.translation):
        yield QAFlag("glossary", "error", f"{entry.source!r} must be rendered as "
                     + " or ".join(repr(t) for t in entry.targets) + f" ({where}, line {entry.line})",
                     span("source", m.start(), m.end(), c.pair.source))


def check_dnt(c: Context) -> Iterator[QAFlag]:
    for term, at in dnt_missing(c.dnt, c.pair.source, c.pair.translation):
        yield QAFlag("do-not-translate", "error", f"{term!r} must appear verbatim in the translation",
                     span("source", at, at + len(term), c.pair.source))


@dataclass(frozen=True)
class Check:
    name: str
    severity: str  # the most severe level it reports
    run: Callable[[Context], Iterator[QAFlag]]
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
