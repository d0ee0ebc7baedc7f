"""Publication QA checks on small real examples in en/ru/kk: a correct pair passes, a broken one
is flagged with the expected code. The language checks use the project's real detector."""
import pytest

from pipeline.qa import Pair, QAEngine, entities, numbers
from pipeline.qa.glossary import GlossaryError, load_glossary


@pytest.fixture(scope="module")
def engine():
    return QAEngine()


def codes(engine, src, tgt, a, b):
    return sorted({f.code for f in engine.check_one(src, tgt, a, b) if f.severity in ("error", "warning")})


# -- numbers, by value -------------------------------------------------------------------------
@pytest.mark.parametrize("src,tgt,a,b", [
    ("The budget is 1,000.5 tenge.", "Бюджет составляет 1 000,5 тенге.", "en", "ru"),
    ("Protesters hope to collect 1.2 million signatures.", "Цель протестующих — собрать 1,2 миллиона подписей.", "en", "ru"),
    ("The fund raised 1.5 million tenge.", "Қор 1,5 млн теңге жинады.", "en", "kk"),
    ("Более 3 тыс. человек пришли на форум.", "Форумға 3 мыңнан астам адам келді.", "ru", "kk"),
    ("About 100,000 people turned up in German cities.", "Германия қалаларында 100 мыңға жуық адам жиналды.", "en", "kk"),
    ("The movement began in the 1930s.", "Движение началось в 30-е годы.", "en", "ru"),
    ("Қозғалыс 1930 жылдары басталды.", "The movement began in the 1930s.", "kk", "en"),
    ("She finished 2nd.", "Она финишировала 2-й.", "en", "ru"),
    ("Ол 2-ші болып мәреге жетті.", "She finished 2nd.", "kk", "en"),
    ("The meeting starts at 11:30 p.m.", "Встреча начнётся в 23:30.", "en", "ru"),
    ("Vidal had joined Barça three seasons ago.", "Видал «Барсаға» үш маусым бұрын келген.", "en", "kk"),
    ("The event ran from 2021 - 2022 with 46% turnout.", "Іс-шара 2021-2022 жылдары өтті, қатысу 46% болды.", "en", "kk"),
])
def test_numbers_equal_in_other_formats_pass(engine, src, tgt, a, b):
    assert not [c for c in codes(engine, src, tgt, a, b) if c.startswith("number")]


@pytest.mark.parametrize("src,tgt,a,b,code", [
    ("The budget is 45 million tenge for 2024.", "Бюджет составляет 54 млн тенге на 2024 год.", "en", "ru", "number-mismatch"),
    ("Жобаның бюджеті 45 млн теңге.", "The budget of the project is 45 thousand tenge.", "kk", "en", "number-mismatch"),
    ("The project will help 300 families.", "Проект поможет семьям.", "en", "ru", "number-missing"),
    ("Проект поможет 300 семьям.", "Жоба 3000 отбасына көмектеседі.", "ru", "kk", "number-mismatch"),
    ("About ten minutes before landing it disappeared.", "Примерно за минут до посадки он исчез.", "en", "ru", "number-missing"),
])
def test_changed_or_dropped_number_flagged(engine, src, tgt, a, b, code):
    assert code in codes(engine, src, tgt, a, b)


def test_number_readings():
    (n,) = numbers.extract("1,300")
    assert n.values == {1.3, 1300.0}  # a decimal comma or a thousands comma: both readings
    (t,) = numbers.extract("11:30 p.m.")
    assert "t23:30" in t.values
    assert numbers.word_values("он сегіз шұңқыр", "kk") >= {10, 8, 18}


# -- links, contacts, phones ---------------------------------------------------------------------
def test_phone_pattern_ignores_thousands_and_year_ranges():
    assert entities.phones("We raised 1 000 000 tenge in 2021 - 2022.") == []
    assert [p.text for p in entities.phones("Call +7 (727) 123-45-67 today")] == ["+7 (727) 123-45-67"]
    assert [p.text for p in entities.phones("Тел.: 8 (7172) 55-66-77.")] == ["8 (7172) 55-66-77"]


