"""Builds the project's own .docx regression files (text written by the project, every construct
built from the OOXML spec, ECMA-376 Part 1, with python-docx and raw WordprocessingML):

- constructs.docx: mixed bold/italic runs, a hyperlink inside a sentence, a complex field (DATE)
  and a simple field (PAGE, footer), footnote and endnote references with their notes, a comment,
  a text box (DrawingML with its VML fallback), run- and block-level content controls, a tracked
  insertion and deletion, a smart tag, tabs, a line break, a bookmark, an inline image, a table
  with a horizontally merged, a vertically merged and a nested table cell, a header and a footer.
- relocated-main.docx: the same package with its main part at word/main.xml (found only through
  the package relationships).

Run: python tests/data/docs/make_docx.py  (rewrites both files; deterministic content).
"""
from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt

HERE = Path(__file__).parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')


def png_1x1() -> bytes:
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def notes_part(kind: str, text: str) -> bytes:
    tag = "footnote" if kind == "footnotes" else "endnote"
    ref = "footnoteRef" if kind == "footnotes" else "endnoteRef"
    return (f'<w:{kind} {NS}>'
            f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
            f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>'
            f'<w:{tag} w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{ref}/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{tag}></w:{kind}>').encode()


def append_xml(paragraph, xml: str) -> None:
    for el in parse_xml(f"<w:root {NS}>{xml}</w:root>"):
        paragraph._p.append(el)


