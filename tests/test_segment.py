"""Sentence splitting: every failure class of issue 12 with en/ru/kk examples, headlines and
datelines, the exact round trip on random text, and the segment stage."""
import random

import pytest

from pipeline import Document, Paragraph
from pipeline.stages.segment import SegmentStage
from pipeline.text.sentences import split_sentences, split_to_fit, split_units


def sents(text):
    pairs = split_sentences(text)
    assert "".join(s + sep for s, sep in pairs) == text  # nothing lost or altered
    return [s for s, _ in pairs]


@pytest.mark.parametrize("text,expected", [
    # the splitter's original cases
    ("А.Б. Иванов выступил на форуме. Он поблагодарил участников.",
     ["А.Б. Иванов выступил на форуме.", "Он поблагодарил участников."]),
    ("Жоба 2015 ж. Астанада басталды. Қазір ол жалғасуда.",
     ["Жоба 2015 ж. Астанада басталды.", "Қазір ол жалғасуда."]),
    ("Бюджет 5 млн. теңге құрады. Бұл т.б. шығындарды қамтиды.",
     ["Бюджет 5 млн. теңге құрады.", "Бұл т.б. шығындарды қамтиды."]),
    ("«Много сделано. Но предстоит больше», — сказал он. Затем форум продолжился.",
     ["«Много сделано. Но предстоит больше», — сказал он.", "Затем форум продолжился."]),
    ("Mr. Smith met Dr. Jones in the U.S. on Monday. They agreed.",
     ["Mr. Smith met Dr. Jones in the U.S. on Monday.", "They agreed."]),
    ('He said “Much was done. More remains.” Then he left.',
     ['He said “Much was done. More remains.”', "Then he left."]),
    ("Т.е. всё хорошо. Да! Правда? 100 человек пришли.",
     ["Т.е. всё хорошо.", "Да!", "Правда?", "100 человек пришли."]),
])
def test_basic_cases(text, expected):
    assert sents(text) == expected


@pytest.mark.parametrize("text,expected", [  # 1. quoted speech + attribution dash + lower case
    ("«Жұмыс жалғасады!» – деді әкім. Кездесу аяқталды.", ["«Жұмыс жалғасады!» – деді әкім.", "Кездесу аяқталды."]),
    ("Неге кешікті? - деп сұрады ол. Жауап болмады.", ["Неге кешікті? - деп сұрады ол.", "Жауап болмады."]),
    ("«Мы готовы!» — сказал директор. Зал аплодировал.", ["«Мы готовы!» — сказал директор.", "Зал аплодировал."]),
    ("Кто ответит? — спросил журналист. Ответа не было.", ["Кто ответит? — спросил журналист.", "Ответа не было."]),
    ('"Are we ready?" – asked the host. Nobody moved.', ['"Are we ready?" – asked the host.', "Nobody moved."]),
    ("— Где вы были? — Дома.", ["— Где вы были?", "— Дома."]),
])
def test_class1_attribution_dash(text, expected):
    assert sents(text) == expected


@pytest.mark.parametrize("text,expected", [  # 2. list and section markers
    ("1. Жобаның мақсаты. 2. Нәтижелер.", ["1. Жобаның мақсаты.", "2. Нәтижелер."]),
    ("8.1. Заявки принимаются до мая. Сумма гранта ограничена.", ["8.1. Заявки принимаются до мая.", "Сумма гранта ограничена."]),
    ("a. Rule of law. b. Transparency.", ["a. Rule of law.", "b. Transparency."]),
    ("IV. Порядок подачи заявок определён.", ["IV. Порядок подачи заявок определён."]),
    ("§2. Участники — НКО. Физлица не участвуют.", ["§2. Участники — НКО.", "Физлица не участвуют."]),
    ("• 9. Minority rights. Priority is given to regions.", ["• 9. Minority rights.", "Priority is given to regions."]),
    ("1. The first item 2. The second item", ["1. The first item", "2. The second item"]),
])
def test_class2_list_markers(text, expected):
    assert sents(text) == expected


