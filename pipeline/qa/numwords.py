"""Numbers written as words, in en/ru/kk: values of number words, compounds and idioms ("three",
"двадцать пять", "жиырма бес", "twenty-five", "трёхлетний", "екіжылдық", "a decade", "fortnight",
"bicentenary"), Roman numerals, and the number words a translation must carry (`required_words`).
A word value is a fallback for matching a digit number: it can satisfy one, never demand one,
except the unambiguous words of `required_words`, whose absence is only a warning (number words
have idiomatic renderings: "two dozen" for "жиырма төрт", "in their twenties" for "от двадцати
до тридцати лет").
"""
from __future__ import annotations

import re

# Stems are matched at the start of a word; ambiguous short words are listed as exact forms only
# (kk "үш" but never "үшін" = "for"; kk "он" = ten, but ru "он" = he, so only in kk).
_EN_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "thousand": 1000, "million": 1e6, "billion": 1e9, "dozen": 12,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "twelfth": 12, "twentieth": 20, "twice": 2,
    "once": 1, "half": 0.5, "single": 1, "double": 2, "triple": 3, "quarter": 0.25,
    # idioms and collectives: a decade = 10 years, a fortnight = 14 days or two weeks
    "decade": 10, "fortnight": 14, "century": 100, "centenary": 100, "centennial": 100,
    "bicentenary": 200, "bicentennial": 200, "tercentenary": 300, "millennium": 1000,
    "couple": 2, "pair": 2, "both": 2, "twin": 2, "trio": 3, "quartet": 4, "tri": 3, "thrice": 3,
    "eleventh": 11, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "thirtieth": 30, "fortieth": 40,
    "fiftieth": 50, "hundredth": 100,
}
_EN_ALSO = {"fortnight": 2}  # a second reading: "two weeks"
# Idioms and compounds first: "двухсотлетие" is 200, not 2 ("двух").
_RU_FIRST = [("двухсотлет", 200), ("трехсотлет", 300), ("столет", 100), ("полвек", 50), ("полтысяч", 500),
             ("десятилет", 10), ("полугод", 0.5)]
_RU_STEMS = [  # (stem, value): a word starting with the stem
    ("одиннадцат", 11), ("двенадцат", 12), ("тринадцат", 13), ("четырнадцат", 14),
    ("пятнадцат", 15), ("шестнадцат", 16), ("семнадцат", 17), ("восемнадцат", 18),
    ("девятнадцат", 19), ("двадцат", 20), ("тридцат", 30), ("сорок", 40), ("пятьдесят", 50),
    ("пятидесят", 50), ("шестьдесят", 60), ("шестидесят", 60), ("семьдесят", 70),
    ("семидесят", 70), ("восемьдесят", 80), ("восьмидесят", 80), ("девяност", 90),
    ("сто", 100), ("двест", 200), ("тысяч", 1000), ("миллион", 1e6), ("миллиард", 1e9),
    ("один", 1), ("одн", 1), ("перв", 1), ("два", 2), ("две", 2), ("двух", 2), ("двум", 2),
    ("втор", 2), ("дважды", 2), ("три", 3), ("трёх", 3), ("трех", 3), ("трем", 3), ("трём", 3),
    ("трет", 3), ("четыр", 4), ("четвер", 4), ("пят", 5), ("шест", 6), ("сем", 7), ("седьм", 7),
    ("восем", 8), ("восьм", 8), ("девят", 9), ("десят", 10), ("дюжин", 12), ("половин", 0.5),
    ("полтор", 1.5), ("пол", 0.5), ("оба", 2), ("обе", 2), ("обоих", 2), ("двое", 2), ("трое", 3),
    ("четверо", 4), ("пятеро", 5), ("шестеро", 6), ("семеро", 7), ("однажды", 1), ("единств", 1),
    ("тройн", 3), ("двойн", 2), ("четверт", 0.25), ("пятер", 5), ("шестер", 6), ("семер", 7),
    ("двукрат", 2), ("трехкрат", 3), ("четырехкрат", 4), ("пятикрат", 5), ("шестикрат", 6),
    ("семикрат", 7), ("восьмикрат", 8), ("десятикрат", 10), ("десят", 10), ("вдвое", 2), ("втрое", 3),
    ("вдвоем", 2), ("втроем", 3),
    # compounds: "пятиэтажный", "шестилетний", "одноразовый" (a fallback only, like every word value)
    ("тройк", 3), ("двойк", 2), ("пятерк", 5), ("одно", 1), ("пяти", 5), ("шести", 6), ("семи", 7), ("восьми", 8), ("девяти", 9),
]
_KK_STEMS = [
    ("бірінші", 1), ("біреу", 1), ("екінші", 2), ("екеу", 2), ("үшінші", 3), ("үшеу", 3),
    ("төрт", 4), ("бес", 5), ("алты", 6), ("алтау", 6), ("жеті", 7), ("жетеу", 7), ("сегіз", 8),
    ("тоғыз", 9), ("оныншы", 10), ("онға", 10), ("оннан", 10), ("жиырма", 20), ("отыз", 30),
    ("қырық", 40), ("елу", 50), ("алпыс", 60), ("жетпіс", 70), ("сексен", 80), ("тоқсан", 90),
    ("мың", 1000), ("миллион", 1e6), ("миллиард", 1e9), ("жарты", 0.5), ("жартысы", 0.5),
    ("ондық", 10), ("ондығ", 10), ("екеуі", 2), ("үшеуі", 3),
    ("екі", 2), ("ширек", 0.25), ("бір жарым", 1.5), ("онжылд", 10), ("ғасыр", 100), ("үштік", 3), ("үшті", 3),
]
_KK_EXACT = {"бір": 1, "үш": 3, "үште": 3, "үшке": 3, "үштен": 3, "он": 10, "жүз": 100,
             "жүзден": 100, "жүзге": 100}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")


