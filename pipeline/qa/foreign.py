"""Text left in another script, and Latin-script terms carried over by a conventional rendering.

- `foreign_words`: Cyrillic words in an English translation (untranslated text: an error when the
  word is in the source, a warning otherwise), and a Latin-script clause of ordinary words inside a
  Russian or Kazakh translation (names and brands, capitalised, are excepted).
- `rendered`: whether a Latin acronym of the source is in the translation as its conventional
  rendering (EU -> ЕС / ЕО, WHO -> ВОЗ / ДДСҰ, a broadcaster's name spelled out: BBC -> Би-би-си),
  from renderings.toml.
- `mask_copied_names`: a translation with the names it copied from the source blanked out, for the
  language detector ("Является ли EverGrow Coin следующим Shiba Inu?" is Russian).
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

_CYR_WORD = re.compile(r"(?<![\w-])[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]{2,}(?:-[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+)*(?![\w-])")
_LAT_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NAME = re.compile(r"[^\W\d_]+")
# A Latin-script run, one word or more (inside a Russian or Kazakh text).
_LAT_ANY = re.compile(r"(?<![\w@./:#])[A-Za-z][A-Za-z'’]*(?:[ ,-]+[A-Za-z][A-Za-z'’]*)*")
# Lower-case words that belong to names ("Save the Children", "Bank of America", "van Gogh").
_PARTICLES = {"the", "of", "and", "for", "with", "from", "in", "on", "at", "by", "to", "a", "an", "de", "van",
              "von", "der", "den", "del", "della", "da", "di", "du", "la", "le", "bin", "ibn", "al", "el", "y", "e"}


@lru_cache(maxsize=1)
def renderings() -> dict[str, dict[str, list[str]]]:
    data = tomllib.loads(Path(__file__).with_name("renderings.toml").read_text(encoding="utf-8"))
    return {lang: {k: [v.lower() for v in vs] for k, vs in table.items()} for lang, table in data.items()}


def rendered(term: str, translation: str, lang: str) -> bool:
    stems = renderings().get(lang, {}).get(term.split("-")[0])
    low = translation.lower().replace("ё", "е")
    if stems and any(re.search(r"(?<!\w)" + re.escape(s.replace("ё", "е")), low) for s in stems):
        return True
    # A name spelled out letter by letter: BBC -> Би-би-си, CNN -> Си-эн-эн.
    n = len(term)
    return n >= 2 and any(len(w.split("-")) == n for w in _CYR_WORD.findall(translation) if "-" in w)


def foreign_words(source: str, translation: str, src_lang: str, tgt_lang: str) -> list[tuple[str, str, int, int]]:
    """(severity, message, start, end) of untranslated foreign text in `translation`."""
    out = []
    if tgt_lang == "en":
        src = source.lower()
        for m in _CYR_WORD.finditer(translation):
            w = m.group()
            if w.lower() in src:
                out.append(("error", f"{w!r} is left in {src_lang}, untranslated", m.start(), m.end()))
            else:
                out.append(("warning", f"{w!r} is not English (Cyrillic text in an English translation)",
                            m.start(), m.end()))
        return out[:3]
    for m in _LAT_ANY.finditer(translation):
        words = _LAT_WORD.findall(m.group())
        common = [w for w in words if w.islower() and len(w) > 1]
        text = m.group()
        if len(words) < 3 or len(common) < 2:  # names, brands, titles: capitalised
            # ... but an ordinary English word kept from the source is untranslated ("несколько
            # cryptocurrencies"); a word of the source's own alphabet is not (a kk/ru source).
            odd = [w for w in common if len(w) >= 4 and w not in _PARTICLES
                   and re.search(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", source)]
            # Not a word of a name ("Karenia brevis", "G. fortes", "et al."), not a word quoted as a word.
            named = words[0][0].isupper() or re.search(r"\b[A-Z]\.\s*$", translation[:m.start()]) \
                or _quoted(translation, m.start(), m.end()) or "et al" in text
            if odd and src_lang == "en" and not named:
                out.append(("warning", f"{odd[0]!r} is left in English", m.start(), m.end()))
            continue
        in_source = src_lang == "en" and text.lower() in source.lower()
        quoted = _quoted(translation, m.start(), m.end())
        if in_source and len(words) >= 4 and not quoted:
            out.append(("error", f"{text!r} is left in English, untranslated", m.start(), m.end()))
        elif not (src_lang != "en" and text.lower() in source.lower()):  # a quotation the source has too
            out.append(("warning", f"{text!r} is Latin-script text in a {tgt_lang} translation",
                        m.start(), m.end()))
    return out[:3]


def _quoted(text: str, start: int, end: int) -> bool:
    before, after = text[max(0, start - 2):start], text[end:end + 2]
    return any(q in before for q in "«\"“„(") and any(q in after for q in "»\"”“)")


_QUOTED = re.compile(r"«([^«»]{2,200})»|\"([^\"]{2,200})\"|“([^“”]{2,200})”|„([^„“]{2,200})“")


def mask_copied_names(source: str, translation: str, tgt_lang: str) -> str:
    """`translation` with what it copied from the source blanked: capitalised words (names, in any
    script: "EverGrow Coin", «Самрук-Казына» in a Kazakh text) and quotations kept verbatim."""

    def blank(m: re.Match) -> str:
        w = m.group()
        return " " * len(w) if w[0].isupper() and w in source else w

    out = _NAME.sub(blank, translation)
    for m in _QUOTED.finditer(translation):
        inner = next(g for g in m.groups() if g is not None)
        if len(inner) >= 4 and inner in source:
            out = out[:m.start()] + " " * (m.end() - m.start()) + out[m.end():]
    return out
