"""Web pages: the article through trafilatura (no navigation, related links, tags, cookie banner),
the headline kept, pages that broke the old extractor not empty; HTML out as a clean article page
with translated anchor text and unchanged href, Markdown out when asked."""
from pathlib import Path

from pipeline.document import Segment
from pipeline.io import read_document, write_outputs
from pipeline.io.html_write import render_html

DOCS = Path(__file__).parent / "data" / "docs"


def translate(doc, fn, lang="ru"):
    from pipeline.text.sentences import split_sentences

    for p in doc.paragraphs:
        p.segments = [Segment(f"p{p.index}s{i}", s, sep=sep) for i, (s, sep) in enumerate(split_sentences(p.text))]
        for s in p.segments:
            s.translations[lang] = fn(s.text)
    doc.targets = [lang]
    return doc


def mark(text):
    return " ".join("ʀ" + w if any(c.isalpha() for c in w) else w for w in text.split())


def test_page_wrapped_in_form_keeps_its_article_and_drops_boilerplate():
    doc = read_document(DOCS / "aspnet-form.html")
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Youth water camp opens in Shymkent" and doc.paragraphs[0].kind == "heading"
    assert texts[1].startswith("Sixty students from Kazakhstan")
    assert texts[-1] == "For media enquiries please contact the press office at press@example.org."
    joined = " ".join(texts)
    for boilerplate in ("cookies", "Related articles", "Tags:", "About us", "Sitemap", "All rights reserved",
                        "Report on glacier melt"):
        assert boilerplate not in joined
    assert [p.text for p in doc.paragraphs if p.kind == "list"] == [
        "field trips to the Badam reservoir and two farms that use drip irrigation;",
        "workshops on water testing with simple kits;",
        "a public debate on water tariffs with representatives of local authorities."]
    assert [p.text for p in doc.paragraphs if p.kind == "table"] == [
        "Country", "Students", "Kazakhstan", "30", "Kyrgyzstan", "18", "Tajikistan", "12"]


def test_unclosed_header_is_not_empty():
    doc = read_document(DOCS / "unclosed-header.html")
    assert [p.text[:30] for p in doc.paragraphs] == [
        "Итоги конкурса малых грантов", "Фонд «Чистая степь» подвёл ито", "Экспертный совет поддержал 17 ",
        "Полный список победителей опуб"]
    assert doc.metadata["html"]["source_lang"] == "ru"


def test_headline_from_metadata_when_the_body_lacks_it():
    doc = read_document(DOCS / "headline-in-metadata.html")
    assert (doc.paragraphs[0].kind, doc.paragraphs[0].text) == ("heading", "Glacier report presented in Bishkek")
    assert len(doc.paragraphs) == 4
    assert "Share" not in doc.text and "Reports" not in doc.text


def test_html_out_is_a_clean_article_page_with_links_and_tables():
    doc = translate(read_document(DOCS / "aspnet-form.html"), mark)
    page, approx = render_html(doc, "ru")
    assert page.startswith('<!DOCTYPE html>\n<html lang="ru">\n<head>\n<meta charset="utf-8">\n'
                           "<title>ʀYouth ʀwater ʀcamp ʀopens ʀin ʀShymkent</title>")
    assert "<h1>ʀYouth ʀwater ʀcamp ʀopens ʀin ʀShymkent</h1>" in page
    assert "ʀfirst <strong>ʀyouth ʀwater ʀcamp</strong> ʀof" in page
    assert '<a href="https://example.org/camp/grants">ʀgrants ʀpage</a>.' in page
    assert "<ul>\n  <li>ʀfield ʀtrips" in page
    assert "<tr><th>ʀCountry</th><th>ʀStudents</th></tr>" in page and "<tr><td>ʀKazakhstan</td><td>30</td></tr>" in page
    assert "cookie" not in page.lower() and "__VIEWSTATE" not in page
    assert approx == [1, 15]  # placed by word share (no anchor): right here, but reported as approximate


def test_text_is_escaped_in_html_and_markdown():
    doc = translate(read_document(DOCS / "headline-in-metadata.html"), lambda t: t.replace("English", "<English & *Co*>"))
    page, _ = render_html(doc, "ru")
    assert "available in &lt;English &amp; *Co*&gt;," in page
    md, _ = render_html(doc, "ru", markdown=True)
    assert "available in \\<English & \\*Co\\*\\>," in md