def build() -> bytes:
    d = docx.Document()
    d.core_properties.author = "ngo-pipeline tests"
    sec = d.sections[0]
    sec.header.paragraphs[0].text = "Press release of the Steppe Water Initiative"
    fp = sec.footer.paragraphs[0]
    fp.add_run("Page ")
    append_xml(fp, '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')

    d.add_heading("Water forum opens in Almaty", level=1)
    p = d.add_paragraph("The forum brought together ")
    p.add_run("more than three hundred").bold = True
    p.add_run(" participants from ")
    p.add_run("five countries").italic = True
    p.add_run(" of Central Asia.")

    hl = d.part.relate_to("https://example.org/forum", RT.HYPERLINK, is_external=True)
    p = d.add_paragraph("The full programme is published on ")
    append_xml(p, f'<w:hyperlink r:id="{hl}"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>'
                  '<w:t>the forum website</w:t></w:r></w:hyperlink>'
                  '<w:r><w:t xml:space="preserve"> and will be updated every day.</w:t></w:r>')

    p = d.add_paragraph("This release was prepared on ")
    append_xml(p, '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                  '<w:r><w:instrText xml:space="preserve"> DATE \\@ "d MMMM yyyy" </w:instrText></w:r>'
                  '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>5 May 2024</w:t></w:r>'
                  '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                  '<w:r><w:t xml:space="preserve"> by the press office.</w:t></w:r>')

    p = d.add_paragraph("Ministers signed the joint declaration")
    append_xml(p, '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
                  '<w:r><w:t xml:space="preserve"> on the second day of the meeting</w:t></w:r>'
                  '<w:r><w:rPr><w:rStyle w:val="EndnoteReference"/></w:rPr><w:endnoteReference w:id="1"/></w:r>'
                  '<w:r><w:t>.</w:t></w:r>')
    fn = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES,
              notes_part("footnotes", "The declaration text is available from the secretariat."), d.part.package)
    en = Part(PackURI("/word/endnotes.xml"), CT.WML_ENDNOTES,
              notes_part("endnotes", "Photographs of the signing may be used with credit."), d.part.package)
    d.part.relate_to(fn, RT.FOOTNOTES)
    d.part.relate_to(en, RT.ENDNOTES)

    p = d.add_paragraph()
    r = p.add_run("Registration closes on Friday.")
    d.add_comment(r, text="Check the date with the organisers.", author="Editor")

    p = d.add_paragraph("The river basin map is shown here: ")
    p.add_run().add_picture(io.BytesIO(png_1x1()), width=Pt(12))
    p.add_run(" (source: national hydrology service).")

    p = d.add_paragraph("A text box follows.")
    box = ('<w:p><w:r><w:t>Key figure: ninety per cent of water is used for irrigation.</w:t></w:r></w:p>')
    append_xml(p, '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
                  '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
                  'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
                  '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
                  '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
                  '<wp:extent cx="2000000" cy="500000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>'
                  '<wp:docPr id="10" name="Text Box 1"/><wp:cNvGraphicFramePr/>'
                  '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
                  '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2000000" cy="500000"/></a:xfrm>'
                  '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
                  f'<wps:txbx><w:txbxContent>{box}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>'
                  '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
                  f'<mc:Fallback><w:pict><v:shape style="width:157pt;height:39pt"><v:textbox><w:txbxContent>{box}'
                  '</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')

    p = d.add_paragraph("Contact person: ")
    append_xml(p, '<w:sdt><w:sdtPr><w:alias w:val="Name"/></w:sdtPr><w:sdtContent>'
                  '<w:r><w:t>Aigerim Sadykova</w:t></w:r></w:sdtContent></w:sdt>'
                  '<w:r><w:tab/><w:t>phone +7 727 000 00 00</w:t></w:r>'
                  '<w:r><w:br/><w:t>Almaty office</w:t></w:r>')
    d.element.body.insert(len(d.element.body) - 1, parse_xml(
        f'<w:sdt {NS}><w:sdtPr><w:alias w:val="Boilerplate"/></w:sdtPr><w:sdtContent>'
        '<w:p><w:r><w:t>The initiative is funded by its member organisations.</w:t></w:r></w:p>'
        '</w:sdtContent></w:sdt>'))

    p = d.add_paragraph("The budget was ")
    append_xml(p, '<w:del w:id="91" w:author="Editor" w:date="2024-05-01T00:00:00Z"><w:r><w:delText>two</w:delText></w:r></w:del>'
                  '<w:ins w:id="92" w:author="Editor" w:date="2024-05-01T00:00:00Z"><w:r><w:t>three</w:t></w:r></w:ins>'
                  '<w:r><w:t xml:space="preserve"> million tenge, said </w:t></w:r>'
                  '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="PersonName">'
                  '<w:r><w:t>Daniyar Akhmetov</w:t></w:r></w:smartTag><w:r><w:t>.</w:t></w:r>')
    p = d.add_paragraph()
    append_xml(p, '<w:bookmarkStart w:id="5" w:name="results"/><w:r><w:t>Results</w:t></w:r>'
                  '<w:bookmarkEnd w:id="5"/><w:r><w:t xml:space="preserve"> will be announced in June.</w:t></w:r>')

    t = d.add_table(rows=3, cols=3)
    t.style = "Table Grid"
    t.cell(0, 0).merge(t.cell(0, 1)).text = "Country and region"
    t.cell(0, 2).text = "Participants"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "Kazakhstan"
    t.cell(1, 1).text = "Almaty"
    t.cell(1, 2).text = "120"
    t.cell(2, 1).text = "Astana"
    inner = t.cell(2, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Women"
    inner.cell(0, 1).text = "64"
    d.add_paragraph("The next forum will take place in Bishkek in 2025.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def relocate(data: bytes) -> bytes:
    """The same package with the main part renamed to word/main.xml."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            name = info.filename
            if name == "word/document.xml":
                name = "word/main.xml"
            elif name == "word/_rels/document.xml.rels":
                name = "word/_rels/main.xml.rels"
            elif name in ("_rels/.rels", "[Content_Types].xml"):
                body = body.replace(b"/word/document.xml", b"/word/main.xml").replace(
                    b'"word/document.xml"', b'"word/main.xml"')
            z.writestr(name, body)
    return out.getvalue()


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    data = build()
    (out / "constructs.docx").write_bytes(data)
    (out / "relocated-main.docx").write_bytes(relocate(data))
