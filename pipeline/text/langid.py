"""Language-identification rules shared by the detectors (no model, no Stage): which part of a
text is evidence, and what the script alone decides (neighbouring-language markers, Kyrgyz).
The statistical detectors and the stage that labels documents are in `pipeline.stages.detect`."""
from __future__ import annotations

import re
from pathlib import Path

from ..document import OTHER, UNKNOWN

DATA = Path(__file__).resolve().parents[1] / "data"
_URLS = re.compile(r"(https?://\S+|www\.\S+|\S+@\S+\.\w+|#\w+|@\w+)")
_NON_LETTERS = re.compile(r"[\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_NON_ASCII_LATIN = re.compile(r"[\u00C0-\u024F]")
KK_ONLY = set("әғқұһіӘҒҚҰҺІ")  # letters Russian lacks and Kazakh uses often (ң ө ү are shared with Kyrgyz)
_KY_SHARED = re.compile(r"[ңөүҢӨҮ]")
_KK_ONLY = re.compile(r"[әғқұһіӘҒҚҰҺІ]")
# Letters Kazakh never uses: Ukrainian ї є ґ, Belarusian/Uzbek ў, Uzbek ҳ, Tatar/Bashkir җ ҙ ҫ ҡ ӊ;
# Uzbek Latin oʻ gʻ (with a turned comma or left quote, not the English apostrophe).
_OTHER_MARKERS = re.compile(r"[їєґЇЄҐўЎҳҲҗҖҙҘҫҪҡҠӊӉ]|[oOgG][‘ʻ]")
# Frequent Kyrgyz words that Kazakh spells differently (жана/және, менен/мен, үчүн/үшін, боюнча/бойынша).
_KY_WORDS = re.compile(r"\b(жана|менен|үчүн|боюнча|болуп|бул|деп айтты|шаары|шаарында|уюму|өкмөт\w*)\b", re.I)
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|„[^“]*“")
_CAPITALISED = re.compile(r"\b[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w\-]*")


def letters(text: str) -> str:
    return _NON_LETTERS.sub("", _URLS.sub(" ", text))


def evidence_text(text: str) -> str:
    """The part of `text` that tells its language: quotations and capitalised words (names,
    places) are dropped while enough letters remain, since a Kazakh sentence quoting Russian or
    naming "Александр Петрович Иванов" is still Kazakh."""
    for pattern in (_QUOTED, _CAPITALISED):
        reduced = pattern.sub(" ", text)
        if len(letters(reduced)) >= 15:
            text = reduced
    return text


def script_verdict(text: str, min_letters: int) -> tuple[str, float] | None:
    """A decision from the script alone, or None when the statistical model must decide."""
    lets = letters(text)
    if len(lets) < min_letters:
        return UNKNOWN, 0.0
    marked = len(_OTHER_MARKERS.findall(text))
    if marked and marked * 200 >= len(lets):
        return OTHER, 0.9
    if len(lets) >= 20 and len(_CYRILLIC.findall(lets)) > len(lets) / 2 and not _KK_ONLY.search(lets):
        if len(_KY_SHARED.findall(lets)) + 2 * len(_KY_WORDS.findall(text)) >= 2:
            return OTHER, 0.7  # Kyrgyz-like: ө ү ң or Kyrgyz words, but none of ә ғ қ ұ һ і
    return None


def build_langdetect_profile(name: str, text: str) -> dict:
    """A langdetect profile (n-gram counts, 1..3 characters) from raw text, as langdetect builds its own."""
    from langdetect.utils.lang_profile import LangProfile

    profile = LangProfile(name)
    for line in text.splitlines():
        profile.update(line)
    profile.omit_less_freq()
    return {"name": name, "freq": dict(profile.freq), "n_words": profile.n_words}