def test_markdown_copy_when_asked(tmp_path):
    doc = translate(read_document(DOCS / "aspnet-form.html"), lambda t: t)
    paths = write_outputs(doc, tmp_path, Path("news/camp.html"), html_markdown=True)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in paths.values()) == [
        "news/camp.json", "news/camp.review.md", "news/camp.ru.html", "news/camp.ru.md"]
    md = paths["ru.md"].read_text(encoding="utf-8")
    assert md.startswith("# Youth water camp opens in Shymkent\n\nSixty students")
    assert "described on the [grants page](https://example.org/camp/grants)." in md
    assert "| Country | Students |\n|---|---|\n| Kazakhstan | 30 |" in md
    assert "- workshops on water testing with simple kits;\n" in md


def test_relative_links_resolved_against_the_page_address(tmp_path):
    page = (DOCS / "aspnet-form.html").read_text(encoding="utf-8")
    page = page.replace("<head>", '<head><link rel="canonical" href="https://swi.example.org/news/214">')
    page = page.replace('href="https://example.org/camp/grants"', 'href="../camp/grants?y=2024#apply"')
    p = tmp_path / "camp.html"
    p.write_text(page, encoding="utf-8")
    doc = read_document(p)
    assert doc.metadata["html"]["url"] == "https://swi.example.org/news/214"
    links = [s[3] for spans in doc.metadata["html"]["spans"].values() for s in spans if s[2] == "a"]
    assert links == ["https://swi.example.org/camp/grants?y=2024#apply"]


def test_inline_code_is_protected(tmp_path):
    page = (DOCS / "headline-in-metadata.html").read_text(encoding="utf-8")
    page = page.replace("on the network's website.", "on the network's website: run <code>get-report --lang ru</code> to fetch it.")
    p = tmp_path / "code.html"
    p.write_text(page, encoding="utf-8")
    doc = read_document(p)
    last = doc.paragraphs[-1]
    assert last.text.endswith("website: run to fetch it.")  # the code never reaches translation
    assert [s for s in doc.metadata["html"]["spans"][str(last.index)] if s[2] == "code"] == [
        [len(last.text) - len(" to fetch it."), len(last.text) - len(" to fetch it."), "code", " get-report --lang ru"]]
    translate(doc, mark)
    page_out, _ = render_html(doc, "ru")
    assert "ʀrun <code>get-report --lang ru</code> ʀto ʀfetch ʀit." in page_out
    md, _ = render_html(doc, "ru", markdown=True)
    assert "ʀrun `get-report --lang ru` ʀto ʀfetch ʀit." in md


def test_windows_1251_page_read_by_its_meta_charset(tmp_path):
    page = (DOCS / "unclosed-header.html").read_text(encoding="utf-8").replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
    p = tmp_path / "cp.html"
    p.write_bytes(page.encode("cp1251"))
    doc = read_document(p)
    assert doc.paragraphs[0].text == "Итоги конкурса малых грантов"
    assert doc.flags == []


def test_page_without_an_article_falls_back_to_its_text(tmp_path, monkeypatch):
    import trafilatura

    p = tmp_path / "notice.html"
    p.write_text("<html><body><div><span>The office is closed on Monday.</span></div></body></html>", encoding="utf-8")
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)  # extraction finds nothing
    doc = read_document(p)
    assert [x.text for x in doc.paragraphs] == ["The office is closed on Monday."]
    assert doc.flags[0].code == "read-note" and "whole page text was read" in doc.flags[0].message


def test_nested_lists_read_once_and_written_nested(tmp_path):
    p = tmp_path / "nested.html"
    p.write_text("""<html><body><article><h1>Forum report</h1>
    <p>The forum brought together participants from five countries of Central Asia to discuss water.</p>
    <ul><li>Outer one<ul><li>Inner A</li><li>Inner B</li></ul></li><li>Outer two</li></ul>
    <p>More text follows here in the article so that it is long enough for extraction to work.</p>
    </article></body></html>""", encoding="utf-8")
    doc = read_document(p)
    assert [x.text for x in doc.paragraphs if x.kind == "list"] == ["Outer one", "Inner A", "Inner B", "Outer two"]
    translate(doc, mark)
    page, _ = render_html(doc, "ru")
    assert ("<ul>\n  <li>ʀOuter ʀone\n    <ul>\n      <li>ʀInner ʀA</li>\n      <li>ʀInner ʀB</li>\n    </ul>\n"
            "  </li>\n  <li>ʀOuter ʀtwo</li>\n</ul>") in page
    md, _ = render_html(doc, "ru", markdown=True)
    assert "- ʀOuter ʀone\n  - ʀInner ʀA\n  - ʀInner ʀB\n- ʀOuter ʀtwo\n" in md


