"""Kazakh in Latin script: recognise which alphabet a text uses, and transliterate both ways.

No Latin alphabet for Kazakh is official yet, and three are in use: the 2017 apostrophe
alphabet, the 2018 acute-accent alphabet (Latin editions of Kazinform and Egemen Qazaqstan) and
the 2021 draft. Each is a data file, `pipeline/data/kk_latin/NAME.toml`, with a `to_latin` table
(Cyrillic -> Latin, used for `kk-Latn` output) and a `to_cyrillic` table (Latin -> Cyrillic,
longest match first, used before translation). A new or revised alphabet is a new data file.

Case is handled here with the project's own map: Python's `"İ".lower()` adds U+0307 and
`"i".upper()` gives a dotless `I`, both wrong for Kazakh.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "kk_latin"
DEFAULT_ALPHABET = "2018"
_APOSTROPHES = re.compile(r"[’ʼ´`ʻ‘]")  # typed variants of the 2017 apostrophe
_VOWELS_CYR = set("аәеёиоөұүуыіэюя")
_ADDRESS = re.compile(r"://|^www\.|@|^#|\w\.(?:kz|com|org|net|ru|uz|kg|gov|edu|info)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ´`][^\W\d_]+)*'?")


@dataclass(frozen=True)
class Alphabet:
    name: str
    title: str
    to_latin: dict[str, str]
    to_cyrillic: dict[str, str]
    dotless: str  # the Latin letter that is и after a consonant and й after a vowel ("" if none)
    signature: str  # letters that mark the alphabet in running text
    digraphs: tuple[str, ...]

    def lower(self, ch: str) -> str:
        if ch == "I":
            return "ı" if self.name == "2021" else "i"
        if ch == "İ":
            return "i"
        return ch.lower()

    def upper(self, s: str) -> str:
        out = []
        for ch in s:
            if ch == "i":
                out.append("İ" if self.name == "2021" else "I")
            elif ch == "ı":
                out.append("I")
            else:
                out.append(ch.upper())
        return "".join(out)


def alphabets() -> list[str]:
    """Names of the alphabets shipped as data ("2017", "2018", "2021")."""
    return sorted(p.stem for p in DATA.glob("*.toml"))


@cache
def load(name: str = DEFAULT_ALPHABET) -> Alphabet:
    path = DATA / f"{name}.toml"
    if not path.is_file():
        raise ValueError(f"unknown Kazakh Latin alphabet {name!r}: {path} does not exist "
                         f"(available: {', '.join(alphabets())})")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    sig = data.get("signature", {})
    dot = data.get("dotless", {})
    return Alphabet(name=data["name"], title=data["title"], to_latin=dict(data["to_latin"]),
                    to_cyrillic=dict(data["to_cyrillic"]), dotless=dot.get("letter", ""),
                    signature=sig.get("letters", ""), digraphs=tuple(sig.get("digraphs", ())))


def to_cyrillic(text: str, alphabet: str = DEFAULT_ALPHABET) -> str:
    """Latin-script Kazakh -> Cyrillic. Words that are not Latin letters (numbers, Cyrillic,
    punctuation) pass through unchanged; the length of the text may change (ш from "sh")."""
    abc = load(alphabet)
    if abc.name == "2017":
        text = _APOSTROPHES.sub("'", text)
    def token(m: re.Match) -> str:
        tok = m.group()
        if _ADDRESS.search(tok):
            return tok  # URLs, e-mail addresses, @handles, domain names stay as they are
        return _WORD.sub(lambda w: _word_to_cyrillic(w.group(), abc), tok)
    return re.sub(r"\S+", token, text)


def _word_to_cyrillic(word: str, abc: Alphabet) -> str:
    if not any("a" <= c.lower() <= "z" or c in abc.signature for c in word):
        return word  # not a Latin word
    keys = sorted(abc.to_cyrillic, key=len, reverse=True)
    maxlen = len(keys[0]) if keys else 1
    out: list[str] = []
    caps: list[bool] = []
    i = 0
    low = "".join(abc.lower(c) for c in word)
    while i < len(word):
        if abc.dotless and low.startswith(abc.dotless, i) and not _starts_any(low, i, keys, abc.dotless):
            prev = out[-1][-1].lower() if out and out[-1] else ""
            out.append("й" if prev in _VOWELS_CYR else "и")
            caps.append(word[i].isupper())
            i += len(abc.dotless)
            continue
        for n in range(min(maxlen, len(word) - i), 0, -1):
            piece = low[i:i + n]
            if piece in abc.to_cyrillic:
                out.append(abc.to_cyrillic[piece])
                caps.append(word[i].isupper())
                i += n
                break
        else:
            out.append(word[i])
            caps.append(False)
            i += 1
    all_caps = len(word) > 1 and sum(caps) == len(caps)
    res = []
    for piece, cap in zip(out, caps, strict=True):
        res.append(piece.upper() if all_caps else (piece[:1].upper() + piece[1:] if cap else piece))
    return "".join(res)


def _starts_any(low: str, i: int, keys: list[str], dotless: str) -> bool:
    """A longer table entry starting with the dotless letter (ıa -> я) wins over the rule."""
    return any(len(k) > len(dotless) and k.startswith(dotless) and low.startswith(k, i) for k in keys)


def to_latin(text: str, alphabet: str = DEFAULT_ALPHABET) -> str:
    """Cyrillic Kazakh -> Latin in `alphabet` (for `kk-Latn` output). Non-Cyrillic passes through."""
    abc = load(alphabet)
    out = []
    for m in re.finditer(r"[\u0400-\u04FF]+|[^\u0400-\u04FF]+", text):
        chunk = m.group()
        if not ("\u0400" <= chunk[0] <= "\u04FF"):
            out.append(chunk)
            continue
        all_caps = len(chunk) > 1 and chunk.isupper()
        for j, ch in enumerate(chunk):
            lat = abc.to_latin.get(ch.lower(), ch)
            if ch.isupper() and lat:
                nxt_upper = j + 1 < len(chunk) and chunk[j + 1].isupper()
                lat = abc.upper(lat) if (all_caps or nxt_upper) else abc.upper(lat[0]) + lat[1:]
            out.append(lat)
    return "".join(out)


# -- recognition -------------------------------------------------------------------------------
# Letters of other Turkic Latin alphabets that Kazakh (in any of its alphabets) does not use.
_UZBEK = re.compile(r"\b\w*[oOgG]['‘ʻ’`]\w")  # oʻ gʻ: Uzbek (Kazakh 2017 has o' g' too: see below)
_SLAVIC_LATIN = "ŭłćśźčšđ"  # Belarusian Łacinka, Serbian/Croatian Latin
_Q_NOT_QU = re.compile(r"q(?!u)")
_PLAIN_Y = re.compile(r"y(?!')")
_Y_VOWEL = re.compile(r"[bdfghjklmnpqrstvz]y(?:[bdfghjklmnpqrstvz]|\b)")
_CONTRACTION = re.compile(r"\b\w+'(?:s|t|m|ll|ve|re|d)\b|\bo'clock\b")
_LATIN_LETTERS = re.compile(r"[A-Za-z\u00C0-\u024F]")


def latin_alphabet(text: str) -> tuple[str, float] | None:
    """The Kazakh Latin alphabet `text` looks written in, with a 0..1 strength, or None.

    A signature only: it says "this could be Kazakh in alphabet X", not "this is Kazakh" — the
    caller transliterates and lets the Cyrillic detector confirm. Letters of Turkmen (ň ž ý with
    ä ç ş), Azerbaijani (ə), Karakalpak (w, x) and Uzbek (oʻ gʻ) Latin count against.
    """
    lets = _LATIN_LETTERS.findall(text)
    if len(lets) < 3:
        return None
    n = len(lets)
    low = text.lower()
    count = lambda chars: sum(low.count(c) for c in chars)
    turkmen, azeri = count("ňž"), count("ə")
    scores: dict[str, float] = {}
    # 2018: á ǵ ń ó ú ı (ý alone is Turkmen too); none of the 2021/Turkmen letters.
    own = count("áǵńóúı")
    if not own and _Y_VOWEL.search(low):  # no accents: q (not "qu") and y as the vowel ы ("halyq sany")
        own = len(_Q_NOT_QU.findall(low))
    foreign = count("äçşüöňžğñūəw" + _SLAVIC_LATIN) + 2 * len(_UZBEK.findall(text))
    karakalpak = count("ı") >= 2 and not count("yý")  # Karakalpak writes ы as ı, Kazakh 2018 as y
    if own and foreign * 50 <= n and not karakalpak:
        scores["2018"] = (own + count("ý")) / n
    # 2021: q ñ ū ğ (Turkish and Turkmen have no q ñ ū; Turkmen writes ň ý ž, Azerbaijani ə).
    own = count("qñūğ")
    foreign = count("ýňžəáǵńóú" + _SLAVIC_LATIN) + 2 * len(_UZBEK.findall(text))
    if own and count("äöüşçıñū") and foreign * 50 <= n:
        scores["2021"] = (own + count("äöüşçı")) / n
    # 2017: apostrophe digraphs other than Uzbek's o' g' (a' n' u' s' c' y' i'), English
    # contractions ("n't", "'s", "I'm") left out.
    ap = _CONTRACTION.sub(" ", _APOSTROPHES.sub("'", low))
    marks = sum(ap.count(d) for d in ("a'", "n'", "u'", "s'", "c'", "y'", "i'"))
    # Karakalpak's apostrophe spelling writes ы as i' ("Respublikasi'ni'n'"); Kazakh 2017 writes y.
    kaa = ap.count("i'") >= 2 and ap.count("i'") > 2 * len(_PLAIN_Y.findall(ap))
    if marks >= 2 and marks * 40 >= n and not turkmen and not azeri and not count("wx") and not kaa:
        scores["2017"] = (marks + ap.count("o'") + ap.count("g'")) / n
    if not scores:
        return None
    best = max(scores, key=scores.get)
    return best, min(1.0, scores[best] * 10)