@pytest.mark.parametrize("text,expected", [  # 3. abbreviations that end a sentence
    ("The project links Kazakhstan and the U.S. It starts in May.", ["The project links Kazakhstan and the U.S.", "It starts in May."]),
    ("The grant goes to Smith Co. The board agreed.", ["The grant goes to Smith Co.", "The board agreed."]),
    ("Обсудили экологию, образование и т. п. Итоги опубликуют.", ["Обсудили экологию, образование и т. п.", "Итоги опубликуют."]),
    ("Приехали НПО, СМИ и т. д. Модератор открыл форум.", ["Приехали НПО, СМИ и т. д.", "Модератор открыл форум."]),
    ("Мұғалімдер, дәрігерлер т.б. келді. Шара өтті.", ["Мұғалімдер, дәрігерлер т.б. келді.", "Шара өтті."]),
    ("Қатысқандар: ата-аналар, оқушылар т.б. Шара жақсы өтті.", ["Қатысқандар: ата-аналар, оқушылар т.б.", "Шара жақсы өтті."]),
    ("I work for the U.S. Government in Astana.", ["I work for the U.S. Government in Astana."]),
])
def test_class3_final_abbreviations(text, expected):
    assert sents(text) == expected


@pytest.mark.parametrize("text", [  # 4. abbreviations that do not end a sentence
    "See p. 12 of the report.", "The team climbed Mt. Khan Tengri.", "Order No. 463 was signed.",
    "The report is N° 463.", "В пгт. Балпык би прошла встреча.", "Акция прошла у оз. Балхаш.",
    "Рост составил 5 проц. за год.", "Доклад подготовил Дж. Смит.", "Выступила к.п.н. Асель Нурланова.",
    "Модератор — д.м.н. Ерлан Сейткалиев.", "Баяндаманы т.ғ.к. Қайрат Анарбаев жасады.",
    "The lecture was given by Dr. A. Sadykova, PhD, in Almaty.", "Программу возглавила Ph.D. Динара Абенова.",
])
def test_class4_missing_abbreviations(text):
    assert sents(text) == [text]


def test_class5_myn_is_a_word():
    assert sents("Еріктілер саны – 12 мың. Олардың көбі жастар.") == ["Еріктілер саны – 12 мың.", "Олардың көбі жастар."]


@pytest.mark.parametrize("text,expected", [  # 6. Kazakh questions, glued full stops, emoticons, ellipses
    ("Зат есім кім? не? деген сұрақтарға жауап береді.", ["Зат есім кім? не? деген сұрақтарға жауап береді."]),
    ("Хандықтың тарихы қарастырылды.XVIII ғасыр ерекше.", ["Хандықтың тарихы қарастырылды.", "XVIII ғасыр ерекше."]),
    ("Семинар прошёл в Шымкенте.Участники довольны.", ["Семинар прошёл в Шымкенте.", "Участники довольны."]),
    ("Write to info@example.kz.Thanks", ["Write to info@example.kz.Thanks"]),
    ("Рахмет баршаңызға! :) Келесі жылы кездесеміз.", ["Рахмет баршаңызға! :)", "Келесі жылы кездесеміз."]),
    ("The contest is open until Friday :) Send your photos.", ["The contest is open until Friday :)", "Send your photos."]),
    ("Ну что ж. . . Работы много.", ["Ну что ж. . .", "Работы много."]),
])
def test_class6_questions_glued_emoticons_ellipses(text, expected):
    assert sents(text) == expected


@pytest.mark.parametrize("text,expected", [  # 7. an unclosed opening quote
    ("Ол «Ассамблея туралы айтты. Экскурсия жалғасты. Қонақтар риза болды.",
     ["Ол «Ассамблея туралы айтты.", "Экскурсия жалғасты.", "Қонақтар риза болды."]),
    ("Он сказал: «Мы начнём в мае. Потом будет отчёт. Всё.",
     ["Он сказал: «Мы начнём в мае.", "Потом будет отчёт.", "Всё."]),
    ('"Disinformation is a crisis. Polls show it. We act.', ['"Disinformation is a crisis.', "Polls show it.", "We act."]),
])
def test_class7_unclosed_quote(text, expected):
    assert sents(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Достық үйіндегі кездесу\nБүгін Ашық есік күні өтті.",
     [("Достық үйіндегі кездесу", "headline"), ("Бүгін Ашық есік күні өтті.", "sentence")]),
    ("UN implemented over 400 projects - MFA\nOver 30 years, the UN has done much.",
     [("UN implemented over 400 projects - MFA", "headline"), ("Over 30 years, the UN has done much.", "sentence")]),
    ("Шымкент, 14 марта 2024 г. — Фонд запустил программу.",
     [("Шымкент, 14 марта 2024 г. —", "dateline"), ("Фонд запустил программу.", "sentence")]),
    ("ASTANA. KAZINFORM – The U.S. Mission announced grants.",
     [("ASTANA. KAZINFORM –", "dateline"), ("The U.S. Mission announced grants.", "sentence")]),
    ("Қызылорда, 2024 жылғы 5 сәуір — «Таза Су» қоры жоба бастады.",
     [("Қызылорда, 2024 жылғы 5 сәуір —", "dateline"), ("«Таза Су» қоры жоба бастады.", "sentence")]),
    ("17 - 18 May 2016, Almaty, Kazakhstan", [("17 - 18 May 2016, Almaty, Kazakhstan", "dateline")]),
    ("Қызылорда, 2024 жылғы 5 сәуір", [("Қызылорда, 2024 жылғы 5 сәуір", "dateline")]),
    ("Survey on drug use in Kazakhstan", [("Survey on drug use in Kazakhstan", "headline")]),
    ("It was a cold\nnight in the city.", [("It was a cold\nnight in the city.", "sentence")]),
    ("Бірлік – басты құндылық. Ол сақталуы керек.", [("Бірлік – басты құндылық.", "sentence"), ("Ол сақталуы керек.", "sentence")]),
])
def test_headlines_and_datelines(text, expected):
    units = split_units(text)
    assert "".join(u.text + u.sep for u in units) == text
    assert [(u.text, u.kind) for u in units] == expected