def _read(tmp_path, source: str, name: str = "page.html"):
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return read_document(path)


def test_fragments_without_html_and_body_are_read(tmp_path):
    doc = _read(tmp_path, "<p>The forum opened in Almaty.</p><p>Delegates came from five countries.</p>")
    assert [p.text for p in doc.paragraphs] == ["The forum opened in Almaty.", "Delegates came from five countries."]
    assert [p.text for p in _read(tmp_path, "<p>Short.</p>").paragraphs] == ["Short."]


def test_deep_unclosed_inline_tags_lose_no_text_and_say_so(tmp_path):
    source = ("<html><body><article><p>Start of the article. " + "<b>" * 300 + "Deep text here.</p>"
              "<p>The rest of the article follows and must not be lost.</p><p>Last paragraph.</p></article></body></html>")
    doc = _read(tmp_path, source)
    text = " ".join(p.text for p in doc.paragraphs)
    for words in ("Start of the article", "Deep text here", "must not be lost", "Last paragraph"):
        assert words in text
    assert any(f.code == "read-note" and "levels deep" in f.message for f in doc.flags)


def test_a_thousand_nested_blocks_keep_their_text_in_linear_time(tmp_path):
    import time

    source = ("<html><body>" + "<div>" * 1000 + "<p>Deep paragraph with a lot of text inside it.</p>" + "</div>" * 1000
              + "<p>Tail paragraph text here.</p>" + "<i>" * 50_000 + "<p>After fifty thousand tags.</p></body></html>")
    t0 = time.perf_counter()
    doc = _read(tmp_path, source)
    assert time.perf_counter() - t0 < 10
    assert [p.text for p in doc.paragraphs] == ["Deep paragraph with a lot of text inside it.", "Tail paragraph text here.",
                                                "After fifty thousand tags."]


_PROSE = """
    ALMATY, March 3 /Wire/ - The foundation opened its spring grant round for
rural schools on Monday. Schools in five regions may apply until April 30.
    "We want every village school to have a library," said the director of the
foundation. "Last year forty schools received books and shelves."

    About the foundation

    The foundation was set up in 2004 and supports education in rural areas of
Kazakhstan. It is funded by private donors.
"""


def test_preformatted_press_release_is_read_as_paragraphs_and_code_stays_code(tmp_path):
    source = (f"<html><body><article><h1>Grant round opens</h1><pre>{_PROSE}</pre>"
              "<pre>def main():\n    return {'x': 1}\n</pre></article></body></html>")
    doc = _read(tmp_path, source)
    assert [p.text for p in doc.paragraphs] == [
        "Grant round opens",
        "ALMATY, March 3 /Wire/ - The foundation opened its spring grant round for rural schools on Monday. "
        "Schools in five regions may apply until April 30.",
        '"We want every village school to have a library," said the director of the foundation. '
        '"Last year forty schools received books and shelves."',
        "About the foundation",
        "The foundation was set up in 2004 and supports education in rural areas of Kazakhstan. It is funded by "
        "private donors."]
    assert [b["text"] for b in doc.metadata["html"]["blocks"] if b["type"] == "code"] == ["def main():\n    return {'x': 1}\n"]


def test_article_in_a_layout_table_cell_is_read(tmp_path):
    # An old news page: the article in a cell of a table that also holds a table of menus; the text
    # after a block (its tail) is a paragraph too.
    article = ("Derby County confirmed its interest in the midfielder on Tuesday after a week of talks. " * 3).strip()
    source = f"""<html><head><title>Derby confirm interest</title></head><body><table><tr><td>
      <table><tr><td class="title">Derby confirm interest</td></tr></table>
      <table><tr><td class="story"><b>The club said a fee was not agreed yet.</b><br><br>{article}</td></tr></table>
    </td></tr></table><div><p>Second paragraph of the story with more words in it.</p>Closing words of the story
    written after the paragraph.</div></body></html>"""
    doc = _read(tmp_path, source)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert article in text and "The club said a fee was not agreed yet." in text
    assert "Closing words of the story written after the paragraph." in text
    assert not [p for p in doc.paragraphs if p.kind == "table"]  # a layout table is not a data table


def test_data_table_stays_a_table():
    from pipeline.io.html_extract import layout_table
    from lxml import etree

    data = etree.fromstring("<table><row><cell>Region</cell><cell>Schools</cell></row>"
                            "<row><cell>Almaty</cell><cell>12</cell></row></table>")
    layout = etree.fromstring("<table><row><cell><table><row><cell>x</cell></row></table></cell></row></table>")
    assert not layout_table(data) and layout_table(layout)