@pytest.mark.parametrize("src,ok,bad,a,b,code", [
    ("Write to press@fund.kz for details.", "Подробности: press@fund.kz.", "Пишите нам для подробностей.", "en", "ru", "email-missing"),
    ("Толығырақ: https://example-fund.kz/news", "More at https://example-fund.kz/news", "More on our website", "kk", "en", "url-missing"),
    ("Звоните: +7 (727) 123-45-67.", "Хабарласыңыз: +7 727 123 45 67.", "Хабарласыңыз: +7 727 123 45 76.", "ru", "kk", "phone-missing"),
    ("Follow @UNODC_CA and #Kazakhstan.", "Подписывайтесь на @UNODC_CA и #Kazakhstan.", "Подписывайтесь на нас.", "en", "ru", "handle-missing"),
])
def test_entities_survive(engine, src, ok, bad, a, b, code):
    assert code not in codes(engine, src, ok, a, b)
    assert code in codes(engine, src, bad, a, b)


# -- language ------------------------------------------------------------------------------------
def test_untranslated_and_wrong_language(engine):
    src = "The forum discussed cooperation between the state and civil society."
    ru = "На форуме обсудили сотрудничество государства и гражданского общества."
    kk = "Форумда мемлекет пен азаматтық қоғамның ынтымақтастығы талқыланды."
    assert codes(engine, src, kk, "en", "kk") == []
    assert codes(engine, src, ru, "en", "kk") == ["wrong-language"]  # off-target: Russian for Kazakh
    assert codes(engine, src, src, "en", "kk") == ["untranslated"]
    assert "untranslated" in codes(engine, ru, ru + " " + kk, "ru", "kk")  # half left in Russian


# -- completeness, loops, punctuation ----------------------------------------------------------------
def test_truncated_and_repetition(engine):
    src = "Участники форума приняли рекомендации для местных властей и общественных групп."
    kk = "Форум қатысушылары жергілікті билік пен қоғамдық топтарға арналған ұсыныстар қабылдады."
    assert codes(engine, src, kk, "ru", "kk") == []
    assert "truncated" in codes(engine, src, "Форум қатысушылары жергілікті билік", "ru", "kk")
    loop = "Форум қатысушылары ұсыныстар ұсыныстар ұсыныстар ұсыныстар қабылдады."
    assert "repetition" in codes(engine, src, loop, "ru", "kk")
    phrase = "Participants of the forum adopted the recommendations the recommendations the recommendations."
    assert "repetition" in codes(engine, src, phrase, "ru", "en")


def test_brackets_and_doubled_word(engine):
    src = "The forum (held in Almaty) adopted a resolution."
    assert codes(engine, src, "Форум (прошёл в Алматы) принял резолюцию.", "en", "ru") == []
    assert "unbalanced" in codes(engine, src, "Форум (прошёл в Алматы принял резолюцию.", "en", "ru")
    assert "doubled-word" in codes(engine, src, "Форум (прошёл в в Алматы) принял резолюцию.", "en", "ru")


# -- glossary and do-not-translate ---------------------------------------------------------------------
@pytest.fixture()
def glossary(tmp_path):
    p = tmp_path / "terms.tsv"
    p.write_text("en\tru\tkk\nAlmaty\tАлматы\tАлматы\nAstana\tАстана\tАстана\nEuropean Union\tЕвропейский союз\t"
                 "Еуропалық Одақ\npeople\tнарод|население\tхалық\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("src,tgt,a,b", [
    ("The forum was held in Almaty.", "Форум Алматыда өтті.", "en", "kk"),
    ("The next meeting will be in Astana.", "Келесі кездесу Астанаға көшті.", "en", "kk"),
    ("The European Union supports this work.", "Поддержка Европейского союза важна.", "en", "ru"),
    ("The European Union supports this work.", "Еуропалық Одаққа рахмет.", "en", "kk"),
    ("The people of Astana", "Астана халқының", "en", "kk"),
    ("The people of Astana", "население Астаны", "en", "ru"),
])
def test_glossary_accepts_inflected_forms(glossary, src, tgt, a, b):
    g = load_glossary(glossary, a, b)
    assert g.missing(src, tgt) == []


