"""Glossary (required renderings) and do-not-translate list, with inflection-aware matching.

Glossary files are what DeepL and Google accept: TSV or CSV, one entry per line,
`source term<TAB>target term` (one file per direction), or a header row of language codes
(`en,ru,kk`) with one column per language. `#` starts a comment line. A target cell may list
alternatives separated by `|` ("США|Соединённые Штаты").

Russian and Kazakh inflect, so a term word matches a text word that starts with its stem:
Russian endings are stripped ("Астана" -> "астан": Астане, Астаной; "Европейский союз" ->
европейского союза); Kazakh adds suffixes to the whole word (Алматы -> Алматыда, Алматының),
with the consonant alternation к/қ/п -> г/ғ/б and the dropped vowel of "халық" -> "халқы".
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..languages import SUPPORTED as LANGS  # the one language table


class GlossaryError(Exception):
    """A glossary or do-not-translate file that cannot be used (names the file and line)."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None):
        self.path, self.problem, self.line = Path(path), problem, line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}")


# Inflectional endings of Russian nouns and adjectives (not derivational suffixes: "бразильский"
# is not a form of "Бразилия", and "Сан-Франциско" must not match "Франция").
_RU_ENDINGS = sorted({
    "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й", "ой", "ей", "ий", "ый", "ая", "яя", "ое",
    "ее", "ые", "ие", "ого", "его", "ому", "ему", "ым", "им", "ом", "ем", "ых", "их", "ую", "юю",
    "ою", "ею", "ов", "ев", "ам", "ям", "ами", "ями", "ах", "ях", "ия", "ии", "ию", "ией",
    "ием", "иям", "иями", "иях", "ья", "ье", "ьи", "ью", "ьей", "ьем", "ьям", "ьями", "ьях", "ыми",
    "ими",
}, key=len, reverse=True)
_RU_TAIL = "(?:" + "|".join(_RU_ENDINGS) + ")?"
# Kazakh suffixes that derive a new word (adjective, agent, "without") rather than inflect:
# "Еуропалық" (European) is not a form of "Еуропа".
_KK_DERIVATION = "(?!лық|лік|дық|дік|тық|тік|лы[^қ]|лі[^к]|шыл|шіл|сыз|сіз)"
_KK_ALTERNATION = {"к": "г", "қ": "ғ", "п": "б"}
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def fold(text: str) -> str:
    """Case-folding that is safe for Kazakh and Russian (no dotted-i debris), ё -> е."""
    return text.lower().replace("\u0307", "").replace("ё", "е")


def _ru_stems(word: str) -> list[str]:
    # Every way of reading the end of the dictionary form as an ending: "музей" is муз-ей or
    # музе-й (музея), "остров" has none (острова).
    out = [word] + [word[: -len(end)] for end in _RU_ENDINGS if word.endswith(end) and len(word) - len(end) >= 3]
    stem = min(out, key=len)
    m = re.fullmatch(r"(.*[^аеиоуыэюя])([ое])([кцнлв])", stem)  # fleeting vowel: ребенок -> ребенк-
    if m and len(stem) >= 5:
        out.append(m.group(1) + m.group(3))
    return out


def _kk_stems(word: str) -> list[str]:
    out = [word]
    if word and word[-1] in _KK_ALTERNATION:
        out.append(word[:-1] + _KK_ALTERNATION[word[-1]])
    m = re.fullmatch(r"(.*[^аәеиоөуұүыіэюя])([ыі])([^аәеиоөуұүыіэюя])", word)  # халық -> халқ-
    if m and len(word) >= 4:
        dropped = m.group(1) + m.group(3)
        out.append(dropped[:-1] + _KK_ALTERNATION.get(dropped[-1], dropped[-1]))
        out.append(dropped)
    return out


def word_pattern(word: str, lang: str) -> str:
    """A regex fragment that matches `word` in any inflected form (folded text)."""
    w = fold(word)
    if not re.search(r"[^\W\d_]", w) or (len(w) <= 2 and lang != "kk"):
        return re.escape(w) + r"(?![\w])"
    if lang == "ru":
        stems = _ru_stems(w)
        return "(?:" + "|".join(re.escape(s) for s in stems) + ")" + _RU_TAIL + r"(?![\w])"
    if lang == "kk":
        return "(?:" + "|".join(re.escape(s) for s in _kk_stems(w)) + ")" + _KK_DERIVATION + r"[\w-]{0,12}(?![\w])"
    if lang == "en":
        if re.search(r"[^aeiou]y$", w):  # century -> centuries
            return "(?:" + re.escape(w) + "|" + re.escape(w[:-1]) + r"ies)(?:'s|’s|')?(?![\w])"
        return re.escape(w) + r"(?:s|es|'s|’s|s'|’)?(?![\w])"
    return re.escape(w) + r"(?![\w])"


def term_regex(term: str, lang: str) -> re.Pattern:
    """The words of `term`, each in any inflected form, next to each other."""
    words = [w for part in _WORD.findall(term) for w in part.split("-") if w]  # "премьер-министр" = "Премьер Министр"
    if not words:
        raise ValueError(f"no words in term {term!r}")
    body = r"[\s\-]+(?:\w+[\s\-]+)?".join(word_pattern(w, lang) for w in words) if lang == "kk" \
        else r"[\s\-]+".join(word_pattern(w, lang) for w in words)
    return re.compile(r"(?<![\w])" + body)


