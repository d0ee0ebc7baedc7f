"""Language-identification rules that need no model: what counts as evidence, script markers of
neighbouring languages, and the word and letter evidence that separates Kazakh from the Turkic
languages no statistical model here knows (Kyrgyz, Tatar, Bashkir, Chuvash, Turkmen, Karakalpak,
Uzbek, Tajik) and English from Latin-script Uzbek, Turkmen, Karakalpak and Serbian.

Every function here is linear in the length of the text (no regular expression that can
backtrack over a long run without spaces: issue 15).
"""
from __future__ import annotations

import re

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
NON_ASCII_LATIN = re.compile(r"[\u00C0-\u024F]")
_NON_LETTERS = re.compile(r"[\W\d_]+")
_CAPITALISED = re.compile(r"\b[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w\-]*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.\w+")
KK_ONLY = set("әғқұһіӘҒҚҰҺІ")  # letters Russian lacks and Kazakh uses often

# Letters Kazakh never uses: Ukrainian ї є ґ; Belarusian/Uzbek/Karakalpak ў; Uzbek/Tajik/Karakalpak
# ҳ; Tajik ӣ ӯ ҷ; Tatar/Turkmen җ; Bashkir ҙ ҫ ҡ ӊ; Chuvash ӑ ӗ ӳ (and Latin ă ĕ ç typed for them);
# Serbian/Macedonian ђ ћ џ љ њ ј ѓ ќ ѕ.
_OTHER_CYR = set("їєґЇЄҐўЎҳҲӣӢӯӮҷҶҗҖҙҘҫҪҡҠӊӉӑӐӗӖӳӲђЂћЋџЏљЉњЊјЈѓЃќЌѕЅ")
_OTHER_LAT_IN_CYR = set("ăĕçÿ")  # Chuvash typed with Latin letters inside Cyrillic words
STRONG_KK = set("іұғқІҰҒҚ")  # і and ұ are Kazakh only among Turkic Cyrillic; ғ қ also Uzbek/Tajik/...
WEAK_TURKIC = set("әөүңһӘӨҮҢҺ")  # shared with Kyrgyz, Tatar, Bashkir, Turkmen, Mongolian