_ROMAN = re.compile(r"(?<![\w-])(?=[IVXLC]{2,}\b|[VX]\b)(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})(?![\w-])")
_ROMAN_VAL = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_values(text: str) -> set[float]:
    """Roman numerals of two letters or more, and a lone V or X ("XVI века" = "16th century")."""
    out: set[float] = set()
    for m in _ROMAN.finditer(text):
        r = m.group()
        if not r:
            continue
        total = 0
        for i, ch in enumerate(r):
            v = _ROMAN_VAL[ch]
            total += -v if i + 1 < len(r) and _ROMAN_VAL[r[i + 1]] > v else v
        out.add(float(total))
    return out


def word_values(text: str, lang: str) -> set[float]:
    """Values of number words in `text` ("three seasons" -> {3}; "двадцать пять" -> {20, 5, 25};
    "twenty-five" -> {25}; "seventh" -> {7}) and of Roman numerals. Only a fallback for matching
    digit numbers."""
    vals: set[float] = roman_values(text)
    prev: float | None = None
    for m in _WORD.finditer(text.lower().replace("ё", "е")):
        w = m.group()
        v = _word_value(w, lang)
        parts = [_word_value(p, lang) for p in w.split("-")] if "-" in w else []
        if parts and any(p is not None for p in parts):  # "twenty-five", "two-hour", "четырех-шести"
            vals.update(p for p in parts if p is not None)
            if None not in parts and parts[0] % 10 == 0 and parts[1] < 10:
                vals.add(parts[0] + parts[1])
            if None not in parts and parts[-1] in (12, 100, 1000, 1e6, 1e9):  # "two-dozen", "three-hundred"
                vals.add(parts[0] * parts[-1])
            prev = None
            continue
        if v is not None:
            vals.add(v)
            if lang == "en" and w in _EN_ALSO:
                vals.add(_EN_ALSO[w])
            if prev is not None:
                if prev >= 10 and prev % 10 == 0 and prev < 100 and v < 10:
                    vals.add(prev + v)
                elif v in (12, 100, 1000, 1e6, 1e9) and prev < 1000:
                    vals.add(prev * v)
        prev = v
    return vals


# Number words that always mean a number (no "one"/"a", "second" of time, "сто" in "стоит",
# "сем" in "семья", kk "бір"/"он"/"жүз"): a source that says one of these needs it in the translation.
_STRICT = {
    "en": re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
                     r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
                     r"eighty|ninety|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b", re.IGNORECASE),
    "ru": re.compile(r"(?<!\w)(двух|двум|двумя|три|трех|трем|тремя|четыре|четырех|пять|пяти|шесть|шести|"
                     r"семь|семи|восемь|восьми|девять|девяти|десять|десяти|\w+надцат\w*|двадцат\w*|"
                     r"тридцат\w*|сорок|сорока|пятьдесят|пятидесяти|шестьдесят|семьдесят|восемьдесят|"
                     r"девяност\w*)(?!\w)", re.IGNORECASE),
    "kk": re.compile(r"(?<!\w)(?:он\s+)?(үш|төрт|бес|алты|жеті|сегіз|тоғыз|жиырма|отыз|қырық|елу|алпыс|"
                     r"жетпіс|сексен|тоқсан)(?!\w)", re.IGNORECASE),
}


def required_words(text: str, lang: str) -> list[tuple[int, int, float]]:
    """(start, end, value) of unambiguous number words: these must reach the translation."""
    pat = _STRICT.get(lang)
    if pat is None:
        return []
    out = []
    for m in pat.finditer(text):
        words = m.group().lower().replace("ё", "е").split()
        v = _word_value(words[-1], lang)
        if v is not None:
            out.append((m.start(), m.end(), v + (10 if len(words) == 2 else 0)))  # kk "он сегіз" = 18
    return out


def _word_value(w: str, lang: str) -> float | None:
    if lang == "en":
        if w.endswith("ies") and w[:-3] + "y" in _EN_WORDS:  # twenties, centuries
            w = w[:-3] + "y"
        w = w[:-1] if w.endswith("s") and w[:-1] in _EN_WORDS and len(w) > 4 else w
        return _EN_WORDS.get(w)
    if lang == "kk":
        if w in _KK_EXACT:
            return _KK_EXACT[w]
        for stem, v in _KK_STEMS:
            if w.startswith(stem):
                return v
        return None
    if lang == "ru":
        for stem, v in _RU_FIRST:
            if w.startswith(stem):
                return v
        for stem, v in _RU_STEMS:
            if w.startswith(stem) and (len(stem) >= 4 or len(w) <= len(stem) + 3):
                return v
    return None


