from pipeline import Document
from pipeline.stages.check import PublicationChecks, numbers
from pipeline.stages.segment import SegmentStage


def checked(src, out, lang="ru", src_lang="en"):
    doc = SegmentStage()(Document.from_text(src))
    doc.lang = src_lang
    doc.targets = [lang]
    for s in doc.segments:
        s.lang = src_lang
        s.translations[lang] = out
    return PublicationChecks()(doc)


def test_numbers_normalised():
    assert numbers("1 200 tonnes, 15% in 2024") == numbers("1,200 тонн, 15% в 2024")
    assert numbers("2,5 млн") == numbers("2.5 million")


def test_numbers_mismatch_flagged_with_detail():
    doc = checked("The budget is 45 million tenge for 2024.", "Бюджет составляет 54 млн тенге на 2024 год.")
    flags = [f for f in doc.flags if f.code == "numbers-mismatch"]
    assert len(flags) == 1 and "missing 45" in flags[0].message and "added 54" in flags[0].message
    assert flags[0].segment == "p0s0" and flags[0].lang == "ru"
    assert doc.segments[0].flags == ["numbers-mismatch"]


def test_clean_translation_has_no_flags():
    doc = checked("The project will help 300 families.", "Проект поможет 300 семьям.")
    assert doc.flags == []


def test_coverage_empty_untranslated_entities_repetition():
    codes = lambda d: sorted({f.code for f in d.flags})  # noqa: E731
    assert codes(checked("The forum discussed cooperation between the state and society.", "Форум.")) == ["low-coverage"]
    assert codes(checked("The forum was held in Almaty.", "")) == ["empty-translation"]
    src = "The forum was held in Almaty with many guests."
    assert codes(checked(src, src)) == ["untranslated"]
    assert codes(checked("Write to press@fund.kz for details.", "Пишите нам для подробностей сегодня.")) == ["entity-missing"]
    assert "repetition" in codes(checked("Thanks to all the volunteers.", "Спасибо спасибо спасибо спасибо всем."))