# Kazakh words a neighbour spells differently (words shared with Kyrgyz, like бар, мен, деп, are no
# evidence of Kazakh and are left out).
_KK_WORDS = frozenset([
    "және", "емес", "бойынша", "үшін", "бұл", "осы", "еді", "болып", "болды", "жылғы", "жоқ",
    "бір", "әр", "оның", "олардың", "біз", "сіз", "біздің", "ғана", "туралы", "арқылы", "кезінде",
    "қазақ", "ел", "елдің", "барлық", "жаңа", "тағы", "сондай-ақ", "кейін", "дейін", "бірге",
    "тиіс", "мүмкін", "қатысты", "өтті"
])
_KY_WORDS = frozenset([
    "жана", "менен", "үчүн", "боюнча", "болуп", "бул", "эмес", "дагы", "эле", "анын", "алардын",
    "аны", "бардык", "тийиш", "кылуу", "кылат", "шаар", "шаары", "шаарында", "уюму", "эч", "эки",
    "эркин", "эл", "элдин", "эмгек", "эсеп", "эмне", "эне", "укук", "укуктары", "укуктуу", "деди",
    "өттү", "болот", "бир", "бирок", "башка", "карабастан", "алар", "киши", "иш", "же", "кызмат",
    "билим", "саясий", "ынаным", "буга", "чейин", "кийин", "бүгүн", "жаш"
])
_TT_WORDS = frozenset([
    "һәм", "белән", "өчен", "буенча", "булып", "булган", "итеп", "шул", "аның", "кеше", "бер",
    "һәр", "үз", "юк", "иде", "тиеш", "ләкин", "яки", "яисә", "генә", "ничек", "нинди", "мөмкин",
    "әле", "гына", "дип", "килә", "итә", "торган", "булачак", "әйтте", "бөтен", "турында",
    "карамастан", "хәленә", "эш", "белем", "хакында", "ул", "түгел"
])
_TK_WORDS = frozenset([
    "ве", "билен", "үчин", "хер", "хем", "хич", "я-да", "я‐да", "эдил", "эдилип", "билинмез",
    "дәл", "ягдайда", "ягны", "гечирилди"
])
_UZ_KAA_WORDS = frozenset([
    "ва", "ёки", "учун", "билан", "барча", "бирор", "ҳам", "хәм", "ушын", "мәмлекет", "итибарға",
    "айирмачиликсиз", "кенг", "бугун", "ки", "ба", "дар", "бо", "барои", "мебошад", "аст",
    "беркем", "болду"
])  # + Tajik
_UK_BE_WORDS = frozenset([
    "що", "це", "та", "від", "який", "яка", "які", "або", "має", "кожна", "кожен", "людина",
    "своїх", "його", "її", "шляхом", "што", "гэта", "ад", "мае", "кожны", "чалавек"
])
_RU_WORDS = frozenset([
    "и", "в", "на", "не", "что", "с", "по", "для", "это", "как", "а", "к", "из", "от", "о", "за",
    "у", "же", "но", "или", "при", "было", "был", "была"
])
_OTHER_TURKIC_WORDS = _KY_WORDS | _TT_WORDS | _TK_WORDS | _UZ_KAA_WORDS
# Word beginnings and endings no Kazakh word has: Kyrgyz/Tatar/Uzbek/Turkmen spellings of shared
# words (мамлекет/мемлекет, хокук, өкмөт), the Kyrgyz genitive without ң (-нын -дын -нун...), the
# Uzbek genitive -нинг, Kyrgyz rounded suffixes (-лор -лөр -дү -нү -гө).
_NB_PREFIX = ("мамлекет", "хокук", "хукук", "өкмөт", "укук", "кызмат", "эркин", "эмгек", "билим", "кылуу",
              "кылып", "жүргүз", "өткөр", "мәмлекет", "эдил", "эдип", "карата", "башка", "облус", "жайгаш",
              "түндүк", "йыл", "гәзит", "башта", "башкар", "чогул", "чакыр", "чейин", "тапшыр")
_NB_SUFFIX = ("нин", "нун", "нүн", "дин", "дун", "дүн", "нинг", "лор", "лөр", "дөр", "төр",
              "дү", "нү", "гө", "кө", "гон", "гөн", "лук", "лүк", "дук", "дүк", "дуу", "дүү", "дагы",
              "тагы", "догу", "дөгү", "төгү", "рга", "ргә", "сиз", "лиги", "гига", "моқда", "мокда",
              "ачак", "әчәк", "ячак", "ячәк", "ләр", "нәр", "ләре", "ләрен", "ләрне", "ләрдә", "ләргә",
              "ләрнең", "ләрдән")  # Tatar plurals: Kazakh writes -лер/-нер
# Letter pairs no Kazakh or Russian word has: кы гы (Kazakh қы ғы; Russian writes ки ги), чы (Russian
# never writes чы; Kazakh has шы), лык дык (Kazakh лық дық).
_NB_INFIX = ("кы", "гы", "чы", "чү", "лык", "дык")
# Kyrgyz genitive after a vowel ("оппозициянын"; Kazakh writes -ның), not a participle + accusative
# ("жатқанын"); the -ган participle after a back vowel (Kazakh writes -ған), not "орган".
_KY_GENITIVE = re.compile(r"^(?=\w{8,}$)(?!\w*[ғқгк]анын$)\w*[аеёиоуыэюя]нын$")
_BACK_GAN = re.compile(r"^(?!орган)\w*[аоуы]\w*ган(?:дар|дын|да|дан|ды|ы|ын)?$")
_KY_DOUBLE = re.compile(r"(?:аа|оо|өө|үү|уу|ыы|ээ)")
_RU_DOUBLE_OK = ("сооб", "соор", "коор", "зоо", "пооч", "вакуу", "проон", "здравоохр")  # Russian words with a double vowel

