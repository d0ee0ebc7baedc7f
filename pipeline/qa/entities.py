"""Things a translation must carry over unchanged: URLs, e-mails, phone numbers, @handles,
#hashtags, and (more leniently) acronyms and Latin-script names.

Phone numbers need evidence of being a phone: a leading "+", an area code in brackets, or digit
groups joined by hyphens with a group of two ("123-45-67"), and 9 to 15 digits in all. So
"1 000 000" (thousands groups) and "2021 - 2022" (a range of years) are not phones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"«»“”()]+[^\s<>\"«»“”().,;:!?'’]", re.IGNORECASE)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
HANDLE = re.compile(r"(?<![\w@./])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
HASHTAG = re.compile(r"(?<![\w&#/])#[^\W\d_][\w]*")
_PHONE = re.compile(r"(?<![\w+])(?:\+\s?\d[\d\s().-]{7,}\d|(?:\d\s?)?\(\d{2,5}\)[\d\s.-]{5,}\d|\d[\d\s.]*-\d[\d\s-]*\d"
                    r"|8[\s-]?7\d{2}[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2})(?![\w-])")  # last: Kazakh 8 7XX XXX XX XX
_THOUSANDS = re.compile(r"\d{1,3}(?:[ \u00a0]\d{3})+")
_YEAR_RANGE = re.compile(r"\d{4}\s*[-–]\s*\d{2,4}")
# Acronyms: two or more capitals (digits allowed after the first letter): UNODC, OSCE, COVID-19.
ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Z0-9&]*[A-Z][A-Z0-9&]*(?:-\d+)?(?![\w])")
# Latin-script names with a capital inside or a hyphenated capital part: Coca-Cola, iPhone, McDonald.
LATIN_NAME = re.compile(r"(?<![\w-])(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)+|[a-z]+[A-Z]\w*|[A-Z][a-z]+[A-Z]\w*)(?![\w-])")


@dataclass(frozen=True)
class Entity:
    kind: str  # "url" | "email" | "phone" | "handle" | "hashtag" | "acronym" | "name"
    text: str
    start: int
    end: int


def phones(text: str) -> list[Entity]:
    out = []
    for m in _PHONE.finditer(text):
        raw = m.group().strip()
        digits = re.sub(r"\D", "", raw)
        if not 9 <= len(digits) <= 15:
            continue
        if _THOUSANDS.fullmatch(raw) or _YEAR_RANGE.fullmatch(raw):
            continue
        if "-" in raw and not raw.startswith(("+", "(")):
            groups = [g for g in re.split(r"[\s-]+", raw) if g]
            if not any(len(g) == 2 for g in groups) or _YEAR_RANGE.search(raw):
                continue
        out.append(Entity("phone", raw, m.start(), m.start() + len(raw)))
    return out


def extract(text: str) -> list[Entity]:
    """URLs, e-mails, phones, handles and hashtags in `text` (exact-survival entities)."""
    out: list[Entity] = []
    spans: list[tuple[int, int]] = []

    def add(kind: str, m: re.Match) -> None:
        if any(s <= m.start() < e for s, e in spans):
            return
        out.append(Entity(kind, m.group(), m.start(), m.end()))
        spans.append((m.start(), m.end()))

    for m in URL.finditer(text):
        add("url", m)
    for m in EMAIL.finditer(text):
        add("email", m)
    for m in HANDLE.finditer(text):
        add("handle", m)
    for m in HASHTAG.finditer(text):
        add("hashtag", m)
    for e in phones(text):
        if not any(s <= e.start < end for s, end in spans):
            out.append(e)
            spans.append((e.start, e.end))
    return sorted(out, key=lambda e: e.start)


def survives(entity: Entity, translation: str, found: list[Entity]) -> bool:
    """Whether `entity` is in the translation: exactly, or for phones with the same digits.
    URLs and e-mails compare case-insensitively (hosts are case-insensitive)."""
    if entity.kind == "phone":
        digits = re.sub(r"\D", "", entity.text)
        return any(re.sub(r"\D", "", f.text) == digits for f in found if f.kind == "phone") \
            or digits in re.sub(r"\D", "", translation)
    if entity.kind in ("url", "email"):
        return entity.text.lower().rstrip("/") in translation.lower()
    return entity.text in translation


def latin_terms(text: str) -> list[Entity]:
    """Acronyms and brand-like Latin names (UNODC, COVID-19, Coca-Cola, iPhone)."""
    out = [Entity("acronym", m.group(), m.start(), m.end()) for m in ACRONYM.finditer(text)]
    out += [Entity("name", m.group(), m.start(), m.end()) for m in LATIN_NAME.finditer(text)]
    return sorted(out, key=lambda e: e.start)


def masked(text: str) -> str:
    """`text` with URLs, e-mails, phones and tags blanked out (same length, so offsets hold):
    their digits are checked as entities, not as numbers ("+7 (727) 123-45-67" = "+7 727 1234567")."""
    for e in extract(text):
        text = text[:e.start] + " " * (e.end - e.start) + text[e.end:]
    return text

