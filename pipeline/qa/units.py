"""Units and currencies next to numbers: localised conversions are correct, currency swaps are not.

Translators convert miles to km, feet and yards to metres, inches to cm, pounds to kg, °F to °C,
acres to hectares, gallons to litres, and round the result. `reconcile` removes such a pair (a
source number missing, a translation number added) from the number check when the converted value
is within rounding of the translation's; a source number with an imperial unit that is missing
altogether is only a warning (it may have become a word: "a 6-foot wall" -> "двухметровая стена").
`currency_swaps` finds the same amount with another currency ("$5 million" -> "5 млн фунтов").
"""
from __future__ import annotations

import re

from .numbers import Number

# unit word (start of a word, lower case) -> (family, factor to the family's metric base, imperial?)
_UNITS = [
    (r"miles?|mi\b|мил[ьяие]\w*|миля\w*", "length", 1609.344, True),
    (r"yards?|yd\b|ярд\w*", "length", 0.9144, True),
    (r"feet|foot|ft\b|фут\w*", "length", 0.3048, True),
    (r"inch\w*|дюйм\w*|″", "length", 0.0254, True),
    (r"km\b|kilomet\w*|км\b|километр\w*|шақырым\w*", "length", 1000.0, False),
    (r"cm\b|centimet\w*|см\b|сантиметр\w*", "length", 0.01, False),
    (r"mm\b|millimet\w*|мм\b|миллиметр\w*", "length", 0.001, False),
    (r"m\b|met(?:re|er)s?\b|м\b|метр\w*", "length", 1.0, False),
    (r"pounds?\b(?!\s+sterling)|lbs?\b", "mass", 0.45359, True),
    (r"ounces?|oz\b|унци\w*", "mass", 0.02835, True),
    (r"kg\b|kilogram\w*|кг\b|килограмм\w*", "mass", 1.0, False),
    (r"tonnes?|tons?|т\b|тонн\w*|тонна\w*", "mass", 1000.0, False),
    (r"g\b|grams?|г\b|грамм\w*", "mass", 0.001, False),
    (r"acres?|акр\w*", "area", 4046.86, True),
    (r"hectares?|ha\b|га\b|гектар\w*", "area", 10000.0, False),
    (r"gallons?|галлон\w*", "volume", 3.78541, True),
    (r"lit(?:re|er)s?|l\b|литр\w*|л\b", "volume", 1.0, False),
    (r"mph\b|miles per hour|мил\w* в час", "speed", 1.609344, True),
    (r"km/h|kph\b|км/ч|км/сағ", "speed", 1.0, False),
]
_UNIT_RE = [(re.compile(r"^[\s\u00a0-]*(?:" + p + ")", re.IGNORECASE), fam, f, imp) for p, fam, f, imp in _UNITS]
_FAHRENHEIT = re.compile(r"^\s*(?:°\s*F\b|degrees? Fahrenheit|градус\w* (?:по )?Фаренгейт\w*|°\s*Ф)", re.IGNORECASE)
_CELSIUS = re.compile(r"^\s*(?:°\s*C\b|degrees? Celsius|градус\w*(?: (?:по )?Цельси\w*)?|°\s*С|°)", re.IGNORECASE)

_CURRENCY_AFTER = [
    (r"(?:US\s*)?dollars?|USD|доллар\w*|долл\b\.?|\$", "USD"),
    (r"euros?|EUR|евро|еуро\w*|€", "EUR"),
    (r"pounds? sterling|pounds?|GBP|фунт\w* стерлинг\w*|фунт\w*|£", "GBP"),
    (r"tenge|KZT|тенге|теңге\w*|тг\b\.?|₸", "KZT"),
    (r"roubles?|rubles?|RUB|рубл\w*|руб\b\.?|₽", "RUB"),
    (r"yuan|CNY|юан\w*|¥", "CNY"),
]
_CUR_AFTER = [(re.compile(r"^\s*(?:" + p + ")", re.IGNORECASE), c) for p, c in _CURRENCY_AFTER]
_CUR_BEFORE = {"$": "USD", "€": "EUR", "£": "GBP", "₸": "KZT", "₽": "RUB", "¥": "CNY"}
_CUR_CODE_BEFORE = re.compile(r"(USD|EUR|GBP|KZT|RUB)\s*$")


