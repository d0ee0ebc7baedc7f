"""The format table: one row per format (suffixes, reader, writer, output suffix, limit), one
ReadResult from every reader, writers that return what they could not place."""
from pathlib import Path

from test_writers import translate

from pipeline.io import SUPPORTED_SUFFIXES, read_document, write_outputs
from pipeline.io.errors import MAX_PACKAGE_BYTES, MAX_TEXT_BYTES
from pipeline.io.formats import FORMATS, ReadResult, by_suffix
from pipeline.io.writers import render

DOCS = Path(__file__).parent / "data" / "docs"


def test_one_row_per_format():
    assert SUPPORTED_SUFFIXES == {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
                                  ".docx": "docx", ".pdf": "pdf", ".odt": "odt", ".doc": "doc"}
    assert {n: f.out_suffix for n, f in FORMATS.items()} == {
        "txt": ".txt", "md": ".md", "html": ".html", "docx": ".docx", "pdf": ".docx", "odt": ".odt", "doc": ".docx"}
    assert {n for n, f in FORMATS.items() if f.limit == MAX_TEXT_BYTES} == {"txt", "md", "html"}
    assert {n for n, f in FORMATS.items() if f.limit == MAX_PACKAGE_BYTES} == {"docx", "pdf", "odt", "doc"}
    assert by_suffix(Path("A.HTM")).name == "html" and by_suffix(Path("a.rtf")) is None


def test_every_reader_gives_one_read_result(tmp_path):
    for name in ("release-constructs.md", "headline-in-metadata.html", "constructs.docx"):
        path = DOCS / name
        fmt = by_suffix(path)
        result = fmt.read(path, fmt.limit)
        assert isinstance(result, ReadResult) and result.paragraphs, name
        assert read_document(path).text == result.full_text
    (tmp_path / "a.txt").write_text("One.\n\nTwo.", encoding="utf-8")
    plain = FORMATS["txt"].read(tmp_path / "a.txt", MAX_TEXT_BYTES)
    assert plain.paragraphs is None and plain.text == "One.\n\nTwo."  # split by the Document


def test_writers_return_what_they_could_not_place_and_the_caller_records_it(tmp_path):
    doc = translate(read_document(DOCS / "constructs.docx"), lambda t: " ".join(reversed(t.split())))
    before = list(doc.flags)
    data, approximate = render(doc, "ru")
    assert data[:2] == b"PK" and approximate  # runs moved with their words: placed approximately
    assert doc.flags == before  # rendering changes nothing
    write_outputs(doc, tmp_path, Path("c.docx"))
    flags = [f for f in doc.flags if f.code == "format-approximate"]
    assert len(flags) == 1 and flags[0].lang == "ru" and f"in {len(approximate)} paragraph(s)" in flags[0].message
