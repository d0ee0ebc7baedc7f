"""Positive evidence for language decisions on short text (issue 19): a line is called a
neighbouring or distractor language only with that language's own words or letters in it, never
because the model is unsure; Russian is told from Kazakh by words Kazakh never uses; contact lines
(addresses, e-mails, phones) are language-neutral. Every function is linear in the text's length.
"""
from __future__ import annotations

import re

from .langid_rules import (
    _KK_WORDS,
    _KY_DOUBLE,
    _UK_BE_WORDS,
    STRONG_KK,
    WEAK_TURKIC,
    _neighbour_word,
    _russian_word,
    _words,
    english_words,
)

# Function words of the distractor languages the model knows: a short line is called one of them
# only with such a word (or a letter of its own) in it, never because the model is unsure.
_DISTRACTOR_WORDS = {
    "uk": _UK_BE_WORDS | frozenset(["і", "й", "у", "не", "до", "як", "ми", "ви", "вони", "це", "так", "ні", "дякую"]),
    "be": _UK_BE_WORDS | frozenset(["і", "ў", "не", "да", "як", "мы", "вы", "яны", "дзякуй"]),
    "bg": frozenset(["е", "са", "се", "от", "със", "към", "който", "която", "които", "това", "тази", "този",
                     "ще", "съм", "сме", "сте", "беше", "бяха", "няма", "трябва", "всеки", "всички", "когато",
                     "тук", "защото", "във", "има", "му", "ѝ", "им", "ли", "кой", "какво", "благодаря"]),
    "mk": frozenset(["е", "се", "во", "со", "од", "кој", "која", "кои", "тоа", "ова", "секој", "има", "ќе",
                     "сум", "се", "нема", "благодарам"]),
    "sr": frozenset(["је", "у", "се", "који", "која", "што", "али", "или", "сваки", "има", "хвала"]),
    "mn": frozenset(["нь", "байна", "юм", "бол", "энэ", "ба", "болон", "хүн", "бүр", "эрх", "улс", "байх",
                     "тэр", "гэж", "хийх", "өөрийн", "эсвэл", "биш", "байгаа", "гэсэн", "баярлалаа"]),
    "de": frozenset(["der", "die", "das", "und", "ist", "nicht", "mit", "ein", "eine", "ich", "sie", "wir",
                     "auf", "für", "den", "dem", "von", "zu", "auch", "sich", "des", "im", "es"]),
    "fr": frozenset(["le", "la", "les", "des", "et", "est", "une", "un", "du", "pour", "dans", "que", "qui",
                     "pas", "sur", "au", "je", "nous", "vous", "il", "elle", "avec"]),
    "es": frozenset(["el", "los", "las", "y", "es", "del", "para", "con", "una", "que", "por", "en", "se",
                     "no", "su", "al", "lo", "como"]),
    "tr": frozenset(["ve", "bir", "bu", "için", "ile", "olan", "da", "de", "çok", "ne", "var", "yok", "ben",
                     "sen", "biz", "değil", "olarak", "gibi"]),
    "az": frozenset(["və", "bir", "bu", "üçün", "ilə", "olan", "da", "də", "çox", "var", "yox", "mən", "biz"]),
    "hr": frozenset(["je", "i", "u", "da", "se", "na", "za", "od", "su", "sa", "koji", "koja", "što", "kao",
                     "ali", "ili"]),
}
_BG_HARD_SIGN = re.compile(r"ъ(?=[бвгджзйклмнпрстфхцчшщ]|\b)")  # Russian writes ъ only before е ё ю я
# Russian words no Kazakh sentence has (Kazakh has no one-letter prepositions; "он" is "ten" there).
_RU_ONLY_WORDS = frozenset([
    "в", "с", "к", "у", "о", "и", "на", "не", "что", "по", "для", "это", "как", "из", "от", "за", "же",
    "но", "или", "при", "было", "был", "была", "были", "я", "мы", "вы", "они", "она", "так", "вот",
    "уже", "ещё", "еще", "все", "всё", "где", "кто", "когда", "почему", "нет", "да", "ну", "очень",
    "будет", "есть", "мне", "меня", "его", "её", "их", "нас", "вас", "этот", "эта", "эти", "тут",
])
_KK_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