def test_glossary_flags_missing_term_and_ignores_derived_source_words(glossary):
    eng = QAEngine(glossary=glossary, detect=False)
    flags = eng.check_one("The forum was held in Almaty.", "Форум Алатауда өтті.", "en", "kk")
    assert [f.code for f in flags] == ["glossary"] and "Алматы" in flags[0].message
    g = load_glossary(glossary, "kk", "ru")  # "Еуропалық" (European) is not a form of "Еуропа"
    assert g.missing("Еуропалық стандарттар", "европейские стандарты") == []


def test_two_column_glossary_and_errors(tmp_path):
    p = tmp_path / "en-ru.tsv"
    p.write_text("# DeepL format\nOSCE\tОБСЕ\n", encoding="utf-8")
    g = load_glossary(p, "en", "ru")
    assert [e.source for e, _ in g.missing("OSCE experts met.", "Эксперты ОБСЕ встретились.")] == []
    assert len(g.missing("OSCE experts met.", "Эксперты встретились.")) == 1
    with pytest.raises(GlossaryError, match="missing.tsv: file not found"):
        QAEngine(glossary=tmp_path / "missing.tsv")


def test_do_not_translate(tmp_path):
    eng = QAEngine(dnt=["Coca-Cola", "CADAP"], detect=False)
    src = "Coca-Cola and CADAP supported the campaign."
    assert eng.check_one(src, "Coca-Cola мен CADAP науқанды қолдады.", "en", "kk") == []
    assert eng.check_one(src, "Coca-Cola-ның және CADAP-тың қолдауы.", "en", "kk") == []
    flags = eng.check_one(src, "Кока-Кола и CADAP поддержали кампанию.", "en", "ru")
    assert [f.code for f in flags] == ["do-not-translate"]


def test_unknown_language_is_a_flag_not_a_crash():
    (flags,) = QAEngine(detect=False).check([Pair("Hello there.", "Привет.", "en", "xx")])
    assert [f.code for f in flags] == ["bad-input"] and "'xx'" in flags[0].message


# -- alignment and the review sheet ------------------------------------------------------------------
def test_alignment_pairs_one_to_one_and_finds_a_missing_unit():
    from pipeline.qa.align import PARAGRAPH_PRIORS, Bead, pair_units

    src = ["The forum was held on 12 May 2024.", "The budget is 1.5 million tenge.",
           "Participants came from five countries."]
    kk = ["Форум 2024 жылғы 12 мамырда өтті.", "Қатысушылар бес елден келді."]
    assert pair_units(src[:2], kk, 1.07) == [Bead([0], [0]), Bead([1], [1])]  # counts agree: 1-1
    assert pair_units(src, kk, 1.07, PARAGRAPH_PRIORS) == [Bead([0], [0]), Bead([1], []), Bead([2], [1])]
    # a sentence split in two by the translator is a 1-2 bead
    ru = ["Форум прошёл 12 мая 2024 года.", "Бюджет составляет 1,5 млн тенге.", "Он был утверждён заранее.",
          "Участники приехали из пяти стран."]
    src2 = [src[0], "The budget, approved in advance, is 1.5 million tenge.", src[2]]
    assert pair_units(src2, ru, 1.12) == [Bead([0], [0]), Bead([1], [1, 2]), Bead([2], [3])]