# Latin script: Uzbek (oʻ gʻ, sh ch, q), Turkmen (ä ç ň ö ş ü ý ž), Karakalpak (á ǵ ń ó ú ı w),
# Serbian/Croatian (č ć đ š ž).
# o' g' followed by a letter, but not an English contraction ("who's", "go'n't" ...).
_UZ_APOSTROPHE = re.compile(r"[oOgG]['‘ʻ’`](?=\w)(?!(?:s|t|m|d|ll|ve|re)\b)")
_Q_NOT_QU = re.compile(r"q(?!u)")
_APOSTROPHE_LETTER = re.compile(r"[aAuUiInNsScCyY]['’](?=\w)")  # Karakalpak/Kazakh-2017 style a' u' n'
_CONTRACTION = re.compile(r"\b\w+['’](?:s|t|m|ll|ve|re|d)\b", re.IGNORECASE)
_UZ_WORDS = frozenset([
    "va", "bilan", "uchun", "bo'yicha", "har", "bir", "inson", "huquq", "huquqi", "huquqlari",
    "ega", "emas", "yoki", "hamda", "qilish", "davlat", "etib", "bo'lib", "bo'lgan", "kerak",
    "mumkin", "barcha", "o'z", "ular", "bu", "shu", "ham", "faqat", "hech", "kim", "qonun",
    "jamiyat", "erkin", "tomonidan", "ekanligi", "uning", "ularning", "yilda", "haqida", "bo'ladi",
    "qildi", "dedi", "nima", "edi", "oyi", "yangi", "esa", "bor", "ta", "orasida", "ziyod", "lekin",
    "ammo", "hozirgi", "kuni", "yili", "hafta", "ekan", "qanday", "keyin", "boshqa", "juda", "endi",
    "yana", "degan", "hozircha", "borada", "kerak", "dollarga", "mln", "so'm", "so‘m", "yanvar", "fevral",
    "aprel", "iyun", "iyul", "avgust", "sentyabr", "oktyabr", "noyabr", "dekabr", "prezident", "foto",
    "shahri", "shahar", "viloyati", "viloyat", "tumani", "tuman"
])
_TK_LAT_WORDS = frozenset([
    "we", "bilen", "üçin", "her", "hem", "adam", "hukuk", "bolup", "edýär", "ýa-da", "ýagny",
    "hökmünde"
])
_KAA_WORDS = frozenset([
    "hám", "menen", "ushın", "hár", "adam", "huqıq", "etiw", "bolıp", "ҳәм", "ushin", "boyınsha"
])
_SR_WORDS = frozenset([
    "je", "i", "u", "da", "se", "na", "za", "od", "su", "sa", "koji", "koja", "što", "kao", "ali",
    "ili", "biti", "svaki", "ima", "pravo"
])
_EN_WORDS = frozenset([
    "the", "of", "and", "to", "in", "is", "for", "on", "that", "with", "as", "by", "at", "from",
    "this", "be", "are", "was", "were", "has", "have", "it", "an", "or", "not", "will", "its",
    "their", "which", "who", "new", "me", "what", "she", "he", "you", "they", "been", "had", "but",
    "all", "can", "would", "there", "our", "his", "my", "your", "did", "if", "about", "into", "than",
    "them", "these", "those", "also", "just", "more", "when", "where", "how", "why", "us", "him", "out"
])


def letters(text: str) -> str:
    """The letters of `text`, without URLs, e-mail addresses, #tags and @handles. Linear time:
    tokens are classified one by one instead of by a pattern that backtracks over long runs."""
    if "@" not in text and "://" not in text and "www." not in text and "#" not in text:
        return _NON_LETTERS.sub("", text)
    kept = []
    for tok in text.split():
        if "://" in tok or tok.startswith(("www.", "#", "@")) or ("@" in tok and _EMAIL.fullmatch(tok)):
            continue
        kept.append(tok)
    return _NON_LETTERS.sub("", " ".join(kept))


