"""Writers and the other inputs: .pdf with a text layer (into a new .docx), .odt (written back in
place), .doc without LibreOffice, output paths and permissions."""
import os
import zipfile
from pathlib import Path

import docx
import pytest

from pipeline.document import Segment
from pipeline.io import ReadError, output_paths, read_document, write_outputs
from pipeline.io.atomic import atomic_write


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A minimal PDF with one text line per entry (Helvetica), or image-free empty pages."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        ops = "".join(f"BT /F1 {18 if ln.startswith('#') else 11} Tf 72 {720 - 16 * i} Td ({ln.lstrip('#')}) Tj ET\n"
                      for i, ln in enumerate(lines))
        objs.append(f"<< /Length {len(ops)} >>\nstream\n{ops}endstream")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {len(objs)} 0 R "
                    "/Resources << /Font << /F1 3 0 R >> >> >>")
        kids.append(f"{len(objs)} 0 R")
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def translate(doc, fn=lambda t: "RU " + t, lang="ru"):
    for p in doc.paragraphs:
        p.segments = [Segment(f"p{p.index}s0", p.text, translations={lang: fn(p.text)})]
    doc.targets = [lang]
    return doc


def test_pdf_text_layer_becomes_paragraphs_and_a_docx(tmp_path):
    p = tmp_path / "release.pdf"
    p.write_bytes(pdf_bytes([["#Water forum opens in Almaty", "The forum brought together more than three",
                              "hundred participants from five coun-", "tries of Central Asia."],
                             ["Contacts: press office."]]))
    doc = read_document(p)
    assert doc.format == "pdf"
    assert [x.kind for x in doc.paragraphs] == ["heading", "body", "body"]  # set in a larger font
    assert [x.text for x in doc.paragraphs] == [
        "Water forum opens in Almaty",
        "The forum brought together more than three hundred participants from five countries of Central Asia.",
        "Contacts: press office."]
    paths = write_outputs(translate(doc), tmp_path / "out", Path("release.pdf"))
    assert paths["ru"].name == "release.ru.docx"
    assert [x.text for x in docx.Document(str(paths["ru"])).paragraphs] == [
        "RU " + x.text for x in doc.paragraphs]


def test_scanned_pdf_says_so(tmp_path):
    p = tmp_path / "scan.pdf"
    p.write_bytes(pdf_bytes([[], []]))
    with pytest.raises(ReadError, match=r"scan.pdf: the PDF has no text layer \(2 page\(s\) of images: a scan\?\)"):
        read_document(p)


def test_pdf_with_an_empty_page_reports_it(tmp_path):
    p = tmp_path / "mixed.pdf"
    p.write_bytes(pdf_bytes([["Page one has text."], [], ["Page three has text."]]))
    doc = read_document(p)
    assert [x.text for x in doc.paragraphs] == ["Page one has text.", "Page three has text."]
    assert doc.flags[0].code == "read-partial" and "page(s) 2 have no text layer" in doc.flags[0].message


def test_damaged_pdf(tmp_path):
    p = tmp_path / "bad.pdf"
    p.write_bytes(b"%PDF-1.4\nthis is not a pdf")
    with pytest.raises(ReadError, match="bad.pdf: "):
        read_document(p)


ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"><office:body><office:text>
<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>Deleted words.</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:h text:outline-level="1">Water forum <text:span>opens</text:span> in Almaty</text:h>
<text:p>The forum<text:s text:c="2"/>brought<text:tab/>together <text:a xlink:href="https://example.org" xmlns:xlink="http://www.w3.org/1999/xlink">three hundred</text:a> participants.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>A footnote.</text:p></text:note-body></text:note></text:p>
<office:annotation><dc:creator>Editor</dc:creator><text:p>A comment.</text:p></office:annotation>
<text:list><text:list-item><text:p>First item</text:p></text:list-item></text:list>
<table:table><table:table-row><table:table-cell><text:p>Cell</text:p></table:table-cell></table:table-row></table:table>
</office:text></office:body></office:document-content>"""


ODT_STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
<office:master-styles><style:master-page style:name="Standard"><style:header><text:p>Press release</text:p></style:header>
<style:footer><text:p>Page <text:page-number>1</text:page-number></text:p></style:footer></style:master-page></office:master-styles>
</office:document-styles>"""


