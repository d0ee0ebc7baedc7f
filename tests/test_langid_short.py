"""Language id on short lines (issue 19): neighbour rules fire only on positive evidence of the
neighbour; short en/ru/kk lines stay en/ru/kk; contact lines are language-neutral; in a document an
uncertain short line or a headline takes the body's language."""
from pathlib import Path

import pytest

from pipeline import Document, registry
from pipeline.document import Paragraph
from pipeline.stages.segment import SegmentStage

DATA = Path(__file__).with_name("data")


@pytest.fixture(scope="module")
def lingua():
    det = registry.create("detect.lingua")
    det.warm_up()
    return det


@pytest.mark.parametrize("text,lang", [
    ("We're ready.", "en"), ("Where's the venue?", "en"), ("They'll arrive at noon.", "en"),
    ("Who's there?", "en"),  # "o's" is an English contraction, not Uzbek oʻ
    ("Ура!", "ru"), ("Правда?", "ru"), ("Да ладно?", "ru"), ("Вот так!", "ru"), ("Давай!", "ru"),
    ("Я знаю.", "ru"), ("Он в Алматы.", "ru"), ("Бешбармак готов.", "ru"), ("Это аксакал.", "ru"),
    ("Сегодня прошёл айтыс акынов.", "ru"), ("Мы видели байгу в ауле Жанакорган.", "ru"),
    ("Кім?", "kk"), ("Рақмет!", "kk"), ("Қош келдіңіз!", "kk"), ("Солай ма?", "kk"),
    # Russian naming Kazakh people and places in Kazakh letters stays Russian
    ("Қасым-Жомарт Тоқаев провёл встречу.", "ru"), ("Ерлан Қошанов посетил Түркістан.", "ru"),
    ("Спасибо, Айгүл!", "ru"), ("Жители аула Көкөзек получили газ.", "ru"), ("Фонд «Әлеумет» помог 300 семьям.", "ru"),
    ("Тоқаев Астанада жиын өткізді.", "kk"), ("Рахмет, Айгүл!", "kk"),
    ("Айтыс акынов", "ru"), ("Жанакорган", "ru"), ("Байга", "ru"), ("Дастархан для всех", "ru"),
    # a lowercase Kazakh word or two in a Russian sentence
    ("На празднике прошла традиционная бәйге.", "ru"), ("В ауле провели бәйге и көкпар.", "ru"),
    ("Жарыста бәйге өтті.", "kk"),
    # only letters Kazakh shares with Kyrgyz and Tatar (ң ө ү), too short to show і ұ ғ қ
    ("Мамаң үйде ме?", "kk"), ("Бөлмең үлкен бе?", "kk"), ("Көмек керек пе?", "kk"),
    ("Ол бала кезден спортпен айналысады", "kk"), ("Алтын адам", "kk"),
    ("Secretary-General António Guterres pays working visit to Kazakhstan", "en"),  # w + ó is no Karakalpak
])
def test_short_lines_stay_in_their_language(lingua, text, lang):
    assert lingua.detect(text)[0] == lang


@pytest.mark.parametrize("text,lang", [
    ("More information: www.unicef.kz or press@unicef.org.", "en"),
    ("Контакты: +7 (717) 255-55-55", "ru"),
])
def test_contact_lines_are_neutral_not_other(lingua, text, lang):
    det = lingua.detect(text)
    assert det[0] == lang and det.reason == "contact"


@pytest.mark.parametrize("text", [
    "Форум буде щотижневий, його відкриє міністр.",  # Ukrainian: є/ї-free but with its words
    "Ар бир адам өз өлкөсүн кошуп алганда",  # Kyrgyz: ө ү without Kazakh і ұ ғ қ
    "Usı jıldıń 5-yanvar kúni Nókis rayonı mekteplerde ilajlar bolıp ótti.",  # Karakalpak Latin
    "Respublika miymanlari’na",  # Karakalpak's older Latin (i’ for ı) on a short line: no English word
    "Shu hafta ma’lum bo‘lishicha, mish-mish rost bo‘lishi mumkin.",  # Uzbek Latin
    "Әстерханда федераль Сабан туе-2017 тәмамланды.",  # Tatar: ә without і ұ ғ қ
])
def test_neighbours_with_evidence_are_other(lingua, text):
    assert lingua.detect(text)[0] == "other"


def test_kazakh_latin_is_not_taken_for_karakalpak(lingua):
    det = lingua.detect("Búgin óńir ákimdiginde máslıhattyń sessııasy ótti.")
    assert det[0] == "kk" and det.script == "Latn"


def _doc(paras: list[tuple[str, str]]) -> Document:
    doc = Document.from_text("x")
    doc.paragraphs = [Paragraph(i, t, kind=k) for i, (k, t) in enumerate(paras)]
    return SegmentStage()(doc)


def test_short_lines_and_headline_take_the_body_language(lingua):
    body = ("Алматы облысында жаңа мектеп ашылды. Оқушыларға арналған спорт залы мен кітапхана бар. "
            "Ғимарат үш жүз баланы қабылдайды.")
    doc = lingua(_doc([("heading", "Бешбармак фестивалі"), ("body", body), ("body", "Рахмет!"),
                       ("body", "Тел.: +7 727 258 26 43, press@unicef.kz")]))
    assert doc.lang == "kk"
    assert [p.lang for p in doc.paragraphs] == ["kk", "kk", "kk", "kk"]
    assert not [f for f in doc.flags if f.code in ("lang-other", "lang-uncertain")]


def test_a_line_with_evidence_keeps_its_own_language(lingua):
    body = "The forum opened in Almaty on Monday. More than 300 delegates took part in the sessions."
    doc = lingua(_doc([("body", body), ("body", "Форум буде щотижневий, його відкриє міністр.")]))
    assert doc.lang == "en" and doc.paragraphs[1].lang == "other"


def _rows(name: str):
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            gold, _, text = line.split("\t", 2)
            yield gold.split(":")[0], text


def test_tatoeba_dev_sentences(lingua):
    rows = list(_rows("langid_tatoeba.tsv"))
    got = lingua.detect_many([t for _, t in rows])
    assert len(rows) >= 100 and [(t, d[0]) for (g, t), d in zip(rows, got) if g != d[0]] == []


def test_neighbour_news_dev_set(lingua):
    rows = list(_rows("langid_news.tsv"))
    got = lingua.detect_many([t for _, t in rows])
    ok = sum(g == d[0] for (g, _), d in zip(rows, got))
    assert len(rows) >= 40 and ok / len(rows) >= 0.85


def test_a_plain_text_headline_takes_the_body_language(lingua):
    text = ("Жанакорган ауданында жаңа мектеп\n\nАудан орталығында 300 орындық мектеп ашылды. Ғимаратта "
            "спорт залы мен кітапхана бар. Құрылысқа облыс бюджетінен қаржы бөлінді.")
    doc = lingua(SegmentStage()(Document.from_text(text)))
    assert doc.lang == "kk" and [p.lang for p in doc.paragraphs] == ["kk", "kk"]