def test_round_trip_on_random_text():
    rng = random.Random(12)
    alphabet = list("абвгқұәіAbc xyz.,!?…«»“”\"'()—–-\n\t 0123456789:;)•§") + ["т.б.", "U.S.", " . . . ", ":)", "1. "]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        units = split_units(text)
        if not text.strip():
            assert units == []
            continue
        assert "".join(u.text + u.sep for u in units) == text, repr(text)
        # no empty unit, none ends in whitespace; only a paragraph's own leading whitespace stays in front
        assert all(u.text.strip() and u.text == u.text.rstrip() for u in units), repr(text)
        assert all(u.text == u.text.lstrip() for u in units[1:]), repr(text)


@pytest.mark.parametrize("text", [
    "а" * 200_000 + ". Б" + "." * 50_000,  # one long run without spaces
    "Аа.Бб" * 40_000,                      # 40,000 full stops inside one token
    "а." * 100_000, "т. б. " * 30_000, "«" * 100_000 + ". A", "word\n" * 50_000,
])
def test_pathological_text_is_linear(text):
    import time
    t0 = time.perf_counter()
    units = split_units(text)
    assert time.perf_counter() - t0 < 10  # ~0.5 s here; quadratic behaviour would take minutes
    assert "".join(u.text + u.sep for u in units) == text