def make_odt(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", ODT_CONTENT)
        z.writestr("styles.xml", ODT_STYLES)


def test_odt_read(tmp_path):
    p = tmp_path / "r.odt"
    make_odt(p)
    doc = read_document(p)
    assert [(x.kind, x.text) for x in doc.paragraphs] == [
        ("heading", "Water forum opens in Almaty"),
        ("body", "The forum  brought together three hundred participants."),
        ("note", "A footnote."), ("list", "First item"), ("table", "Cell"), ("header", "Press release"),
        ("footer", "Page")]
    assert doc.metadata["read_notes"] == ["1 comment(s) not translated"]


def test_odt_written_back_in_place(tmp_path):
    p = tmp_path / "r.odt"
    make_odt(p)
    same = write_outputs(translate(read_document(p), lambda t: t), tmp_path / "same", Path("r.odt"))["ru"]
    assert same.suffix == ".odt"
    for name in zipfile.ZipFile(p).namelist():  # nothing translated: every entry byte-identical
        assert zipfile.ZipFile(same).read(name) == zipfile.ZipFile(p).read(name)
    doc = translate(read_document(p), lambda t: " ".join("ʀ" + w for w in t.split()))
    out = write_outputs(doc, tmp_path / "out", Path("r.odt"))["ru"]
    z = zipfile.ZipFile(out)
    assert z.namelist()[0] == "mimetype" and z.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    xml = z.read("content.xml").decode()
    assert "<text:span>ʀopens</text:span>" in xml
    assert '>ʀthree ʀhundred</text:a>' in xml
    assert "<text:note-citation>1</text:note-citation>" in xml and "ʀA ʀfootnote." in xml
    assert "Deleted words." in xml and "<dc:creator>Editor</dc:creator><text:p>A comment.</text:p>" in xml
    styles = z.read("styles.xml").decode()
    assert "<text:p>ʀPress ʀrelease</text:p>" in styles and "<text:p>ʀPage <text:page-number>1</text:page-number></text:p>" in styles  # field kept
    assert [x.text for x in read_document(out).paragraphs][:2] == [
        "ʀWater ʀforum ʀopens ʀin ʀAlmaty", "ʀThe ʀforum  ʀbrought ʀtogether ʀthree ʀhundred ʀparticipants."]


def test_doc_without_libreoffice_says_how_to_get_it(tmp_path, monkeypatch):
    import pipeline.io.legacy as legacy

    monkeypatch.setattr(legacy.shutil, "which", lambda name: None)
    p = tmp_path / "old.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(ReadError, match="old.doc: reading .doc needs LibreOffice"):
        read_document(p)


def test_output_paths_per_format(tmp_path):
    from pipeline.document import Document

    names = {}
    for fmt in ("txt", "md", "html", "docx", "doc", "pdf", "odt"):
        d = Document.from_text("x", format=fmt)
        d.targets = ["kk"]
        names[fmt] = output_paths(d, tmp_path, Path(f"sub/a.{fmt}"))["kk"].relative_to(tmp_path.resolve()).as_posix()
    assert names == {"txt": "sub/a.kk.txt", "md": "sub/a.kk.md", "html": "sub/a.kk.html", "docx": "sub/a.kk.docx",
                     "doc": "sub/a.kk.docx", "pdf": "sub/a.kk.docx", "odt": "sub/a.kk.odt"}


def test_atomic_write_honours_umask(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a.txt", "x")
        assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644
        os.umask(0o077)
        atomic_write(tmp_path / "b.txt", b"y")
        assert (tmp_path / "b.txt").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.subprocess
@pytest.mark.slow
def test_doc_through_libreoffice(tmp_path):
    import shutil
    import subprocess

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
    src = Path(__file__).parent / "data" / "docs" / "constructs.docx"
    subprocess.run([exe, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "doc", "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=120)
    doc = read_document(tmp_path / "constructs.doc")
    assert doc.format == "doc" and doc.paragraphs[0].text == "Water forum opens in Almaty"
    paths = write_outputs(translate(doc), tmp_path / "out", Path("constructs.doc"))
    assert paths["ru"].name == "constructs.ru.docx"
    assert docx.Document(str(paths["ru"])).paragraphs[0].text == "RU Water forum opens in Almaty"
    # written again later (the review app), when LibreOffice's temporary copy is gone: converted again
    doc.metadata["docx_path"] = str(tmp_path / "gone.docx")
    paths = write_outputs(doc, tmp_path / "again", Path("constructs.doc"))
    assert docx.Document(str(paths["ru"])).paragraphs[0].text == "RU Water forum opens in Almaty"


def test_writing_twice_does_not_repeat_flags(tmp_path):
    src = Path(__file__).parent / "data" / "docs" / "constructs.docx"
    doc = translate(read_document(src), lambda t: " ".join(reversed(t.split())))
    write_outputs(doc, tmp_path, Path("c.docx"))
    first = [f.code for f in doc.flags]
    write_outputs(doc, tmp_path, Path("c.docx"))
    assert [f.code for f in doc.flags] == first and first.count("format-approximate") == 1