_NON_ENGLISH_LATIN = re.compile(r"[\u00C0-\u024F\u1E00-\u1EFF]")
_INNER_E = re.compile(r"\wэ")  # э inside a word: Mongolian, Kyrgyz, Tatar; rare in Russian, Kazakh


def distractor_evidence(text: str, lang: str) -> int:
    """Positive evidence that `text` is in the distractor language `lang`, or at least in no
    configured one: its function words; for Bulgarian a hard sign before a consonant ("във");
    in Cyrillic, letters of the Turkic/Mongolian neighbours without Kazakh's own і ұ ғ қ, double
    vowels, an inner э, or words of the Turkic neighbours; in Latin script, letters English lacks."""
    words = _words(text)
    count = sum(1 for w in words if w in _DISTRACTOR_WORDS.get(lang, ()))
    if lang == "bg":
        count += len(_BG_HARD_SIGN.findall(text.lower()))
    low = text.lower()
    if any("\u0400" <= ch <= "\u04ff" for ch in low):
        if not any(ch in STRONG_KK for ch in low):
            # ә ө ү ң һ without і ұ ғ қ: a neighbour, once the text is long enough that Kazakh
            # would show a letter of its own (a short Kazakh question may not: "Мамаң үйде ме?")
            weak = sum(1 for ch in low if ch in WEAK_TURKIC) if sum(ch.isalpha() for ch in low) >= 20 else 0
            count += (weak >= 2) + len(_KY_DOUBLE.findall(low)) + len(_INNER_E.findall(low))
        plain = _words(_CAP_WORD.sub(" ", text))  # names ("Жанакорган") are no evidence
        nb = sum(1 for w in plain if _neighbour_word(w))
        if nb and nb > sum(1 for w in plain if _russian_word(w)):
            count += nb
    else:
        extra = len(_NON_ENGLISH_LATIN.findall(text))
        count += extra >= 2 or (extra and len(words) <= 3)
    return count


def russian_not_kazakh(text: str) -> bool:
    """Cyrillic text with no letter of Kazakh's own and a Russian word Kazakh never uses ("Он в
    Алматы."), or a Russian inflection outside names ("Айтыс акынов"): Russian, whatever a model
    trained on longer text says."""
    if any(ch in _KK_LETTERS for ch in text):
        return False
    words = _words(text)
    if any(w in _KK_WORDS for w in words):
        return False
    return any(w in _RU_ONLY_WORDS for w in words) or any(
        _russian_word(w) or "ё" in w for w in _words(_CAP_WORD.sub(" ", text)))


def russian_with_kazakh_words(text: str) -> bool:
    """A Russian sentence with a Kazakh word or two in it ("На празднике прошла бәйге.", "В ауле
    провели бәйге и көкпар."): Kazakh letters in a third of the words at most, no word only Kazakh
    uses, and a Russian preposition or conjunction ("в", "на", "и", "что")."""
    words = _words(text)
    kazakh = [w for w in words if any(ch in _KK_LETTERS for ch in w)]
    if (not kazakh or len(kazakh) > 2 or 3 * len(kazakh) > len(words) or any(w in _KK_WORDS for w in words)
            or not any(ch in _KK_LETTERS and ch not in "іІ" for w in kazakh for ch in w)  # і: Ukrainian too
            or _INNER_E.search(text)):  # Mongolian
        return False
    # inflections alone would not do: Tatar and Kyrgyz have "-ый" too
    return _RU_PREPOSITION.search(text) is not None


# Russian prepositions and conjunctions no Turkic neighbour writes as a word ("не", "да", "он" are
# Kazakh words too).
_RU_PREPOSITION = re.compile(r"(?<![\w.])(?:в|во|на|по|для|что|это|как|из|от|при|и|с|со|к|о|об|у|через|после|"
                             r"перед)\s", re.I)  # a word on its own, not an initial ("У.Хүрэлсүх")


