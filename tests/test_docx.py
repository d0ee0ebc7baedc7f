"""Word files: every visible text read once; writing replaces only text and keeps every field,
mark, image, break, tab and hyperlink; formatting follows the translated words."""
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from pipeline.document import Segment
from pipeline.io import read_document, write_outputs
from pipeline.io.docx_write import render_docx
from pipeline.text.sentences import split_sentences

DOCS = Path(__file__).parent / "data" / "docs"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXPECTED = [
    ("heading", "Water forum opens in Almaty"),
    ("body", "The forum brought together more than three hundred participants from five countries of Central Asia."),
    ("body", "The full programme is published on the forum website and will be updated every day."),
    ("body", "This release was prepared on 5 May 2024 by the press office."),
    ("body", "Ministers signed the joint declaration on the second day of the meeting."),
    ("body", "Registration closes on Friday."),
    ("body", "The river basin map is shown here:  (source: national hydrology service)."),
    ("body", "A text box follows."),
    ("textbox", "Key figure: ninety per cent of water is used for irrigation."),
    ("body", "Contact person: Aigerim Sadykova phone +7 727 000 00 00 Almaty office"),
    ("body", "The initiative is funded by its member organisations."),
    ("body", "The budget was three million tenge, said Daniyar Akhmetov."),
    ("body", "Results will be announced in June."),
    ("table", "Country and region"), ("table", "Participants"), ("table", "Kazakhstan"), ("table", "Almaty"),
    ("table", "120"), ("table", "Astana"), ("table", "Women"), ("table", "64"),
    ("body", "The next forum will take place in Bishkek in 2025."),
    ("note", "The declaration text is available from the secretariat."),
    ("note", "Photographs of the signing may be used with credit."),
    ("header", "Press release of the Steppe Water Initiative"),
    ("footer", "Page 1"),
]
COUNTED = ["fldChar", "fldSimple", "instrText", "footnoteReference", "endnoteReference", "commentReference",
           "commentRangeStart", "commentRangeEnd", "bookmarkStart", "bookmarkEnd", "drawing", "pict", "br", "tab",
           "hyperlink", "sdt", "ins", "del", "delText", "pStyle", "rStyle", "b", "i", "numPr", "gridSpan", "vMerge"]


def translate(doc, fn, lang="ru"):
    """Every segment of `doc` translated by `fn`, under `lang` and also "kk" (for language tests)."""
    for p in doc.paragraphs:
        p.segments = [Segment(f"p{p.index}s{i}", s, sep=sep) for i, (s, sep) in enumerate(split_sentences(p.text))]
        for s in p.segments:
            s.translations[lang] = s.translations["kk"] = fn(s.text)
    doc.targets = [lang]
    return doc


def mark(text):
    return " ".join("ʀ" + w if any(c.isalpha() for c in w) else w for w in text.split())


def counts(data: bytes) -> dict:
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                xml = z.read(name).decode()
                for tag in COUNTED:
                    out[(name, tag)] = len(re.findall(rf"<w:{tag}[\s/>]", xml))
    return out


@pytest.mark.parametrize("name", ["constructs.docx", "relocated-main.docx"])
def test_every_visible_text_read_once(name):
    doc = read_document(DOCS / name)
    assert [(p.kind, p.text) for p in doc.paragraphs] == EXPECTED
    assert "two" not in doc.text.split()  # the tracked deletion
    assert doc.metadata["docx"]["comments"] == [
        {"id": "0", "author": "Editor", "text": "Check the date with the organisers.",
         "anchor": "Registration closes on Friday."}]
    assert [(f.code, f.message) for f in doc.flags] == [  # the deletion is said, not silent
        ("read-note", "1 piece(s) of deleted tracked-change text left out (only accepted text is translated)")]


def test_parts_can_be_left_out(tmp_path):
    doc = read_document(DOCS / "constructs.docx", docx_parts=("body",))
    assert [p.kind for p in doc.paragraphs] == [k for k, _ in EXPECTED if k not in ("note", "header", "footer")]
    out = write_outputs(translate(doc, mark), tmp_path, Path("c.docx"))["ru"]
    z = zipfile.ZipFile(out)
    assert "ʀWater" in z.read("word/document.xml").decode()
    for part in ("word/header1.xml", "word/footnotes.xml"):  # not read, so not touched
        assert z.read(part) == zipfile.ZipFile(DOCS / "constructs.docx").read(part)