def unit_of(text: str, n: Number) -> tuple[str, float, bool] | None:
    """(family, factor, imperial) of the unit right after the number, if any."""
    after = text[n.end:n.end + 30]
    if _FAHRENHEIT.match(after):
        return "temperature-f", 1.0, True
    if _CELSIUS.match(after):
        return "temperature-c", 1.0, False
    for pat, fam, factor, imperial in _UNIT_RE:
        if pat.match(after):
            return fam, factor, imperial
    return None


def _converted(v: float, src: tuple, tgt: tuple) -> float | None:
    (fs, ks, _), (ft, kt, _) = src, tgt
    if {fs, ft} == {"temperature-f", "temperature-c"}:
        return (v - 32) * 5 / 9 if fs == "temperature-f" else v * 9 / 5 + 32
    if fs != ft or fs.startswith("temperature"):
        return None
    return v * ks / kt


def _close(conv: float, shown: float) -> bool:
    """`shown` is `conv` rounded: within 6%, or within one unit of its last significant digit."""
    if conv == 0:
        return shown == 0
    text = f"{shown:.6g}"
    step = 10 ** (len(text.split(".")[1]) * -1) if "." in text else 10 ** (len(text) - len(text.rstrip("0")))
    return abs(conv - shown) <= max(0.06 * abs(conv), step / 2)


def _floats(n: Number) -> list[float]:
    return [v for v in n.values if isinstance(v, float)]


def reconcile(source: str, translation: str, missing: list[Number], added: list[Number]):
    """(missing, added, imperial_missing): converted pairs removed; source numbers with an
    imperial unit that are still missing returned apart (a warning, not an error)."""
    left_added = list(added)
    still: list[Number] = []
    for s in missing:
        us = unit_of(source, s)
        hit = None
        if us is not None:
            for t in left_added:
                ut = unit_of(translation, t)
                if ut is None or _same_size(us, ut):  # "150 km" -> "160 km" is not a conversion
                    continue
                if any((c := _converted(v, us, ut)) is not None and any(_close(c, w) for w in _floats(t))
                       for v in _floats(s)):
                    hit = t
                    break
        if hit is not None:
            left_added.remove(hit)
        else:
            still.append(s)
    families = {u[0].split("-")[0] for t in left_added if (u := unit_of(translation, t)) is not None}
    # an imperial value with no converted value of its kind beside it (else that is a mismatch)
    imperial = [s for s in still if (u := unit_of(source, s)) is not None and u[2]
                and u[0].split("-")[0] not in families]
    return [s for s in still if s not in imperial], left_added, imperial


def currency_of(text: str, n: Number) -> str | None:
    before = text[max(0, n.start - 5):n.start].rstrip()
    if before and before[-1] in _CUR_BEFORE:
        return _CUR_BEFORE[before[-1]]
    if (m := _CUR_CODE_BEFORE.search(before)) is not None:
        return m.group(1)
    after = text[n.end:n.end + 30]
    for pat, code in _CUR_AFTER:
        if pat.match(after):
            return code
    return None


def currency_swaps(source: str, translation: str, src_n: list[Number], tgt_n: list[Number]):
    """(source number, its currency, translation number, its currency) for an amount whose every
    counterpart in the translation names another currency."""
    out = []
    for s in src_n:
        cs = currency_of(source, s)
        if cs is None:
            continue
        same = [t for t in tgt_n if s.values & t.values]
        if not same:
            continue
        cts = [currency_of(translation, t) for t in same]
        if all(ct is not None and ct != cs for ct in cts):
            out.append((s, cs, same[0], cts[0]))
    return out


def unit_swaps(source: str, translation: str, src_n: list[Number], tgt_n: list[Number]):
    """(source number, translation number) where the same digits carry a unit of the same kind
    but another size ("100 miles" -> "100 км"): a conversion that was not made."""
    out = []
    for s in src_n:
        us = unit_of(source, s)
        if us is None:
            continue
        same = [t for t in tgt_n if s.values & t.values]
        units = [unit_of(translation, t) for t in same]
        if same and all(u is not None and u[0].split("-")[0] == us[0].split("-")[0] and not _same_size(us, u)
                        for u in units):
            out.append((s, same[0]))
    return out


def _same_size(a: tuple, b: tuple) -> bool:
    return a[0] == b[0] and abs(a[1] - b[1]) <= 0.06 * max(a[1], b[1])
