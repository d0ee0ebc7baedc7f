"""Latin-script Kazakh: the alphabet tables are data, transliteration both ways, case, and which
alphabet a text is written in (and that Uzbek, Turkmen, Karakalpak and English are not Kazakh)."""
import pytest

from pipeline.text import kazakh_latin as kl

CYR = "Қазақстан Республикасы — Шығыс Еуропа мен Орталық Азияда орналасқан мемлекет. Ішкі істер, ШҚО."


def test_alphabets_are_data_files():
    assert kl.alphabets() == ["2017", "2018", "2021"]
    for name in kl.alphabets():
        abc = kl.load(name)
        assert set("абвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя") <= set(abc.to_latin), name
    with pytest.raises(ValueError, match="unknown Kazakh Latin alphabet '1929'.*available: 2017, 2018, 2021"):
        kl.load("1929")


@pytest.mark.parametrize("name,latin", [
    ("2018", "Qazaqstan Respýblıkasy — Shyǵys Eýropa men Ortalyq Azııada ornalasqan memleket. Ishki ister, SHQO."),
    ("2017", "Qazaqstan Respy'bli'kasy — S'yg'ys Ey'ropa men Ortalyq Azi'i'ada ornalasqan memleket. Is'ki ister, S'QO."),
    ("2021", "Qazaqstan Respūblikası — Şığıs Eūropa men Ortalıq Aziyada ornalasqan memleket. İşki ister, ŞQO."),
])
def test_to_latin_and_back(name, latin):
    assert kl.to_latin(CYR, name) == latin
    back = kl.to_cyrillic(latin, name)
    if name == "2021":  # и and і are one letter (i) in the 2021 draft
        back = back.replace("Республікасы", "Республикасы").replace("Азіяда", "Азияда")
    assert back == CYR


@pytest.mark.parametrize("latin,cyr", [
    ("ShQO-da qaı aýdandardyń ákimi saılanatyny belgili boldy", "ШҚО-да қай аудандардың әкімі сайланатыны белгілі болды"),
    ("Jarııalaý derekkózі", "Жариялау дереккөзі"),            # a Cyrillic і inside passes through
    ("Ishki ister mınıstrliginiń buıryǵy №463", "Ішкі істер министрлігінің бұйрығы №463"),
    ("QAZAQSTAN", "ҚАЗАҚСТАН"),
    ("Kazinform: https://qz.inform.kz, @qazaqstan", "Казінформ: https://qz.inform.kz, @qazaqstan"),
])
def test_to_cyrillic_2018(latin, cyr):
    assert kl.to_cyrillic(latin, "2018") == cyr


def test_2017_apostrophe_variants_are_one_letter():
    for ap in ("'", "’", "ʼ", "´"):
        assert kl.to_cyrillic(f"S{ap}ymkent", "2017") == "Шымкент"


def test_2021_dotted_and_dotless_i():
    assert kl.to_cyrillic("İşki ıstıq", "2021") == "Ішкі ыстық"
    assert kl.to_latin("Ішкі ЫСТЫҚ", "2021") == "İşki ISTIQ"


@pytest.mark.parametrize("text,alphabet", [
    ("Búgin óńir ákimdiginde máslıhattyń sessııasy ótti.", "2018"),
    ("Olarda halyq sany 50 adamnan az.", "2018"),
    ("Arıs qalasındağı jağdayğa baylanıstı Şımkent qalası äkimdiginiñ baspasöz brifingi ötti.", "2021"),
    ("S'ymkent qalasynda jan'a mekteptin' qurylysy bastaldy.", "2017"),
])
def test_recognises_the_alphabet(text, alphabet):
    assert kl.latin_alphabet(text)[0] == alphabet


@pytest.mark.parametrize("text", [
    "The forum was held in Almaty.",                                           # English
    "Women's entrepreneurship award: it's open, don't miss it",                 # English apostrophes
    "Har bir inson oʻz mamlakatida davlat xizmatiga kirishda teng huquqiga egadir.",  # Uzbek
    "Her bir adam zähmet çekmäge, iş saýlamak azatlygyna haklydyr.",          # Turkmen
    "Qaraqalpaqstan Respublikasınıń Mámleketlik Gimni",                         # Karakalpak
    "Qaraqalpaqstan Respublikasi'ni'n' Joqarg'i' Ken'esi-bir palatali' uyi'm.",  # Karakalpak, apostrophes
    "Türkiye Büyük Millet Meclisi toplandı.",                                   # Turkish
])
def test_other_latin_alphabets_are_not_kazakh(text):
    assert kl.latin_alphabet(text) is None