def test_review_sheet_lists_flags_with_checkboxes(tmp_path):
    from pipeline.qa.documents import check_documents, review_sheet

    (tmp_path / "en.txt").write_text("The project will help 300 families.\n\nWrite to press@fund.kz.\n", encoding="utf-8")
    (tmp_path / "ru.txt").write_text("Проект поможет 30 семьям.\n\nПишите нам.\n", encoding="utf-8")
    report = check_documents(QAEngine(detect=False), tmp_path / "en.txt", tmp_path / "ru.txt", "en", "ru")
    assert report.has_error and report.counts()["error"] == 2
    sheet = review_sheet(report)
    assert "- [ ] **error** `number-mismatch`" in sheet and "- [ ] **error** `email-missing`" in sheet
    assert "## Paragraph 1 → 1" in sheet and "## Paragraph 2 → 2" in sheet


@pytest.mark.parametrize("src,tgt,a,b", [
    ("В 2023 году фонд выделил 2,5 млрд тенге на 150 проектов.", "In 2023 the fund allocated 2.5 billion tenge to 150 projects.", "ru", "en"),
    ("2023 жылы қор 150 жобаға 2,5 млрд теңге бөлді.", "В 2023 году фонд выделил 2,5 млрд тенге на 150 проектов.", "kk", "ru"),
    ("Встреча пройдёт 5 марта в 10:00 в 3-м корпусе.", "Кездесу 5 наурызда сағат 10:00-де 3-ші ғимаратта өтеді.", "ru", "kk"),
    ("Охват вырос на 15% — до 12 тыс. человек.", "Қамту 15%-ға өсіп, 12 мың адамға жетті.", "ru", "kk"),
])
def test_numbers_in_release_like_sentences_pass(engine, src, tgt, a, b):
    assert codes(engine, src, tgt, a, b) == []


def test_numbers_in_release_like_sentences_changed(engine):
    src = "Охват вырос на 15% — до 12 тыс. человек."
    assert "number-mismatch" in codes(engine, src, "Қамту 15%-ға өсіп, 21 мың адамға жетті.", "ru", "kk")
    assert "number-mismatch" in codes(engine, src, "Reach grew by 15% to 12 million people.", "ru", "en")


TRIPLE = {  # one sentence in three languages (tests/data/parallel.tsv, written by the project)
    "en": "Experts from Kazakhstan and Kyrgyzstan shared their experience of prevention in schools.",
    "ru": "Эксперты из Казахстана и Кыргызстана поделились опытом профилактики в школах.",
    "kk": "Қазақстан мен Қырғызстан сарапшылары мектептердегі профилактика тәжірибесімен бөлісті.",
}


@pytest.mark.parametrize("a,b", [("en", "ru"), ("en", "kk"), ("ru", "kk"), ("kk", "ru"), ("ru", "en"), ("kk", "en")])
def test_every_direction_correct_passes_and_each_breakage_is_caught(engine, a, b):
    src, tgt = TRIPLE[a], TRIPLE[b]
    third = TRIPLE[next(x for x in TRIPLE if x not in (a, b))]
    assert codes(engine, src, tgt, a, b) == []
    words = tgt.rstrip(".").split()
    assert "truncated" in codes(engine, src, " ".join(words[: len(words) // 2]), a, b)
    assert "repetition" in codes(engine, src, " ".join(words[:3] + words[1:3] * 3 + words[3:]) + ".", a, b)
    assert "doubled-word" in codes(engine, src, " ".join(words[:2] + words[1:]) + ".", a, b)
    assert "unbalanced" in codes(engine, src, tgt.replace(words[1], "(" + words[1]), a, b)
    assert "untranslated" in codes(engine, src, src, a, b)
    assert "wrong-language" in codes(engine, src, third, a, b)


def test_phone_digits_are_not_numbers_and_kazakh_mobile_format(engine):
    src = "Call +7 (727) 123-45-67 about the 300 grants."
    assert codes(engine, src, "Звоните: +7 727 123 45 67 по поводу 300 грантов.", "en", "ru") == []
    assert codes(engine, src, "Звоните: +7 727 123 45 76 по поводу 300 грантов.", "en", "ru") == ["phone-missing"]
    assert [p.text for p in entities.phones("Звоните 8 727 1234567 или 8 701 234 56 78")] == [
        "8 727 1234567", "8 701 234 56 78"]
