import struct
import zipfile

import docx
import pytest

from pipeline.io import ReadError, read_document
from pipeline.io.errors import MAX_EXPANDED as MAX_DOCX_EXPANDED

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
    u = tmp_path / "x.xyz"
    u.write_bytes(b"%PDF")
    with pytest.raises(ReadError, match="unsupported file type .xyz"):
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
    with pytest.raises(ReadError, match="notword.docx: not a Word document"):
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


# --- issue 15 item 14: text that is not plain UTF-8 is read, and what was changed is said --------

def test_utf8_with_a_few_bad_bytes_is_read_and_flagged(tmp_path):
    p = tmp_path / "damaged.txt"
    p.write_bytes(RU.encode("utf-8") + b" \xff\xfe " + "Конец.".encode())
    doc = read_document(p)
    assert doc.paragraphs[0].text == "Форум прошёл в Алматы."
    assert doc.paragraphs[1].text == "Участники приехали из пяти стран. \ufffd\ufffd Конец."
    assert [f.code for f in doc.flags] == ["read-partial"]
    assert "2 byte sequence(s) that are not valid UTF-8 were replaced" in doc.flags[0].message


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path, encoding):
    p = tmp_path / "u16.txt"
    p.write_bytes(("Press release\n\n" + RU).encode(encoding))
    doc = read_document(p)
    assert [x.text for x in doc.paragraphs] == ["Press release"] + RU.split("\n\n")
    assert doc.metadata["read_notes"] == [f"no byte-order mark: read as {encoding.upper()} "
                                          "(NUL bytes in the pattern of UTF-16)"]


# --- issue 15 item 3: limits apply before a file is read whole; zip parts inflate under a cap ----

def test_size_limit_checked_before_reading(tmp_path, monkeypatch):
    p = tmp_path / "big.txt"
    with open(p, "wb") as f:  # sparse: 4 GB on paper, nothing on disk
        f.truncate(4 * 1024 ** 3)
    monkeypatch.setattr(type(p), "read_bytes", lambda self: pytest.fail("read the whole file"))
    with pytest.raises(ReadError, match=r"big.txt: file is larger than the limit \(4,294,967,296 bytes"):
        read_document(p)


def test_docx_part_inflation_is_capped_whatever_the_headers_say(tmp_path, monkeypatch):
    """Parts are inflated in chunks under a hard cap; a part whose headers under-declare its size
    is refused as damaged (its CRC does not match) without inflating the rest."""
    import pipeline.io.package as package

    d = docx.Document()
    for _ in range(400):
        d.add_paragraph("Padding paragraph of a long document. " * 5)
    big = tmp_path / "big.docx"
    d.save(big)
    with zipfile.ZipFile(big) as z:
        real = z.getinfo("word/document.xml").file_size
    monkeypatch.setattr(package, "MAX_PART", real // 2)
    with pytest.raises(ReadError, match="big.docx: refused: part word/document.xml inflates beyond the limit"):
        read_document(big)
    monkeypatch.undo()
    liar = tmp_path / "liar.docx"
    liar.write_bytes(_patch_declared_size(big.read_bytes(), b"word/document.xml", 100))
    with pytest.raises(ReadError, match=r"liar.docx: damaged or crafted .docx file: part word/document.xml does not match the size \(100 bytes\)"):
        read_document(liar)


# --- issue 15 item 5: an unterminated comment does not explode the page ----------------------------

def test_unterminated_html_comment(tmp_path):
    p = tmp_path / "c.html"
    body = "<p>The forum was held in Almaty with more than three hundred participants from the region.</p>"
    p.write_text("<html><body><article><h1>Forum in Almaty</h1>" + body + "<!-- old menu "
                 + "<p>x</p>\n" * 200_000 + "</article></body></html>", encoding="utf-8")
    doc = read_document(p)
    assert [x.text for x in doc.paragraphs] == [
        "Forum in Almaty", "The forum was held in Almaty with more than three hundred participants from the region."]
    assert doc.flags[0].code == "read-partial" and "never closed" in doc.flags[0].message


def test_pdf_and_odt_and_doc_are_supported_suffixes():
    from pipeline.io import SUPPORTED_SUFFIXES

    assert {".pdf", ".odt", ".doc"} <= set(SUPPORTED_SUFFIXES)


def _patch_both_sizes(data: bytes, name: bytes, size: int, crc: int | None = None) -> bytes:
    """Set the declared uncompressed size (and CRC) of `name` in its local header and the central
    directory."""
    data = bytearray(data)
    for sig, off_n, off_name, off_size in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        i = data.find(sig)
        while i != -1:
            n = struct.unpack("<H", data[i + off_n:i + off_n + 2])[0]
            if data[i + off_name:i + off_name + n] == name:
                data[i + off_size:i + off_size + 4] = struct.pack("<I", size)
                if crc is not None:
                    data[i + off_size - 8:i + off_size - 4] = struct.pack("<I", crc)
            i = data.find(sig, i + 4)
    return bytes(data)


@pytest.mark.parametrize("declared,crc", [(0, 0), (0, None), (10, None), (10_000_000, None)])
def test_lying_zip_sizes_are_named_not_called_empty(tmp_path, declared, crc):
    """A part declared as 0 bytes with the empty checksum used to read as b"" ("Document is empty")."""
    p = tmp_path / "lying.docx"
    make_docx(p)
    p.write_bytes(_patch_both_sizes(p.read_bytes(), b"word/document.xml", declared, crc))
    with pytest.raises(ReadError) as err:
        read_document(p)
    message = str(err.value)
    assert "lying.docx" in message and "empty" not in message.lower()
    assert "declare" in message or "bomb" in message or "limit" in message, message
