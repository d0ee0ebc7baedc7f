"""inline.Aligner: source offsets of a paragraph mapped onto its translation."""
from pipeline.document import Paragraph, Segment
from pipeline.io.inline import Aligner


def para(src: str, *translations: str) -> Paragraph:
    from pipeline.text.sentences import split_sentences

    p = Paragraph(0, src)
    p.segments = [Segment(f"p0s{i}", s, sep=sep) for i, (s, sep) in enumerate(split_sentences(src))]
    for seg, t in zip(p.segments, translations, strict=True):
        seg.translations["ru"] = t
    return p


def span(al: Aligner, src: str, piece: str) -> tuple[str, bool]:
    a = src.index(piece)
    b = a + len(piece)
    return al.text[al.map(a):al.map(b)], al.exact(a) and al.exact(b)


def test_identity_is_exact():
    src = "The forum opened. It closed."
    al = Aligner(para(src, "The forum opened.", "It closed."), "ru")
    assert al.identity and span(al, src, "forum") == ("forum", True)


def test_unchanged_sentence_shifts_exactly():
    src = "The forum opened in Almaty. See www.example.org for details."
    al = Aligner(para(src, "Форум открылся в Алматы.", "See www.example.org for details."), "ru")
    assert span(al, src, "www.example.org") == ("www.example.org", True)
    assert span(al, src, "details") == ("details", True)


def test_kept_names_and_numbers_anchor_and_interpolate():
    src = "The forum in Almaty brought together 300 participants from UNDP and OSCE."
    al = Aligner(para(src, "Форум в Almaty собрал 300 участников из UNDP и OSCE."), "ru")
    assert span(al, src, "300") == ("300", True)
    assert span(al, src, "UNDP") == ("UNDP", True)
    assert span(al, src, "participants from") == ("участников из", False)  # between fixed points


def test_span_text_found_once_is_an_anchor():
    src = "Read the Steppe Water report today."
    a = src.index("Steppe Water")
    al = Aligner(para(src, "Прочитайте доклад Steppe Water сегодня."), "ru", anchors=[(a, a + 12)])
    assert span(al, src, "Steppe Water") == ("Steppe Water", True)


def test_word_share_respects_word_ends_and_punctuation():
    src = "Ministers signed the declaration, then left."
    al = Aligner(para(src, "Министры подписали декларацию, затем ушли."), "ru")
    end = src.index(",")
    y = al.map(end)
    assert al.text[:y] == "Министры подписали декларацию"
    assert not al.exact(end)


def test_mapping_is_monotone():
    src = "One two three four five six seven eight nine ten."
    al = Aligner(para(src, "Раз два три четыре пять шесть семь восемь девять десять одиннадцать."), "ru")
    ys = [al.map(x) for x in range(len(src) + 1)]
    assert ys == sorted(ys) and ys[0] == 0 and ys[-1] == len(al.text)


def test_mapping_is_monotone_on_varied_translations():
    import random

    rng = random.Random(13)
    words = ["forum", "Almaty", "300", "participants,", "(UNDP)", "e.g.", "water-use", "—", "said:", "«quote»"]
    for _ in range(200):
        src = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) + "."
        tgt = " ".join(rng.choice(words + ["слово", "ещё"]) for _ in range(rng.randint(1, 15))) + "."
        p = Paragraph(0, src, segments=[Segment("p0s0", src, translations={"ru": tgt})])
        al = Aligner(p, "ru")
        ys = [al.map(x) for x in range(len(src) + 1)]
        assert ys == sorted(ys), (src, tgt)
        assert 0 <= ys[0] and ys[-1] <= len(al.text)


def test_writers_work_on_the_original_when_normalize_repaired_the_text(tmp_path):
    """The default pipeline repairs text for the models (invisible characters, look-alike letters)
    and keeps the original in `source_text`: writers match and copy the author's original."""
    from pathlib import Path

    import docx

    from pipeline.io import read_document, write_outputs
    from pipeline.stages.normalize import NormalizeStage
    from pipeline.stages.segment import SegmentStage

    d = docx.Document()
    p = d.add_paragraph("Форум\u200b прошёл в ")
    p.add_run("Алматы").bold = True
    p.add_run(". Участники из пяти стран.")
    d.add_paragraph("Water forum in Аlmaty.")  # a Cyrillic А inside a Latin word
    src = tmp_path / "n.docx"
    d.save(src)
    md = tmp_path / "n.md"
    md.write_text("Форум\u200b прошёл в **Алматы**. Участники из пяти стран.\n", encoding="utf-8")
    for path in (src, md):
        doc = read_document(path)
        NormalizeStage().process_batch([doc])
        SegmentStage().process_batch([doc])
        assert any(getattr(x, "source_text", None) not in (None, x.text) for x in doc.paragraphs)
        doc.targets = ["ru"]
        out = write_outputs(doc, tmp_path / "out", Path(path.name))["ru"]  # untranslated: the original back
        if path.suffix == ".md":
            assert out.read_bytes() == path.read_bytes()
        else:
            assert [x.text for x in docx.Document(str(out)).paragraphs] == [
                "Форум\u200b прошёл в Алматы. Участники из пяти стран.", "Water forum in Аlmaty."]