def test_split_to_fit_never_drops_text():
    text = ("The forum discussed cooperation; experts shared experience, and participants adopted "
            "recommendations for local governments") * 3
    pieces = split_to_fit(text, lambda t: len(t) <= 40)
    assert all(len(p) <= 40 for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")
    assert "".join(split_to_fit("x" * 100, lambda t: len(t) <= 30)) == "x" * 100


def test_segment_stage_ids_kinds_and_round_trip():
    doc = SegmentStage()(Document.from_text("Title\n\nOne. Two three.\n\nFour."))
    assert [s.id for s in doc.segments] == ["p0s0", "p1s0", "p1s1", "p2s0"]
    assert [s.kind for s in doc.segments] == ["headline", "sentence", "sentence", "sentence"]
    assert doc.translation("xx") == "Title\n\nOne. Two three.\n\nFour."


def test_segment_stage_keeps_glued_separator_and_heading_kind():
    doc = Document.from_text("x", paragraphs=[Paragraph(0, "Итоги года", kind="heading"),
                                              Paragraph(1, "Семинар прошёл.Участники довольны.")])
    SegmentStage()(doc)
    assert [s.kind for s in doc.segments] == ["headline", "sentence", "sentence"]
    assert doc.paragraphs[1].translation("xx") == "Семинар прошёл.Участники довольны."


def test_segment_stage_maps_normalised_text_back_to_the_original():
    original = "Aлматы қаласында фор\u00adум өтті. Мəтiн дайын."
    from pipeline.text.normalize import normalize
    p = Paragraph(0, normalize(original).text)
    p.source_text = original
    doc = SegmentStage()(Document.from_text("x", paragraphs=[p]))
    assert [s.text for s in doc.segments] == ["Алматы қаласында форум өтті.", "Мәтін дайын."]
    assert [getattr(s, "source_text", None) for s in doc.segments] == [
        "Aлматы қаласында фор\u00adум өтті.", "Мəтiн дайын."]


@pytest.mark.parametrize("text,expected", [  # general cases beyond the seven classes
    ("Закон принят в 2020 г. Он вступил в силу в мае.", ["Закон принят в 2020 г.", "Он вступил в силу в мае."]),
    ("В 2023 г. В Алматы прошёл форум.", ["В 2023 г. В Алматы прошёл форум."]),
    ("Бюджет 1,5 млн долл. США выделен фондом.", ["Бюджет 1,5 млн долл. США выделен фондом."]),
    ("The forum ended on Tuesday.Mr. Abenov closed it.", ["The forum ended on Tuesday.", "Mr. Abenov closed it."]),
    ("They raised 1,000.That is a record.", ["They raised 1,000.", "That is a record."]),
    ("It was . . . I think the best year.", ["It was . . . I think the best year."]),
    ("Выступил Иванов А.Б. Он поблагодарил всех.", ["Выступил Иванов А.Б.", "Он поблагодарил всех."]),
    ("The meeting ends at 5 p.m. Then we go home.", ["The meeting ends at 5 p.m.", "Then we go home."]),
    ("volunteers\nlegal advice\nsmall grants", ["volunteers", "legal advice", "small grants"]),
    ("Hello!? Is that you?", ["Hello!?", "Is that you?"]),
    ("Это было в XX в. Потом всё изменилось.", ["Это было в XX в.", "Потом всё изменилось."]),
    ("Мұның бәрі ХХ ғ. Бұл кезең ерекше.", ["Мұның бәрі ХХ ғ.", "Бұл кезең ерекше."]),
    ("Бұл ХХ ғ. басында болды.", ["Бұл ХХ ғ. басында болды."]),
    ("См. прил. 1. Там всё есть.", ["См. прил. 1.", "Там всё есть."]),
    ("Washington, D.C. The city is large.", ["Washington, D.C.", "The city is large."]),
    ("She has $100.00. It is in her bag.", ["She has $100.00.", "It is in her bag."]),
    ("Write to press@fund.kz. We answer daily.", ["Write to press@fund.kz.", "We answer daily."]),
])
def test_general_cases(text, expected):
    assert sents(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Жобаға 3,5 млрд. теңге бөлінді. Құрылыс басталды.", ["Жобаға 3,5 млрд. теңге бөлінді.", "Құрылыс басталды."]),
    ("Өткен жылы 2 млн. АҚШ доллары жұмсалды.", ["Өткен жылы 2 млн. АҚШ доллары жұмсалды."]),
    ("Театр т.б. (барлығы 12 нысан) жөнделді.", ["Театр т.б. (барлығы 12 нысан) жөнделді."]),
    ("Мақала (Егемен Қазақстан, 2020 жыл. № 45) шықты.", ["Мақала (Егемен Қазақстан, 2020 жыл. № 45) шықты."]),
    ("Өсім 5 проц. (2022 жылы 3 проц.) болды.", ["Өсім 5 проц. (2022 жылы 3 проц.) болды."]),
    ("Форум в 2023 г. «Астана» принял гостей.", ["Форум в 2023 г. «Астана» принял гостей."]),
    ("The grants cover categories A, B and C. The deadline is May 5.",
     ["The grants cover categories A, B and C.", "The deadline is May 5."]),
    ("Кто? где? когда? Ответов нет.", ["Кто?", "где?", "когда?", "Ответов нет."]),
    ("Затесім кім? не? деген сұрақтарға жауап береді.", ["Затесім кім? не? деген сұрақтарға жауап береді."]),
    ("The meeting ends at 5 p.m. Mr. Smith will speak first.", ["The meeting ends at 5 p.m.", "Mr. Smith will speak first."]),
    ("Задачи: 1) собрать; 2) обработать; 3) выпустить.", ["Задачи: 1) собрать;", "2) обработать;", "3) выпустить."]),
    ("He received his Ph.D. He then moved to Almaty.", ["He received his Ph.D.", "He then moved to Almaty."]),
    ("Aliya Nurova, Ph.D. Candidate at KazNU, spoke.", ["Aliya Nurova, Ph.D. Candidate at KazNU, spoke."]),
])
def test_round3_classes(text, expected):
    assert [u.text for u in split_units(text)] == expected


def test_long_runs_of_spaces_are_linear():
    import time

    t0 = time.perf_counter()
    for text in ("a" + " " * 100_000 + "b", "Да. " + " " * 100_000 + "Нет.", "Заголовок" + " " * 50_000 + "\n" + " " * 50_000 + "Текст."):
        units = split_units(text)
        assert "".join(u.text + u.sep for u in units) == text
    assert time.perf_counter() - t0 < 3  # 6.4 s (and 40 s on this machine) before: quadratic