def _literal_key(term: str, lang: str) -> str:
    """A substring every inflected form of the term's first word contains (its shortest stem's
    common prefix), for a quick test before the regex."""
    words = [w for part in _WORD.findall(term) for w in part.split("-") if w]
    w = fold(words[0]) if words else ""
    stems = _ru_stems(w) if lang == "ru" else _kk_stems(w) if lang == "kk" else [w, w[:-1] + "ies"]
    return os.path.commonprefix(stems)


@dataclass
class Entry:
    source: str
    targets: list[str]
    line: int
    _src: re.Pattern | None = field(default=None, repr=False)
    _tgt: list[re.Pattern] = field(default_factory=list, repr=False)
    _key: str = field(default="", repr=False)


class Glossary:
    """Entries for one direction; `missing(source, translation)` lists entries whose source term
    is in the source and none of whose target renderings is in the translation."""

    def __init__(self, entries: list[Entry], src_lang: str, tgt_lang: str, path: str = ""):
        self.src_lang, self.tgt_lang, self.path = src_lang, tgt_lang, path
        self.entries = entries
        for e in entries:
            e._src = term_regex(e.source, src_lang)
            e._tgt = [term_regex(t, tgt_lang) for t in e.targets]
            e._key = _literal_key(e.source, src_lang)

    def __len__(self) -> int:
        return len(self.entries)

    def missing(self, source: str, translation: str) -> list[tuple[Entry, re.Match]]:
        src, tgt = fold(source), fold(translation)
        out = []
        for e in self.entries:
            if e._key not in src:  # a plain substring test first: most entries are not in a sentence
                continue
            m = e._src.search(src) if e._src else None
            if m and not any(p.search(tgt) for p in e._tgt):
                out.append((e, m))
        return out


def read_rows(path: Path) -> list[tuple[int, list[str]]]:
    if path.exists() and not path.is_file():  # a folder, or a device such as /dev/zero (read forever)
        raise GlossaryError(path, "not a regular file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise GlossaryError(path, "file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise GlossaryError(path, f"cannot be read as UTF-8 text ({e})") from None
    delim = "\t" if path.suffix.lower() in (".tsv", ".tab", ".txt") or "\t" in text.split("\n", 1)[0] else ","
    out = []
    for i, row in enumerate(csv.reader(io.StringIO(text), delimiter=delim), start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        out.append((i, cells))
    return out


def load_glossary(path: str | Path, src_lang: str, tgt_lang: str) -> Glossary:
    """Read a glossary file for the direction src_lang -> tgt_lang (see the module docstring)."""
    path = Path(path)
    rows = read_rows(path)
    if not rows:
        raise GlossaryError(path, "no entries")
    header = [c.lower() for c in rows[0][1]]
    entries: list[Entry] = []
    if len(header) >= 2 and all(c in LANGS or c == "" or c.startswith("note") for c in header) \
            and sum(c in LANGS for c in header) >= 2:
        if src_lang not in header or tgt_lang not in header:
            raise GlossaryError(path, f"has columns {', '.join(c for c in header if c)}, "
                                      f"not both {src_lang} and {tgt_lang}", rows[0][0])
        si, ti = header.index(src_lang), header.index(tgt_lang)
        body = rows[1:]
    else:
        si, ti, body = 0, 1, rows
    for line, cells in body:
        if len(cells) <= max(si, ti):
            raise GlossaryError(path, f"expected at least {max(si, ti) + 1} columns, found {len(cells)}", line)
        src, tgt = cells[si], cells[ti]
        if not src or not tgt:
            continue  # no rendering given for this language pair
        targets = [t.strip() for t in tgt.split("|") if t.strip()]
        if not _WORD.search(src) or not all(_WORD.search(t) for t in targets):
            raise GlossaryError(path, "a term has no letters or digits", line)
        entries.append(Entry(src, targets, line))
    return Glossary(entries, src_lang, tgt_lang, str(path))


def load_dnt(path: str | Path) -> list[str]:
    """A do-not-translate list: one term per line (or the first column of a CSV/TSV)."""
    path = Path(path)
    terms = [cells[0] for _, cells in read_rows(path) if cells and cells[0]]
    if not terms:
        raise GlossaryError(path, "no terms")
    return terms


def dnt_missing(terms: list[str], source: str, translation: str) -> list[tuple[str, int]]:
    """(term, position in source) for each do-not-translate term in the source that the
    translation does not carry verbatim (suffixes after it are allowed: "Coca-Cola-ның")."""
    out = []
    for term in terms:
        i = _find_whole(source, term)
        if i >= 0 and _find_whole(translation, term) < 0:
            out.append((term, i))
    return out


def _find_whole(text: str, term: str) -> int:
    m = re.search(r"(?<![\w])" + re.escape(term) + (r"(?![^\W_])" if term[-1:].isalnum() else ""), text)
    if m is None and term[-1:].isalnum():  # Kazakh suffix joined with a hyphen or apostrophe
        m = re.search(r"(?<![\w])" + re.escape(term) + r"(?=[-'’][^\W\d_])", text)
    return m.start() if m else -1