def drop_quotations(text: str) -> str:
    """`text` with «…», “…” and „…“ quotations replaced by a space (a linear scan; unclosed quotes kept)."""
    if "«" not in text and "“" not in text and "„" not in text:
        return text
    pairs = {"«": "»", "“": "”", "„": "“"}
    out, i, n = [], 0, len(text)
    while i < n:
        close = pairs.get(text[i])
        if close:
            j = text.find(close, i + 1)
            if j != -1:
                out.append(" ")
                i = j + 1
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def evidence_text(text: str) -> str:
    """The part of `text` that tells its language: quotations and capitalised words (names,
    places) are dropped while enough letters remain, since a Kazakh sentence quoting Russian or
    naming "Александр Петрович Иванов" is still Kazakh."""
    for reduce in (drop_quotations, lambda t: _CAPITALISED.sub(" ", t)):
        reduced = reduce(text)
        if len(letters(reduced)) >= 15:
            text = reduced
    return text


def other_script_markers(text: str, apostrophes: bool = True) -> int:
    """How many letters of `text` belong to neighbouring alphabets and never to Kazakh or Russian
    (with `apostrophes`, Uzbek oʻ gʻ count too)."""
    marked = sum(1 for ch in text if ch in _OTHER_CYR)
    if marked or not CYRILLIC.search(text):
        return marked + (len(_UZ_APOSTROPHE.findall(text)) if apostrophes else 0)
    return sum(1 for ch in text if ch in _OTHER_LAT_IN_CYR)


def _words(text: str) -> list[str]:
    text = text.replace("\u2010", "-").replace("\u2011", "-")
    return [w.strip("'’-").lower() for w in re.findall(r"[^\W\d_][\w'’‘ʻ\-]*", text)]


_RU_ENDINGS = ("ого", "его", "ому", "ему", "ать", "ять", "ить", "еть", "ться", "тся", "ает", "ают", "ует",
               "уют", "ный", "ная", "ное", "ные", "ных", "ной", "ый", "ий", "ов", "ев", "ём", "ешь", "ишь")


def _russian_word(w: str) -> bool:
    """A Russian function word, or a word with a Russian inflection."""
    return w in _RU_WORDS or (len(w) > 3 and w.endswith(_RU_ENDINGS))


def _neighbour_word(w: str) -> bool:
    return (w in _OTHER_TURKIC_WORDS or w.startswith(_NB_PREFIX) or any(x in w[1:] for x in _NB_INFIX)
            or _KY_GENITIVE.search(w) is not None or _BACK_GAN.search(w) is not None
            or (len(w) >= 3 and w.endswith("ә"))
            or (len(w) > 4 and w.endswith(_NB_SUFFIX)) or (_KY_DOUBLE.search(w) is not None
                                                           and not w.startswith(_RU_DOUBLE_OK)))