def test_many_merged_cells_each_read_once_and_written_back(tmp_path):
    """The old reader de-duplicated merged cells by id() of python-docx proxies, which are freed and
    reused: distinct cells were skipped and writing failed with 'paragraph count changed'."""
    d = docx.Document()
    t = d.add_table(rows=40, cols=4)
    for r in range(40):
        for c in range(4):
            t.cell(r, c).text = f"cell {r}-{c}"
    for r in range(0, 40, 2):
        t.cell(r, 0).merge(t.cell(r + 1, 0))  # vertical merge
        t.cell(r, 2).merge(t.cell(r, 3))  # horizontal merge
    p = tmp_path / "merged.docx"
    d.save(p)
    doc = read_document(p)
    texts = [x.text for x in doc.paragraphs]
    # merging moves the merged cells' paragraphs into one cell: every text is there, once
    assert sorted(texts) == sorted(f"cell {r}-{c}" for r in range(40) for c in range(4))
    out, _ = render_docx(translate(doc, mark), "ru")
    again = docx.Document(io.BytesIO(out))
    assert again.tables[0].cell(0, 1).text == "ʀcell 0-1"


def test_identity_write_leaves_every_part_byte_identical():
    src = DOCS / "constructs.docx"
    doc = translate(read_document(src), lambda t: t)
    out, approx = render_docx(doc, "ru")
    assert approx == []
    a, b = zipfile.ZipFile(src), zipfile.ZipFile(io.BytesIO(out))
    assert a.namelist() == b.namelist()
    for name in a.namelist():
        assert a.read(name) == b.read(name), name


def test_write_replaces_only_text():
    src = DOCS / "constructs.docx"
    doc = translate(read_document(src), mark)
    out, approx = render_docx(doc, "ru")
    assert counts(src.read_bytes()) == counts(out)  # every element kept, part by part
    again = read_document_bytes(out)
    assert len(again) == len(EXPECTED)
    for (_, text), new in zip(EXPECTED, again, strict=True):
        assert new.split() == mark(text).split(), (text, new)
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml"))
    link = root.find(f".//{W}hyperlink")
    assert "".join(t.text for t in link.iter(f"{W}t")) == "ʀthe ʀforum ʀwebsite"
    bold = [r for r in root.iter(f"{W}r") if r.find(f"{W}rPr/{W}b") is not None]
    assert "".join(t.text for r in bold for t in r.iter(f"{W}t")) == "ʀmore ʀthan ʀthree ʀhundred"
    # the VML copy of the text box (mc:Fallback) is translated too
    xml = zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml").decode()
    assert xml.count("ʀKey ʀfigure: ʀninety") == 2
    assert "Key figure" not in xml


def read_document_bytes(data: bytes) -> list[str]:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".docx") as f:
        f.write(data)
        f.flush()
        return [p.text for p in read_document(f.name).paragraphs]


def test_footnote_mark_placed_after_its_word():
    doc = translate(read_document(DOCS / "constructs.docx"), mark)
    out, _ = render_docx(doc, "ru")
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml"))
    p = [p for p in root.iter(f"{W}p") if p.find(f".//{W}footnoteReference") is not None][0]
    seq = []
    for el in p.iter(f"{W}t", f"{W}footnoteReference", f"{W}endnoteReference"):
        seq.append(el.text if el.tag == f"{W}t" else "[" + etree.QName(el).localname[0] + "]")
    assert "".join(seq) == "ʀMinisters ʀsigned ʀthe ʀjoint ʀdeclaration[f] ʀon ʀthe ʀsecond ʀday ʀof ʀthe ʀmeeting[e]."


def test_anchored_names_keep_their_formatting_exactly():
    """A translation that keeps a name: the smart tag lands on exactly those words."""
    doc = read_document(DOCS / "constructs.docx")
    ru = {"The budget was three million tenge, said Daniyar Akhmetov.":
          "Бюджет составил три миллиона тенге, сказал Daniyar Akhmetov."}
    translate(doc, lambda t: ru.get(t, t))
    out, approx = render_docx(doc, "ru")
    assert approx == [11]  # the insertion ("three") has no anchor in the translation: reported
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml"))
    tag = root.find(f".//{W}smartTag")
    assert "".join(t.text for t in tag.iter(f"{W}t")) == "Daniyar Akhmetov"
    ins = root.find(f".//{W}ins")
    assert "".join(t.text or "" for t in ins.iter(f"{W}t")) in ("три", "")  # the insertion keeps a share of the words


