"""Numbers in en/ru/kk text as *values*, so that a translation can be compared by meaning.

Each mention carries the set of values it may stand for; two mentions match when their sets
intersect. That makes the comparison tolerant of what translators legitimately do and strict on
what they must not:
- locale formats: "1 000,5" = "1,000.5" = "1000.5"; an ambiguous "1,300" / "2.250" may be a
  thousands group or a decimal, so it carries both readings;
- magnitude words: "1.5 million" = "1,5 млн" = "1,5 миллион"; "3 тыс." = "3 мың" = "3,000";
- decades: "1930s" = "30-е годы" (carries 30, 1930, 2030) = "1930 жылдары";
- ordinals: "2nd" = "2-й" = "2-ші" (the suffix is not part of the value);
- times: "11:30 p.m." = "23:30"; "5am" = "5 часов утра" (a bare 5 is one of its readings);
- small numbers written as words, as a fallback only ("three" = "три" = "үш" = "3"), see
  `word_values`: a number word never has to be found, but it can satisfy a digit number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_SP = "[ \u00a0\u202f\u2009]"
# A digit run with optional thousands groups (space, comma or point) and an optional decimal part.
_NUM = re.compile(
    rf"(?<![\w.,/])(\d{{1,3}}(?:{_SP}\d{{3}})+(?:[.,]\d+)?(?![\d])|\d+(?:[.,]\d+)*)"
    r"(?:(?P<s>s)\b|(?P<sfx>st|nd|rd|th)\b)?")
_TIME = re.compile(r"(?<![\w.:])(\d{1,2}):(\d{2})(?![\d:]|[.,]\d)(?:\s*(?P<ap>[ap])\.?\s?m\b\.?)?", re.IGNORECASE)
_HOUR_AP = re.compile(r"(?<![\w.:])(\d{1,2})\s?(?P<ap>[ap])\.?\s?m\b\.?", re.IGNORECASE)
_MAGNITUDE = re.compile(
    r"[ \u00a0]?(?:(?P<k>thousand|тыс\b\.?|тысяч\w*|мың\w*|k\b)"
    r"|(?P<m>million\w*|mln\b\.?|млн\b\.?|миллион\w*|m\b)"
    r"|(?P<b>billion\w*|bn\b|млрд\b\.?|миллиард\w*)"
    r"|(?P<t>trillion\w*|трлн\b\.?|триллион\w*))", re.IGNORECASE)
_DECADE_RU = re.compile(r"^-?(?:е|х|ые|ых|ж|жж)\b", re.IGNORECASE)  # "30-е годы", "90-х", kk "90-жж"
_MULT = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}


@dataclass(frozen=True)
class Number:
    """One number in a text: where it is, what it says, and every value it may stand for."""

    start: int
    end: int
    text: str
    values: frozenset


def _readings(raw: str) -> set[float]:
    """Every plausible value of a digit string, locale-independent."""
    compact = re.sub(_SP, "", raw)
    if compact != raw:  # "1 000" or "1 000,5": spaces are always thousands separators
        return {float(compact.replace(",", "."))} if compact.count(",") + compact.count(".") <= 1 else set()
    seps = re.findall(r"[.,]", raw)
    if not seps:
        return {float(raw)}
    out: set[float] = set()
    parts = re.split(r"[.,]", raw)
    if len(seps) == 1:
        out.add(float(raw.replace(",", ".")))  # decimal reading: 1,5 / 1.5
        if len(parts[1]) == 3 and parts[0] != "0":
            out.add(float(parts[0] + parts[1]))  # thousands reading: 1,300 / 2.250
        return out
    # Several separators: "1,000,000", "1.000.000", "1,000.5", "1.000,5", or a date "12.05.2021".
    if len(set(seps)) == 1 and all(len(p) == 3 for p in parts[1:]):
        out.add(float("".join(parts)))
    elif len(set(seps[:-1])) == 1 and seps[-1] != seps[0] and all(len(p) == 3 for p in parts[1:-1]):
        out.add(float("".join(parts[:-1]) + "." + parts[-1]))
    else:  # a date or a version: compare its parts
        return {float(p) for p in parts if p}
    return out


def extract(text: str) -> list[Number]:
    """Every number in `text`, in order, with its readings. Times and magnitude words are
    folded into the mention they belong to."""
    out: list[Number] = []
    taken: list[tuple[int, int]] = []
    for m in _TIME.finditer(text):
        h, mi = int(m.group(1)), int(m.group(2))
        if h > 24 or mi > 59:
            continue
        ap = (m.group("ap") or "").lower()
        vals: set = set()
        if ap:
            h12 = h % 12 + (12 if ap == "p" else 0)
            vals.add(f"t{h12:02d}:{mi:02d}")
        else:
            vals.add(f"t{h:02d}:{mi:02d}")
            if h <= 12:
                vals.add(f"t{(h + 12) % 24:02d}:{mi:02d}")
        if m.group(2) == "00":
            vals.add(float(h))
        out.append(Number(m.start(), m.end(), m.group(), frozenset(vals)))
        taken.append((m.start(), m.end()))
    for m in _HOUR_AP.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        h = int(m.group(1))
        h24 = h % 12 + (12 if m.group("ap").lower() == "p" else 0)
        out.append(Number(m.start(), m.end(), m.group(), frozenset({f"t{h24:02d}:00", float(h)})))
        taken.append((m.start(), m.end()))
    for m in _NUM.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        raw = m.group(1)
        vals = _readings(raw)
        if not vals:
            continue
        hm = re.fullmatch(r"(\d{1,2})\.(\d{2})", raw)  # "в 11.30": a time or a decimal
        if hm and int(hm.group(1)) <= 24 and int(hm.group(2)) <= 59:
            vals.add(f"t{int(hm.group(1)):02d}:{hm.group(2)}")
        end = m.end()
        after = text[end:end + 20]
        mag = _MAGNITUDE.match(after)
        if mag and not m.group("s") and not m.group("sfx"):
            mult = _MULT[next(k for k, v in mag.groupdict().items() if v)]
            # "1.35 million" is not a time: only the numeric readings are scaled.
            scaled = {round(v * mult, 6) for v in vals if isinstance(v, float)}
            # "45 млн" is not "45 thousand"; but a bare "m"/"k" may be metres or a label: keep both.
            vals = scaled | vals if len(mag.group().strip()) == 1 else scaled
            end += mag.end()
        # Decades: "1930s", "the 90s", "30-е годы", "90-х", "90-жж".
        if m.group("s") or _DECADE_RU.match(after):
            for v in list(vals):
                if v % 10 == 0 and v < 100:
                    vals |= {1900 + v, 2000 + v}
                elif 1000 <= v < 2100 and v % 10 == 0:
                    vals.add(v % 100)
        out.append(Number(m.start(), end, text[m.start():end], frozenset(vals)))
    out.sort(key=lambda n: n.start)
    return out


# -- small numbers written as words ------------------------------------------------------------
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
}
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
]
_KK_STEMS = [
    ("бірінші", 1), ("біреу", 1), ("екінші", 2), ("екеу", 2), ("үшінші", 3), ("үшеу", 3),
    ("төрт", 4), ("бес", 5), ("алты", 6), ("алтау", 6), ("жеті", 7), ("жетеу", 7), ("сегіз", 8),
    ("тоғыз", 9), ("оныншы", 10), ("онға", 10), ("оннан", 10), ("жиырма", 20), ("отыз", 30),
    ("қырық", 40), ("елу", 50), ("алпыс", 60), ("жетпіс", 70), ("сексен", 80), ("тоқсан", 90),
    ("мың", 1000), ("миллион", 1e6), ("миллиард", 1e9), ("жарты", 0.5), ("жартысы", 0.5),
    ("ондық", 10), ("ондығ", 10), ("екеуі", 2), ("үшеуі", 3),
    ("екі", 2), ("ширек", 0.25), ("бір жарым", 1.5),
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
        if v is None and "-" in w:  # "twenty-five", "two-hour", "двух-трёх"
            parts = [_word_value(p, lang) for p in w.split("-")]
            vals.update(p for p in parts if p is not None)
            if None not in parts and parts[0] % 10 == 0 and parts[1] < 10:
                vals.add(parts[0] + parts[1])
            prev = None
            continue
        if v is not None:
            vals.add(v)
            if prev is not None:
                if prev >= 10 and prev % 10 == 0 and prev < 100 and v < 10:
                    vals.add(prev + v)
                elif v in (100, 1000, 1e6, 1e9) and prev < 1000:
                    vals.add(prev * v)
        prev = v
    return vals


# Number words that always mean a number (no "one"/"a", "second" of time, "сто" in "стоит",
# "сем" in "семья", kk "бір"/"он"/"жүз"): a source that says one of these needs it in the translation.
_STRICT = {
    "en": re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
                     r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
                     r"eighty|ninety|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b"),
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
        for stem, v in _RU_STEMS:
            if w.startswith(stem) and (len(stem) >= 4 or len(w) <= len(stem) + 3):
                return v
    return None


def compare(src: list[Number], tgt: list[Number], src_words: set[float],
            tgt_words: set[float]) -> tuple[list[Number], list[Number]]:
    """(source numbers not found in the translation, translation numbers not found in the source).

    Greedy one-to-one matching of digit mentions by shared readings (scarcest first); what is left
    may be satisfied by a number word on the other side."""
    left_t = list(tgt)
    missing: list[Number] = []
    for s in sorted(src, key=lambda n: sum(1 for t in tgt if n.values & t.values)):
        hit = next((t for t in left_t if s.values & t.values), None)
        if hit is not None:
            left_t.remove(hit)
        elif not (s.values & tgt_words):
            missing.append(s)
    added = [t for t in left_t if not (t.values & src_words) and not _also_in(t, src)]
    return sorted(missing, key=lambda n: n.start), added


def _also_in(t: Number, src: list[Number]) -> bool:
    """A translation may repeat a number the source states once ("2009 ... 2009 жылғы")."""
    return any(t.values & s.values for s in src)