def turkic_verdict(text: str, evidence: str, model_lang: str, from_latin: bool = False) -> str | None:
    """For Cyrillic text the model called kk, ru or another Cyrillic language: "other" when it is a
    neighbour no model knows (Kyrgyz, Tatar, Turkmen, Uzbek...), "kk" when it is Kazakh after all,
    else None (keep the model's answer)."""
    full = drop_quotations(text)
    words = _words(_CAPITALISED.sub(" ", full)) or _words(full)  # names left out where possible
    strong = sum(1 for ch in full if ch in STRONG_KK)
    uniq = sum(1 for ch in full if ch in "ұҰ") + sum(1 for ch in full if ch in "іІ") * (model_lang != "uk")
    weak = sum(1 for ch in full if ch in WEAK_TURKIC)
    n_letters = len(letters(evidence))
    kk_words = sum(1 for w in words if w in _KK_WORDS)
    nb = sum(1 for w in words if _neighbour_word(w))
    slavic = sum(1 for w in words if w in _UK_BE_WORDS)
    russian = sum(1 for w in words if _russian_word(w))
    if from_latin:  # letters made by transliteration prove nothing: words decide
        return "other" if nb > kk_words else None
    if model_lang == "kk":
        if strong == 0 and weak == 0 and sum(1 for w in words if _russian_word(w)) >= nb:
            return None  # no Kazakh letter and Russian inflections: a Russian line with a loanword
        if slavic and not kk_words:
            return "other"
        if nb > kk_words + uniq:
            return "other"
        if strong == 0 and weak and (nb or (n_letters >= 20 and weak >= 2)):
            return "other"
        return None
    if model_lang == "ru":
        turkic = sum(1 for ch in evidence if ch in STRONG_KK or ch in WEAK_TURKIC)  # names left out
        if turkic >= 2 and turkic * 60 >= n_letters:
            return "kk" if kk_words + uniq > nb and strong else "other"
        if (nb >= 2 and nb > russian) or (nb and not russian and len(words) >= 3):
            return "other"
        return None
    if model_lang == "mn" and (strong or weak) and kk_words + uniq > nb:
        return "kk"  # Mongolian has ө ү but none of ә ғ қ ұ і
    return None


def english_words(text: str) -> int:
    return sum(1 for w in _words(text) if w in _EN_WORDS)


def _uz_word(w: str) -> bool:
    return (w.startswith("x") or _Q_NOT_QU.search(w) is not None
            or (len(w) > 5 and w.endswith(("lari", "ligi", "siz", "dir", "iga", "lik", "moq", "ilgan", "ildi", "ida",
                                          "moqda", "larni", "larga", "lardan", "dagi", "gacha", "ilib")))
            or (len(w) > 6 and w.endswith("ning") and (w[-5] not in "rnae" or w.endswith("onning"))))


def latin_neighbour(text: str) -> bool:
    """Latin text that is Uzbek, Turkmen, Karakalpak or Serbian rather than English: two pieces of
    evidence more than English words, or, on a line of one to three words without an English
    word, one (a neighbour's word, letter or suffix in a word that is not a name)."""
    words = _words(text)
    if not words:
        return False
    en = sum(1 for w in words if w in _EN_WORDS)
    uz = sum(1 for w in words if w in _UZ_WORDS) + 2 * len(_UZ_APOSTROPHE.findall(text))
    tk = sum(1 for w in words if w in _TK_LAT_WORDS) + sum(1 for ch in text if ch in "ňŇžŽýÝ")
    kaa = (sum(1 for w in words if w in _KAA_WORDS) + text.count("ı") + text.count("w") * (en == 0)
           + len(_APOSTROPHE_LETTER.findall(_CONTRACTION.sub(" ", text))))
    uz += sum(1 for w in words if _uz_word(w))
    tk += sum(1 for w in words if len(w) > 4 and w.endswith(("dyr", "ygy", "dygy", "lygy")))
    sr = sum(1 for w in words if w in _SR_WORDS) + sum(1 for ch in text if ch in "čćđšČĆĐŠ")
    if max(uz, tk, kaa, sr) >= 2 and max(uz, tk, kaa, sr) > en:
        return True
    if en or len(words) > 3:
        return False
    plain = _words(_CAPITALISED.sub(" ", text))  # names ("Florida", "Qatar") are no evidence
    return any(w in _UZ_WORDS or w in _TK_LAT_WORDS or w in _KAA_WORDS or _uz_word(w) for w in plain) or any(
        ch in "ňŇžŽýÝčćđšČĆĐŠı" for ch in text) or bool(_UZ_APOSTROPHE.search(text)) or bool(
        _APOSTROPHE_LETTER.search(_CONTRACTION.sub(" ", text)))  # Karakalpak's a' i' n' u' in a word