@pytest.mark.subprocess
def test_outputs_open_in_python_docx_and_pandoc(tmp_path):
    doc = translate(read_document(DOCS / "constructs.docx"), mark)
    paths = write_outputs(doc, tmp_path, Path("constructs.docx"))
    out = paths["ru"]
    assert out.name == "constructs.ru.docx"
    assert docx.Document(str(out)).paragraphs[0].text == "ʀWater ʀforum ʀopens ʀin ʀAlmaty"
    review = paths["review"].read_text(encoding="utf-8")
    assert 'Editor: Check the date with the organisers. (on "Registration closes on Friday.")' in review
    assert "deleted tracked-change text left out" in review
    if not shutil.which("pandoc"):
        pytest.skip("pandoc not installed (apt-get install pandoc)")
    text = subprocess.run(["pandoc", str(out), "-t", "plain"], capture_output=True, check=True).stdout.decode()
    assert "ʀdeclaration[1]" in text and "ʀThe ʀdeclaration ʀtext" in text


def test_approximate_placement_is_reported(tmp_path):
    """Reordered words: the bold run cannot be placed with certainty; the text is whole and the
    review sheet says so."""
    doc = read_document(DOCS / "constructs.docx")
    src = EXPECTED[1][1]
    translate(doc, lambda t: " ".join(reversed(t.split())) if t == src else t)
    paths = write_outputs(doc, tmp_path, Path("c.docx"))
    again = read_document(paths["ru"])
    assert again.paragraphs[1].text.split() == list(reversed(src.split()))
    review = paths["review"].read_text(encoding="utf-8")
    assert "format-approximate" in review and "paragraph(s): 2" in review


def test_proofing_language_follows_the_translation():
    doc = translate(read_document(DOCS / "constructs.docx"), mark)
    out, _ = render_docx(doc, "kk")
    z = zipfile.ZipFile(io.BytesIO(out))
    styles = z.read("word/styles.xml").decode()
    assert re.search(r'<w:docDefaults>.*<w:lang w:val="kk-KZ"', styles, re.S)
    assert 'w:val="en-US"' not in z.read("word/document.xml").decode()


def test_strict_ooxml_namespaces(tmp_path):
    """ISO 29500 Strict files use other namespace URIs for the same elements and relationships."""
    src = zipfile.ZipFile(DOCS / "constructs.docx")
    strict = tmp_path / "strict.docx"
    with zipfile.ZipFile(strict, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith((".xml", ".rels")):
                data = data.replace(b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                                    b"http://purl.oclc.org/ooxml/wordprocessingml/main")
                data = data.replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                                    b"http://purl.oclc.org/ooxml/officeDocument/relationships")
            z.writestr(info.filename, data)
    doc = read_document(strict)
    assert [(p.kind, p.text) for p in doc.paragraphs] == EXPECTED
    out = write_outputs(translate(doc, mark), tmp_path / "out", Path("strict.docx"))["ru"]
    assert [p.text for p in read_document(out).paragraphs][0] == "ʀWater ʀforum ʀopens ʀin ʀAlmaty"


def test_damaged_package_relationships_are_not_fatal(tmp_path):
    src = zipfile.ZipFile(DOCS / "constructs.docx")
    p = tmp_path / "rels.docx"
    with zipfile.ZipFile(p, "w") as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "_rels/.rels":
                data = data[: len(data) // 2]  # cut in the middle: not well-formed
            z.writestr(info.filename, data)
    doc = read_document(p)
    assert [(x.kind, x.text) for x in doc.paragraphs] == EXPECTED
    assert doc.flags[0].code == "read-partial" and "relationships of the package are damaged" in doc.flags[0].message


def test_control_characters_in_a_translation_do_not_break_the_file():
    doc = translate(read_document(DOCS / "constructs.docx"), lambda t: "Форум\x0bоткрыт\x00." if t.startswith("Water") else t)
    out, _ = render_docx(doc, "ru")
    assert docx.Document(io.BytesIO(out)).paragraphs[0].text == "Форумоткрыт."
