"""Written web pages are always well-formed HTML (checked with html5lib's strict WHATWG parser) and
link only to safe URL schemes, whatever the translation does to the words the spans sat on."""
import random
from pathlib import Path

import html5lib
import pytest

from pipeline.document import Document, Paragraph, Segment
from pipeline.io import read_document
from pipeline.io.html_write import _render_inline, render_html, safe_url

DOCS = Path(__file__).parent / "data" / "docs"
KINDS = ["a", "strong", "em", "u", "sub", "sup", "code"]
WORDS = "Форум прошёл в Алматы 2024 жылы NGO water grants Шымкент volunteers «quote» & <tag> x".split()


def well_formed(page: str) -> None:
    """Raises html5lib.html5parser.ParseError on any parse error: stray or misnested end tags,
    unclosed elements at the end of the page, bad attributes."""
    html5lib.HTMLParser(strict=True).parse(page)


def page_for(inner: str) -> str:
    return f'<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8"><title>t</title></head><body><p>{inner}</p></body></html>'


def random_paragraph(rng: random.Random) -> tuple[Paragraph, list]:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 14)))
    p = Paragraph(0, text)
    p.segments = [Segment("p0s0", text)]
    words = text.split()
    # a translation that reorders, drops, doubles or empties the words
    mode = rng.choice(["shuffle", "drop", "double", "empty", "same", "short"])
    if mode == "shuffle":
        rng.shuffle(words)
    elif mode == "drop":
        words = words[: max(1, len(words) // 3)]
    elif mode == "double":
        words = words + words
    elif mode == "empty":
        words = []
    elif mode == "short":
        words = ["x"]
    p.segments[0].translations["ru"] = " ".join(w[::-1] if rng.random() < 0.3 else w for w in words)
    spans = []
    for _ in range(rng.randint(0, 6)):
        a = rng.randint(0, len(text))
        b = rng.randint(a, len(text))
        kind = rng.choice(KINDS)
        value = rng.choice(["https://example.org/a?b=1&c=2", "javascript:alert(1)", "../rel", "mailto:a@b.kz", 'x"onclick="y'])
        spans.append([a, a if kind == "code" else b, kind, {"a": value, "code": " get-report --lang"}.get(kind, "")])
    spans.sort(key=lambda s: (s[0], -s[1]))
    return p, spans


@pytest.mark.parametrize("markdown", [False, True])
def test_random_spans_and_translations_always_give_well_formed_html(markdown):
    rng = random.Random(20261202)
    for _ in range(1500):
        p, spans = random_paragraph(rng)
        out, _ = _render_inline(p, "ru", spans, markdown)
        if markdown:
            assert "javascript:" not in out
            continue
        well_formed(page_for(out))
        assert "javascript:" not in out


def test_crossing_and_empty_placements_are_closed_and_reported():
    p = Paragraph(0, "one two three four")
    p.segments = [Segment("p0s0", p.text)]
    p.segments[0].translations["ru"] = "x"  # every span collapses onto one short word
    out, exact = _render_inline(p, "ru", [[0, 7, "a", "https://e.org"], [4, 13, "strong", ""], [8, 18, "em", ""]], False)
    well_formed(page_for(out))
    assert out.count("<a ") == out.count("</a>") and out.count("<strong>") == out.count("</strong>")
    assert not exact


def test_unsafe_schemes_are_not_republished():
    for url in ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:x", "data:text/html;base64,PHNjcmlwdD4=",
                "vbscript:msgbox", "\x01javascript:x", "file:///etc/passwd"]:
        assert not safe_url(url), url
    for url in ["https://example.org", "http://a.kz/x?y=1", "mailto:press@ngo.kz", "tel:+77172000000", "../a/b.html",
                "#section", "/news/1", "page.html", "?q=1"]:
        assert safe_url(url), url


def test_javascript_link_of_a_real_page_is_written_as_text(tmp_path):
    page = (DOCS / "aspnet-form.html").read_text(encoding="utf-8")
    page = page.replace('href="https://example.org/camp/grants"', 'href="javascript:alert(document.cookie)"')
    src = tmp_path / "camp.html"
    src.write_text(page, encoding="utf-8")
    doc = read_document(src)
    for p in doc.paragraphs:
        p.segments = [Segment(f"p{p.index}s0", p.text)]
        p.segments[0].translations["ru"] = p.text
    out, _ = render_html(doc, "ru")
    well_formed(out)
    assert "javascript:" not in out and "grants page" in out
    md, _ = render_html(doc, "ru", markdown=True)
    assert "javascript:" not in md and "grants page" in md


def test_every_html_fixture_round_trips_to_well_formed_pages():
    for path in sorted(DOCS.glob("*.html")):
        doc = read_document(path)
        for p in doc.paragraphs:
            p.segments = [Segment(f"p{p.index}s0", p.text)]
            p.segments[0].translations["ru"] = " ".join(reversed(p.text.split()))
        page, _ = render_html(doc, "ru")
        well_formed(page)


def test_empty_document_page_is_well_formed():
    page, _ = render_html(Document("empty", ""), "kk")
    well_formed(page)
