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
# "5.30pm", "5.30 p.m.": British times with a point, only with am/pm (else "5.30" is a decimal too)
_TIME_DOT = re.compile(r"(?<![\w.:])(\d{1,2})\.(\d{2})\s*(?P<ap>[ap])\.?\s?m\b\.?", re.IGNORECASE)
_HOURS = re.compile(r"^\s*(?:-?(?:ге|ке|да|де|та|те))?\s*(?:час|ч\b|hours?\b|o'clock|сағ)", re.IGNORECASE)
_CENTURY = re.compile(r"^(?:-?(?:й|го|м|ом|ші|шы|ы|і))?\s*(?:centur|век|столети|ғасыр)", re.IGNORECASE)
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
    for m in [*_TIME.finditer(text), *_TIME_DOT.finditer(text)]:
        if any(s <= m.start() < e for s, e in taken):
            continue
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
        # "в 17 часов" = "at 5 p.m." (a time), "сағат 17-де"
        if (_HOURS.match(after) or re.search(r"сағат\s*$", text[max(0, m.start() - 8):m.start()], re.IGNORECASE)) \
                and any(isinstance(v, float) and v == int(v) and 0 <= v <= 24 for v in vals):
            vals |= {f"t{int(v) % 24:02d}:00" for v in list(vals) if isinstance(v, float) and v == int(v) and 0 <= v <= 24}
        # Centuries: "19th century" = "19 века" = "XIX ғасыр" = "the 1800s".
        if _CENTURY.match(after) and any(isinstance(v, float) and 1 <= v <= 22 and v == int(v) for v in vals):
            vals |= {(v - 1) * 100 for v in list(vals) if isinstance(v, float) and 1 <= v <= 22}
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


from .numwords import required_words, roman_values, word_values  # noqa: E402,F401  (re-exported)


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
