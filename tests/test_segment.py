import pytest

from pipeline import Document
from pipeline.stages.segment import SegmentStage
from pipeline.text.sentences import split_sentences, split_to_fit


@pytest.mark.parametrize("text,expected", [
    ("А.Б. Иванов выступил на форуме. Он поблагодарил участников.",
     ["А.Б. Иванов выступил на форуме.", "Он поблагодарил участников."]),
    ("Жоба 2015 ж. Астанада басталды. Қазір ол жалғасуда.",
     ["Жоба 2015 ж. Астанада басталды.", "Қазір ол жалғасуда."]),
    ("Бюджет 5 млн. теңге құрады. Бұл т.б. шығындарды қамтиды.",
     ["Бюджет 5 млн. теңге құрады.", "Бұл т.б. шығындарды қамтиды."]),
    ("В 2023 г. В Алматы прошёл форум. Участники из 5 стран.",
     ["В 2023 г. В Алматы прошёл форум.", "Участники из 5 стран."]),
    ("«Много сделано. Но предстоит больше», — сказал он. Затем форум продолжился.",
     ["«Много сделано. Но предстоит больше», — сказал он.", "Затем форум продолжился."]),
    ("Mr. Smith met Dr. Jones in the U.S. on Monday. They agreed.",
     ["Mr. Smith met Dr. Jones in the U.S. on Monday.", "They agreed."]),
    ('He said “Much was done. More remains.” Then he left.',
     ['He said “Much was done. More remains.”', "Then he left."]),
    ("Т.е. всё хорошо. Да! Правда? 100 человек пришли.",
     ["Т.е. всё хорошо.", "Да!", "Правда?", "100 человек пришли."]),
    ("Ernest Robello, CADAP Director, noted it. “Much has been done,” he said.",
     ["Ernest Robello, CADAP Director, noted it.", "“Much has been done,” he said."]),
])
def test_split_sentences(text, expected):
    pairs = split_sentences(text)
    assert [s for s, _ in pairs] == expected
    assert "".join(s + sep for s, sep in pairs) == text


def test_split_to_fit_never_drops_text():
    text = ("The forum discussed cooperation; experts shared experience, and participants adopted "
            "recommendations for local governments") * 3
    pieces = split_to_fit(text, lambda t: len(t) <= 40)
    assert all(len(p) <= 40 for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")
    # no boundary at all: cut inside the word, still nothing lost
    assert "".join(split_to_fit("x" * 100, lambda t: len(t) <= 30)) == "x" * 100


def test_segment_stage_ids_and_round_trip():
    doc = SegmentStage()(Document.from_text("Title\n\nOne. Two three.\n\nFour."))
    assert [s.id for s in doc.segments] == ["p0s0", "p1s0", "p1s1", "p2s0"]
    assert doc.translation("xx") == "Title\n\nOne. Two three.\n\nFour."
