"""Text that is not language (issue 19): recognised in milliseconds before segmentation, reported
as `not-language`, kept as it is, never translated."""
import base64
import os
import time

import pytest

from pipeline import Document, registry
from pipeline.document import Paragraph, Status
from pipeline.stages.normalize import NormalizeStage
from pipeline.stages.segment import SegmentStage
from pipeline.text.notlang import not_language


@pytest.mark.parametrize("text,reason", [
    ("ж" * 200_000, "repeated"),
    ("жаңалық" * 30_000, "without a space"),
    ("Qw3+" * 50_000, "base64"),
    ("=" * 40, "repeated"),
    ("а а а а а а а а а а а а а а а а а а а а а а", "repeated"),
    (base64.b64encode(bytes(range(256)) * 12).decode(), "base64"),
    ("\n".join(base64.b64encode(bytes(range(i, i + 60))).decode() for i in range(20)), "base64"),
    (bytes(range(64)).hex(), "hexadecimal"),
    (" ".join(f"{b:02x}" for b in range(40)), "hexadecimal"),
])
def test_not_language_is_recognised(text, reason):
    assert reason in (not_language(text) or "")


@pytest.mark.parametrize("text", [
    "The forum opened in Almaty on Monday.", "Бүгін Астанада форум өтті.", "Қазақстанның" * 3,
    "https://example.org/" + "a" * 150, "press@unicef.org, info@undp.org", "ха-ха-ха", "-----",
    "deadbeef", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20", "Antidisestablishmentarianism",
    "Жобаға 3,5 млрд. теңге бөлінді. " * 50,
])
def test_language_and_short_marks_are_not_flagged(text):
    assert not_language(text) is None


def test_each_test_takes_milliseconds():
    for text in ("ж" * 200_000, "ab " * 70_000, "a" * 200_000, "0f" * 100_000, "Qw3/" * 50_000):
        t0 = time.perf_counter()
        not_language(text)
        assert time.perf_counter() - t0 < 0.25


def test_reported_and_never_translated_through_the_stages():
    doc = Document.from_text("x")
    doc.paragraphs = [Paragraph(0, "The forum opened in Almaty on Monday. Delegates came from five countries."),
                      Paragraph(1, "ж" * 200_000), Paragraph(2, "More information: www.undp.org")]
    det = registry.create("detect.lingua")
    det.warm_up()
    t0 = time.perf_counter()
    doc = det(SegmentStage()(NormalizeStage()(doc)))
    assert time.perf_counter() - t0 < 1.0
    flags = [f for f in doc.flags if f.code == "not-language"]
    assert len(flags) == 1 and "paragraph 1" in flags[0].message and "200,000 characters" in flags[0].message
    junk = doc.paragraphs[1]
    assert [s.text for s in junk.segments] == ["ж" * 200_000] and junk.lang == "other"
    assert doc.lang == "en" and not [f for f in doc.flags if f.code == "lang-other"]

    tr = registry.create("translate")
    tr._warm = True  # no models: the one direction needed is a stub that refuses long text
    tr.translators[("en", "ru")] = _Echo()
    doc.targets = ["ru"]
    tr.process_batch([doc])
    seg = junk.segments[0]
    assert seg.status["ru"] == Status.COPIED and seg.translations["ru"] == seg.text


class _Echo:
    """A translator stub that refuses text that is not language."""

    def translate_detailed(self, texts):
        assert all(len(t) < 1000 for t in texts), "text that is not language was sent to a model"
        return [(t, Status.TRANSLATED) for t in texts]

    def translate_scored(self, texts):
        return [(t, status, None) for t, status in self.translate_detailed(texts)]


def test_the_summariser_skips_text_that_is_not_language():
    doc = Document.from_text("x")
    doc.paragraphs = [Paragraph(0, "жаңалық" * 30_000)]
    doc = SegmentStage()(NormalizeStage()(doc))
    doc.lang = "other"
    for p in doc.paragraphs:
        p.lang = "other"
    t0 = time.perf_counter()
    assert registry.create("summarize.extractive").rank(doc) == []
    assert time.perf_counter() - t0 < 1.0  # the boilerplate pattern took 13 s on 21,000 such characters