_PHONE = re.compile(r"\+?\d[\d\s().\-]{6,}\d")
_URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w-]+\.(?:kz|ru|org|com|net|uz|int|gov)\b", re.I)


def contact_line(text: str) -> bool:
    """A contact line: an address, e-mail or phone number with at most a few words around it
    ("More information: www.x.org or press@x.org", "Тел.: +7 (717) 255-55-55"). Language-neutral."""
    if len(text) > 200 or not (_URLISH.search(text) or _PHONE.search(text)):
        return False
    rest = _PHONE.sub(" ", _URLISH.sub(" ", text))
    return len(_words(rest)) <= 6


_KAA_LATIN_WORDS = frozenset(["hám", "menen", "ushın", "bolıp", "jıl", "jılı", "ha'm", "ha’m", "qalası", "sıyaqlı",
                              "xalıq"])


def karakalpak_latin(text: str) -> bool:
    """Karakalpak in Latin script rather than Kazakh (2018: á ǵ ń ó ú, y for ы): Karakalpak writes ы
    as ı, у as w and х as x, and its own words (hám, menen, ushın)."""
    low = text.lower()
    if any(ch in low for ch in "äğñş"):  # the 2021 Kazakh alphabet, which some write with w for ұ
        return False
    words = _words(low)
    score = 2 * sum(1 for w in words if w in _KAA_LATIN_WORDS)
    # 2018 Kazakh writes у as ý, never w; English writes w too, so only in words that are no names,
    # with Karakalpak's acute letters in such words, and without English words
    plain = _words(_CAP_WORD.sub(" ", text))
    w_word = any("w" in w and not w.startswith("www") for w in plain) and not english_words(text)
    score += w_word + (w_word and any(ch in w for w in plain for ch in "áǵńóú"))
    score += low.count("ı") >= 2 and low.count("ı") > low.count("y")
    score += any(w.startswith("x") or "x" in w[1:] for w in words) and any(ch in low for ch in "áǵńóú")
    # the old apostrophe spelling writes ы as i' ("Respublikasi’"), where Kazakh writes y
    apostrophe_i = low.count("i’") + low.count("i'")
    score += 2 * (apostrophe_i >= 2 and apostrophe_i > 2 * low.count("y"))
    return score >= 2


_CAP_WORD = re.compile(r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w\-]*")
_KAZAKH_ANY = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def without_names(text: str) -> str | None:
    """`text` without its capitalised words (names: "Қасым-Жомарт Тоқаев", "Айгүл") when Kazakh
    letters occur only in them, so that a Russian line naming Kazakh people and places is judged by
    its own words; the first word stays unless a capitalised word follows it (a name then). None when
    the Kazakh letters are not all in names, or when too little text would remain."""
    if not any(ch in _KAZAKH_ANY for ch in text):
        return None
    caps = list(_CAP_WORD.finditer(text))
    first = caps[0] if caps and not text[:caps[0].start()].strip(" «\"'(—–-") else None
    if first is not None and not (len(caps) > 1 and not text[first.end():caps[1].start()].strip()):
        caps = caps[1:]  # a sentence's first word, not a name
    out, last = [], 0
    for m in caps:
        out.append(text[last:m.start()])
        last = m.end()
    out.append(text[last:])
    rest = " ".join(out)
    if any(ch in _KAZAKH_ANY for ch in rest) or sum(ch.isalpha() for ch in rest) < 5:
        return None
    return rest if any(_russian_signal(w) for w in _words(rest)) else None


_RU_GREETINGS = frozenset(["спасибо", "привет", "друзья", "здравствуйте", "пожалуйста", "поздравляем", "коллеги"])
_RU_PAST = ("ил", "ел", "ал", "ял", "ла", "ли", "ло", "ть", "ся")


def _russian_signal(w: str) -> bool:
    """A word that shows Russian (a function word, an inflection, ё, a past-tense or infinitive ending)."""
    return (w in _RU_ONLY_WORDS or _russian_word(w) or "ё" in w or w in _RU_GREETINGS
            or (len(w) > 3 and w.endswith(_RU_PAST)))
