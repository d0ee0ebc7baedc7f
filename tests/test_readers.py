import struct
import zipfile

import docx
import pytest

from pipeline.io import ReadError, read_document
from pipeline.io.readers import MAX_DOCX_EXPANDED

RU = "Форум прошёл в Алматы.\n\nУчастники приехали из пяти стран."


def test_txt_utf8_paragraphs_and_soft_wraps(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Title line\n\nFirst line\nwrapped here.\n\n\nSecond.", encoding="utf-8")
    doc = read_document(p)
    assert [x.text for x in doc.paragraphs] == ["Title line", "First line wrapped here.", "Second."]
    assert doc.id == "a" and doc.format == "txt"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1251"])
def test_txt_encodings_and_boms(tmp_path, encoding):
    p = tmp_path / "r.txt"
    p.write_bytes(RU.encode(encoding))
    doc = read_document(p)
    assert [x.text for x in doc.paragraphs] == RU.split("\n\n")
    assert not doc.text.startswith("\ufeff")


def test_binary_and_empty_files_refused_with_name(tmp_path):
    b = tmp_path / "photo.txt"
    b.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(ReadError, match="photo.txt: looks like a binary file"):
        read_document(b)
    e = tmp_path / "empty.txt"
    e.write_text("  \n\n ")
    with pytest.raises(ReadError, match="empty.txt: no text found"):
        read_document(e)
    u = tmp_path / "x.pdf"
    u.write_bytes(b"%PDF")
    with pytest.raises(ReadError, match="unsupported file type .pdf"):
        read_document(u)


def test_markdown_keeps_markup_out_of_text(tmp_path):
    p = tmp_path / "m.md"
    p.write_text("# Forum in Almaty\n\nThe forum was held.\nIt ended.\n\n- first item\n- second item\n\n> A quote.\n")
    doc = read_document(p)
    assert [(x.kind, x.markup, x.text) for x in doc.paragraphs] == [
        ("heading", "# ", "Forum in Almaty"), ("body", "", "The forum was held. It ended."),
        ("list", "- ", "first item"), ("list", "- ", "second item"), ("quote", "> ", "A quote.")]


def make_docx(path):
    d = docx.Document()
    d.add_heading("Форум в Алматы", level=1)
    d.add_paragraph("Первый абзац.")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "Ячейка один"
    t.cell(0, 1).text = "Ячейка два"
    d.add_paragraph("")
    d.add_paragraph("Последний абзац.")
    d.save(path)


def test_docx_paragraphs_headings_and_table_cells(tmp_path):
    p = tmp_path / "d.docx"
    make_docx(p)
    doc = read_document(p)
    assert [(x.kind, x.text) for x in doc.paragraphs] == [
        ("heading", "Форум в Алматы"), ("body", "Первый абзац."), ("table", "Ячейка один"),
        ("table", "Ячейка два"), ("body", "Последний абзац.")]


def test_broken_docx(tmp_path):
    p = tmp_path / "broken.docx"
    p.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(ReadError, match="broken.docx: not a valid .docx"):
        read_document(p)
    z = tmp_path / "notword.docx"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("hello.txt", "hi")
    with pytest.raises(ReadError, match="no word/document.xml"):
        read_document(z)


def _patch_declared_size(data: bytes, name: bytes, size: int) -> bytes:
    """Set the declared uncompressed size of `name` in the central directory (a bomb's signature)."""
    i = 0
    while True:
        i = data.index(b"PK\x01\x02", i)
        n = struct.unpack("<H", data[i + 28:i + 30])[0]
        if data[i + 46:i + 46 + n] == name:
            return data[:i + 24] + struct.pack("<I", size) + data[i + 28:]
        i += 4


def test_zip_bomb_refused_before_inflating(tmp_path, monkeypatch):
    p = tmp_path / "bomb.docx"
    make_docx(p)
    data = _patch_declared_size(p.read_bytes(), b"word/document.xml", 1024 ** 3)  # declares 1 GiB
    p.write_bytes(data)
    # if anything tried to parse or inflate, this would fail loudly
    monkeypatch.setattr(docx, "Document", lambda *a, **k: pytest.fail("parsed a zip bomb"))
    with pytest.raises(ReadError, match=r"bomb.docx: refused: archive expands to 1,07\d,\d{3},\d{3} bytes"):
        read_document(p)


def test_real_high_ratio_entry_refused(tmp_path):
    p = tmp_path / "ratio.docx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w/>")
        z.writestr("word/padding.bin", b"\0" * (MAX_DOCX_EXPANDED // 4))  # ~25 MB of zeros -> ~25 KB
    with pytest.raises(ReadError, match="compression ratio"):
        read_document(p)


def test_too_many_entries_refused(tmp_path):
    p = tmp_path / "many.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("word/document.xml", "<w/>")
        for i in range(2001):
            z.writestr(f"x/{i}", "")
    with pytest.raises(ReadError, match="2002 archive entries"):
        read_document(p)


def test_html_main_text(tmp_path):
    p = tmp_path / "page.html"
    p.write_text("""<html><head><title>T</title><style>p{}</style></head><body>
    <nav><a href="/">Home</a> | <a href="/news">News</a></nav>
    <header>Site header</header>
    <article><h1>Forum in Almaty</h1><p>The forum <b>was held</b>
    in Almaty.</p><p>It ended with recommendations.</p><ul><li>First</li></ul></article>
    <script>var x = "not text";</script><footer>© 2024</footer></body></html>""", encoding="utf-8")
    doc = read_document(p)
    assert [(x.kind, x.markup, x.text) for x in doc.paragraphs] == [
        ("heading", "# ", "Forum in Almaty"), ("body", "", "The forum was held in Almaty."),
        ("body", "", "It ended with recommendations."), ("list", "- ", "First")]
    assert doc.format == "html"
