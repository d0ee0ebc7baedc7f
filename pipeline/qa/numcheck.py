"""The number check: numbers of the source and of the translation compared by value
(numbers.py), with number words (numwords.py), localised units and currencies (units.py). Links,
e-mails and phones are blanked first: their digits are checked as entities.

Severity follows certainty: a digit number missing or changed is an error; what has idiomatic
renderings (a number word, the digits of a code such as "4x4", an imperial value that may have
become an adjective, a day of the month that may have become the name of the day) is a warning.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..document import Flag
from . import entities, numbers, units
from .flags import span

if TYPE_CHECKING:
    from .checks import Context


def check_numbers(c: Context) -> Iterator[Flag]:
    p = c.pair
    src_n, tgt_n = numbers.extract(entities.masked(p.source)), numbers.extract(entities.masked(p.translation))
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
        yield Flag(code="number-missing", severity="warning",
                   message=f"{p.source[start:end]!r} ({v:g}) is not in the translation",
                   span=span("source", start, end, p.source))
        return
    missing, added, imperial = units.reconcile(p.source, p.translation, missing, added)
    for n in imperial:  # "6 feet" may have become "два метра" or "двухметровый"
        yield Flag(code="number-missing", severity="warning",
                   message=f"{n.text} is not in the translation (converted, or written as a word?)",
                   span=span("source", n.start, n.end, p.source))
    for s, cs, t, ct in units.currency_swaps(p.source, p.translation, src_n, tgt_n):
        yield Flag(code="currency-mismatch", severity="error",
                   message=f"{s.text} is in {cs} in the source but {t.text} is in {ct} in the translation",
                   span=span("translation", t.start, t.end, p.translation))
    for s, t in units.unit_swaps(p.source, p.translation, src_n, tgt_n):
        yield Flag(code="unit-mismatch", severity="error",
                   message=f"{s.text} has another unit in the source than {t.text} in the "
                           "translation (a conversion not made?)",
                   span=span("translation", t.start, t.end, p.translation))
    if missing and added:
        yield Flag(code="number-mismatch", severity="error",
                   message="numbers differ: source has " + ", ".join(n.text for n in missing)
                           + "; translation has " + ", ".join(n.text for n in added),
                   span=span("translation", added[0].start, added[0].end, p.translation))
    elif missing:
        weekday = _WEEKDAY.search(p.translation) and not _WEEKDAY.search(p.source)
        for n in missing:
            # digits glued to letters are a code or a model name ("4x4", "5G"): often rendered in words;
            # a day of the month may have become the name of the day ("on 12 May" -> "в четверг")
            code = _glued(p.source, n.start, n.end) or (weekday and _day_of_month(n))
            yield Flag(code="number-missing", severity="warning" if code else "error",
                       message=f"{n.text} is not in the translation" + (" (part of a code?)" if code else ""),
                       span=span("source", n.start, n.end, p.source))
    elif added:
        for n in added:
            yield Flag(code="number-added", severity="warning",
                       message=f"{n.text} is in the translation but not in the source",
                       span=span("translation", n.start, n.end, p.translation))


_WEEKDAY = re.compile(r"(?i)\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|понедельник|вторник|"
                      r"сред[аыуе]|четверг|пятниц|суббот|воскресень|дүйсенбі|сейсенбі|сәрсенбі|бейсенбі|жұма|"
                      r"сенбі|жексенбі)")


def _day_of_month(n) -> bool:
    return any(isinstance(v, float) and v == int(v) and 1 <= v <= 31 for v in n.values)


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
