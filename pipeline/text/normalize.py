"""Text normalisation before models see it: NFC, invisible characters, look-alike letters.

Real Kazakh and Russian web text mixes scripts inside words: "мəтiн" typed with Latin ə and i,
"Aлматы" with a Latin A, "ákіmderіne" (Latin Kazakh) with a Cyrillic і. A detector or translator
sees such a word as noise. `normalize` repairs it, removes zero-width characters and soft hyphens,
and applies Unicode NFC. Typographic quotes and dashes are kept: they carry meaning.

Only the text models see is changed. `normalize` returns an index map (for every character of the
new text, where it came from in the original), so a caller can cut the *original* text at the
places it cut the new one and copy the original through to the output.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

# Latin letters that look like Cyrillic ones, and back. ə/Ə (U+0259/U+018F) are the Latin schwa
# that Kazakh typists use for ә; i/I stand for Kazakh і/І.
_LAT_TO_CYR = dict(zip("aceopxyiəhABCEHKMOPTXYIƏ", "асеорхуіәһАВСЕНКМОРТХУІӘ", strict=True))
_CYR_TO_LAT = {**{v: k for k, v in _LAT_TO_CYR.items()}, "у": "y", "һ": "h", "ј": "j", "ѕ": "s"}
_ZERO_WIDTH = {"\u200b": "zero-width", "\u2060": "zero-width", "\ufeff": "zero-width",
               "\u200c": "zero-width", "\u00ad": "soft-hyphen"}
_ZWJ = "\u200d"  # joins emoji sequences: removed only next to a letter
_WORD = re.compile(r"[^\W\d_]+")
_MAY_NEED_REPAIR = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u00ad]|[\u0400-\u052f][A-Za-z\u00c0-\u024f\u0259\u018f]"
    "|[A-Za-z\u00c0-\u024f\u0259\u018f][\u0400-\u052f]")


def _script(ch: str) -> str:
    o = ord(ch)
    if 0x0400 <= o <= 0x04FF or 0x0500 <= o <= 0x052F:
        return "cyr"
    if ch.isascii() or 0x00C0 <= o <= 0x024F or ch in "əƏ":
        return "lat"
    return "other"


@dataclass
class Normalized:
    text: str
    _index: list[int] | None  # index_map[i]: position in the original of new character i (+ end)
    changes: Counter = field(default_factory=Counter)  # "lookalike", "zero-width", "soft-hyphen", "nfc"

    @property
    def index_map(self) -> list[int]:
        return self._index if self._index is not None else list(range(len(self.text) + 1))

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def original_span(self, original: str, start: int, end: int) -> str:
        """The part of `original` that became `self.text[start:end]`."""
        if self._index is None:
            return original[start:end]
        return original[self._index[start] if start else 0:self._index[end]]

    def describe(self) -> str:
        names = {"lookalike": "look-alike letters repaired", "zero-width": "zero-width characters removed",
                 "soft-hyphen": "soft hyphens removed", "nfc": "characters composed (NFC)"}
        return ", ".join(f"{n} {names[k]}" for k, n in sorted(self.changes.items()))


def normalize(text: str, lookalikes: bool = True) -> Normalized:
    """Normalise `text`; text that needs no repair comes back identical, with no changes.
    `lookalikes=False` leaves mixed-script words alone (NFC and invisible characters only)."""
    if not _MAY_NEED_REPAIR.search(text) and unicodedata.is_normalized("NFC", text):
        return Normalized(text, None, Counter())  # the common case, in one scan
    changes: Counter = Counter()
    chars: list[str] = []
    index: list[int] = []
    # 1. invisible characters
    for i, ch in enumerate(text):
        kind = _ZERO_WIDTH.get(ch)
        if ch == _ZWJ and _letter_near(text, i):
            kind = "zero-width"
        if kind:
            changes[kind] += 1
            continue
        chars.append(ch)
        index.append(i)
    # 2. NFC, per base character and its combining marks
    if not unicodedata.is_normalized("NFC", "".join(chars)):
        out_c: list[str] = []
        out_i: list[int] = []
        j = 0
        while j < len(chars):
            k = j + 1
            while k < len(chars) and unicodedata.combining(chars[k]):
                k += 1
            group = "".join(chars[j:k])
            nfc = unicodedata.normalize("NFC", group)
            if nfc != group:
                changes["nfc"] += 1
            out_c += list(nfc)
            out_i += [index[j]] * len(nfc)
            j = k
        chars, index = out_c, out_i
    # 3. look-alike letters inside words
    new = "".join(chars)
    fixed = _WORD.sub(lambda m: _repair_word(m.group(), changes), new) if lookalikes else new
    return Normalized(fixed, index + [len(text)], changes)


def _letter_near(text: str, i: int) -> bool:
    return (i > 0 and text[i - 1].isalpha()) or (i + 1 < len(text) and text[i + 1].isalpha())


def _repair_word(word: str, changes: Counter) -> str:
    scripts = [_script(c) for c in word]
    if "cyr" not in scripts or "lat" not in scripts:
        return word
    cyr_sure = sum(1 for c, s in zip(word, scripts, strict=True) if s == "cyr" and c not in _CYR_TO_LAT)
    lat_sure = sum(1 for c, s in zip(word, scripts, strict=True) if s == "lat" and c not in _LAT_TO_CYR)
    if cyr_sure and lat_sure:
        return word  # a real mix (a brand name, a code): leave it
    if cyr_sure or (not lat_sure and scripts.count("cyr") >= scripts.count("lat")):
        table, source = _LAT_TO_CYR, "lat"
    else:
        table, source = _CYR_TO_LAT, "cyr"
    out = []
    for c, s in zip(word, scripts, strict=True):
        if s == source and c in table:
            out.append(table[c])
            changes["lookalike"] += 1
        else:
            out.append(c)
    return "".join(out)
