"""Normalisation: repairs mixed-script words, invisible characters and NFC, keeps quotes and
dashes, maps back to the original, and never changes text that needs no repair (real sentences)."""
import random
import re
from pathlib import Path

import pytest

from pipeline import Document
from pipeline.stages.normalize import NormalizeStage
from pipeline.stages.segment import SegmentStage
from pipeline.text.normalize import normalize

DATA = Path(__file__).with_name("data")


@pytest.mark.parametrize("text,fixed,kind", [
    ("мəтiн", "мәтін", "lookalike"),                       # Latin ə and i in a Kazakh word
    ("Aлматы қаласы", "Алматы қаласы", "lookalike"),        # Latin A in a Cyrillic word
    ("Пpoект", "Проект", "lookalike"),                      # Latin p, o
    ("ákіmderіne", "ákimderine", "lookalike"),              # Cyrillic і in Latin-script Kazakh
    ("Cоюз", "Союз", "lookalike"),
    ("сло\u00adво", "слово", "soft-hyphen"),
    ("фо\u200bрум", "форум", "zero-width"),
    ("\ufeffФорум", "Форум", "zero-width"),
    ("e\u0301", "\u00e9", "nfc"),
    ("И\u0306", "Й", "nfc"),
])
def test_repairs(text, fixed, kind):
    n = normalize(text)
    assert n.text == fixed
    assert kind in n.changes
    assert n.original_span(text, 0, len(n.text)) == text


@pytest.mark.parametrize("text", [
    "«Цитата» — тире – и \u201cquotes\u201d", "iPhone және Wi-Fi", "COVID-19 вакцинасы", "ҚазМұнайГаз",
    "H2O, CO2 и NO2", "XXI ғасыр", "Mr. Smith's “Survey”", "👩\u200d👩\u200d👧 отбасы",
])
def test_leaves_alone(text):
    assert normalize(text).text == text
    assert not normalize(text).changed


def test_lookalikes_can_be_switched_off():
    assert normalize("мəтiн\u00ad", lookalikes=False).text == "мəтiн"


def real_sentences():
    texts = []
    for path in sorted((DATA / "sentences").glob("*.txt")):
        texts += [ln.replace("¦", "").replace("\\n", "\n") for ln in path.read_text(encoding="utf-8").splitlines()
                  if ln.strip() and not ln.startswith("#")]
    for name in ("langid_dev.tsv", "langid_holdout.tsv", "langid_neighbours.tsv", "langid_neighbours_holdout.tsv"):
        texts += [ln.split("\t")[-1] for ln in (DATA / name).read_text(encoding="utf-8").splitlines()
                  if ln.strip() and not ln.startswith("#")]
    return texts


_MIXED = re.compile(r"\b(?=\w*[\u0400-\u04ff])(?=\w*[A-Za-z\u00c0-\u024f\u0259])\w+\b")


def test_never_changes_real_text_that_needs_no_repair():
    texts = real_sentences()
    assert len(texts) > 1500
    needs = [t for t in texts if _MIXED.search(t)]
    clean = [t for t in texts if not _MIXED.search(t)]
    assert all(normalize(t).text == t for t in clean)
    assert all(normalize(t).text != t for t in needs)  # the real mixed-script items are repaired


def test_random_clean_text_is_unchanged_and_repair_is_idempotent():
    rng = random.Random(7)
    words = ["форум", "қала", "Astana", "NGO", "2024", "«жоба»", "—", "U.S.", "мың", "ákimdik", "…", "👍"]
    lookalike = dict(zip("аеорсі", "aeopci", strict=True))
    for _ in range(500):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        assert normalize(text).text == text
        broken = "".join(lookalike.get(c, c) if rng.random() < 0.3 else c for c in text)
        once = normalize(broken).text
        assert normalize(once).text == once
        assert len(once) == len(broken)


def test_stage_keeps_original_flags_info_and_segments_map_back():
    doc = Document.from_text("Бұл мəтiн фор\u00adум туралы. Келесі сөйлем.\n\nТаза мәтін.")
    NormalizeStage()(doc)
    SegmentStage()(doc)
    p0 = doc.paragraphs[0]
    assert p0.text == "Бұл мәтін форум туралы. Келесі сөйлем."
    assert p0.source_text == "Бұл мəтiн фор\u00adум туралы. Келесі сөйлем."
    assert getattr(doc.paragraphs[1], "source_text", None) is None
    assert [s.text for s in p0.segments] == ["Бұл мәтін форум туралы.", "Келесі сөйлем."]
    assert [getattr(s, "source_text", None) for s in p0.segments] == ["Бұл мəтiн фор\u00adум туралы.", None]
    [flag] = doc.flags
    assert (flag.code, flag.severity) == ("normalized", "info")
    assert "2 look-alike letters repaired" in flag.message and "paragraph 0" in flag.message


def test_stage_on_clean_document_does_nothing():
    doc = Document.from_text("Форум прошёл в Алматы.\n\nForum held in Almaty.")
    NormalizeStage()(doc)
    assert doc.flags == [] and all(getattr(p, "source_text", None) is None for p in doc.paragraphs)
