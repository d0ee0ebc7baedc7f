"""The `check.publication` stage runs the QA engine (pipeline.qa) on each machine translation."""
from pipeline import Document
from pipeline.document import Status
from pipeline.stages.check import PublicationChecks
from pipeline.stages.segment import SegmentStage


def checked(src, out, lang="ru", src_lang="en", stage=None):
    doc = SegmentStage()(Document.from_text(src))
    doc.lang = src_lang
    doc.targets = [lang]
    for s in doc.segments:
        s.lang = src_lang
        s.translations[lang] = out
    return (stage or PublicationChecks(detect_language=False))(doc)


def test_numbers_mismatch_flagged_with_detail():
    doc = checked("The budget is 45 million tenge for 2024.", "Бюджет составляет 54 млн тенге на 2024 год.")
    flags = [f for f in doc.flags if f.code == "number-mismatch"]
    assert len(flags) == 1 and "45 million" in flags[0].message and "54 млн" in flags[0].message
    assert flags[0].segment == "p0s0" and flags[0].lang == "ru" and flags[0].severity == "error"
    assert doc.segments[0].flags == ["number-mismatch"]


def test_clean_translation_has_no_flags():
    assert checked("The project will help 300 families.", "Проект поможет 300 семьям.").flags == []
    assert checked("The budget is 1.5 million tenge.", "Бюджет составляет 1,5 млн тенге.").flags == []


def test_coverage_empty_untranslated_entities_repetition():
    def codes(d):
        return sorted({f.code for f in d.flags})

    assert codes(checked("The forum discussed cooperation between the state and society.", "Форум.")) == ["too-short"]
    assert codes(checked("The forum was held in Almaty.", "")) == ["empty"]
    src = "The forum was held in Almaty with many guests."
    assert codes(checked(src, src)) == ["untranslated"]
    assert "email-missing" in codes(checked("Write to press@fund.kz for details.", "Пишите нам для подробностей сегодня."))
    assert "repetition" in codes(checked("Thanks to all the volunteers.", "Спасибо спасибо спасибо спасибо всем."))


def test_segment_marked_untranslated_and_copied_segments():
    doc = SegmentStage()(Document.from_text("Some text in another language."))
    doc.targets = ["ru"]
    seg = doc.segments[0]
    seg.lang = "en"
    seg.set_translation("ru", seg.text, Status.UNTRANSLATED)
    PublicationChecks(detect_language=False)(doc)
    assert [f.code for f in doc.flags] == ["untranslated"]


def test_glossary_and_dnt_from_the_config_folder(tmp_path):
    from pipeline.stage import StageContext

    (tmp_path / "terms.tsv").write_text("en\tkk\nAlmaty\tАлматы\n", encoding="utf-8")
    stage = PublicationChecks(glossary="terms.tsv", do_not_translate=["UNICEF"], detect_language=False)
    stage.configure(StageContext(config_dir=tmp_path))
    ok = checked("UNICEF opened an office in Almaty.", "UNICEF Алматыда кеңсе ашты.", "kk", stage=stage)
    assert ok.flags == []
    stage2 = PublicationChecks(glossary="terms.tsv", do_not_translate=["UNICEF"], detect_language=False)
    stage2.configure(StageContext(config_dir=tmp_path))
    bad = checked("UNICEF opened an office in Almaty.", "ЮНИСЕФ Алатауда кеңсе ашты.", "kk", stage=stage2)
    assert sorted(f.code for f in bad.flags) == ["do-not-translate", "glossary"]


def test_unknown_skip_name_is_a_config_problem():
    assert PublicationChecks.check_params({"skip": ["numbers", "spelling"]}) == [
        ("skip", "unknown check 'spelling'; checks: " + ", ".join(sorted(
            ["empty", "untranslated", "wrong-language", "foreign", "numbers", "entities", "latin-term", "length",
             "repetition", "doubled-word", "unbalanced", "glossary", "do-not-translate"])))]


def test_missing_glossary_file_is_a_stage_error_naming_it(tmp_path):
    import pytest

    from pipeline.stage import StageContext, StageError

    stage = PublicationChecks(glossary="missing-terms.tsv", detect_language=False)
    stage.configure(StageContext(config_dir=tmp_path))
    with pytest.raises(StageError, match="missing-terms.tsv: file not found"):
        stage.warm_up()
