"""Markdown on markdown-it-py: byte-identical identity round trip on real files, structure kept,
syntax and protected spans never sent to translation, markup kept around translated words."""
from pathlib import Path

import pytest

from pipeline.document import Document, Segment
from pipeline.io import read_document, write_outputs
from pipeline.io.markdown import read_markdown
from pipeline.io.markdown_write import render_markdown
from pipeline.text.sentences import split_sentences

DOCS = Path(__file__).parent / "data" / "docs"
MD_FILES = sorted(DOCS.glob("*.md"))
MD_FILES = [f for f in MD_FILES if f.name != "SOURCES.md"] + [DOCS / "SOURCES.md"]


def translated(src: str, fn) -> tuple[str, list[int], Document]:
    paras, meta = read_markdown(src)
    doc = Document.from_text(src, format="md", paragraphs=paras)
    doc.metadata.update(meta)
    for p in doc.paragraphs:
        p.segments = [Segment(f"p{p.index}s{i}", s, sep=sep) for i, (s, sep) in enumerate(split_sentences(p.text))]
        for s in p.segments:
            s.translations["ru"] = fn(s.text)
    out, approx = render_markdown(doc, "ru")
    return out, approx, doc


def mark(text: str) -> str:
    return " ".join("ʀ" + w if any(c.isalpha() for c in w) else w for w in text.split())


@pytest.mark.parametrize("path", MD_FILES, ids=lambda p: p.name)
def test_identity_translation_is_byte_identical(path):
    src = path.read_text(encoding="utf-8")
    out, approx, _ = translated(src, lambda t: t)
    assert out == src
    assert approx == []


def test_crlf_and_no_final_newline_round_trip():
    src = "# Title\r\n\r\nFirst *line*\r\nsecond line.\r\n\r\n- a\r\n- b"
    assert translated(src, lambda t: t)[0] == src


def test_structure_and_protected_spans_kept_out_of_text():
    src = (DOCS / "release-constructs.md").read_text(encoding="utf-8")
    paras, meta = read_markdown(src)
    texts = [p.text for p in paras]
    joined = "\n".join(texts)
    for never in ("https://", "images/hall.jpg", "forum = ", "Raw HTML block", "title: Water", "**", "](", "<abbr",
                  "indented code", "Not a heading"):
        assert never not in joined
    assert texts[0] == "Water forum opens in Almaty"
    assert paras[0].kind == "heading" and paras[2].kind == "heading"
    assert texts[1] == ("The forum brought together more than three hundred participants from five countries "
                        "of Central Asia. The full programme is on the forum website and the press kit.")
    assert [p.text for p in paras if p.kind == "table"] == [  # the autolink cell is not text
        "Country", "Participants", "Contact", "Kazakhstan", "120", "Kyrgyzstan | Uzbekistan", "85", "see below"]
    assert [p.text for p in paras if p.kind == "list"] == [
        "Ninety per cent of water is used for irrigation.", "Delegations came from:",
        "Kazakhstan, with participants;", "Kyrgyzstan and Uzbekistan."]
    assert meta == {}  # code spans, autolinks and images never reach the text sent to a model
    assert texts[-1] == "Line one ends with a hard break and continues here; escaped *stars* stay & entities too."


def test_markup_follows_translated_words():
    src = (DOCS / "release-constructs.md").read_text(encoding="utf-8")
    out, _, _ = translated(src, mark)
    assert out.startswith(src[:src.index("# Water")])  # front matter verbatim
    assert "# ʀWater ʀforum ʀopens ʀin *ʀAlmaty*\n" in out
    assert ("ʀThe ʀforum ʀbrought ʀtogether **ʀmore ʀthan ʀthree ʀhundred** ʀparticipants ʀfrom _ʀfive ʀcountries_ "
            "ʀof ʀCentral ʀAsia. ʀThe ʀfull ʀprogramme ʀis ʀon [ʀthe ʀforum ʀwebsite](https://example.org/forum "
            "\"Programme\") ʀand ʀthe [ʀpress ʀkit][kit].\n") in out
    assert "  1. ʀKazakhstan, ʀwith `120` ʀparticipants;\n" in out
    assert "| ʀKyrgyzstan \\| ʀUzbekistan | 85 | ʀsee [ʀbelow](#contacts) |\n" in out
    assert "| ʀKazakhstan | 120 | <press@example.org> |\n" in out
    assert "ʀShe ʀthanked ʀthe <abbr title=\"Steppe Water Initiative\">ʀSWI</abbr> ʀteam." in out
    for verbatim in ("```toml\n# Not a heading: a comment in a code block\nforum = \"Almaty\"\n```\n",
                     "    indented code: not translated\n", "<div class=\"note\">\nRaw HTML block, copied as it is.\n</div>\n",
                     "![Forum hall](images/hall.jpg)\n", "[kit]: https://example.org/kit.zip\n"):
        assert verbatim in out
    assert "ʀLine ʀone ʀends ʀwith ʀa ʀhard ʀbreak  \nʀand" in out


def test_translated_text_is_escaped():
    out, _, _ = translated("Plain words here.\n", lambda t: "Слова *звёздочки* [скобки] <тег> <b> snake_case _x_ a\\b c\\*.")
    assert out == "Слова \\*звёздочки\\* \\[скобки] <тег> \\<b> snake_case \\_x\\_ a\\b c\\\\\\*.\n"


def test_translation_cannot_turn_a_paragraph_into_another_block():
    src = "Five per cent.\n\nTen.\n"
    out, _, _ = translated(src, lambda t: {"Five per cent.": "- 5 %", "Ten.": "10. Десять\nстрок"}[t])
    assert out == "\\- 5 %\n\n10\\. Десять строк\n"


def test_footnote_references_are_kept():
    src = "A claim[^1] here.\n\n[^1]: The source of the claim.\n"
    out, _, doc = translated(src, mark)
    assert [p.text for p in doc.paragraphs] == ["A claim here.", ": The source of the claim."]
    assert out == "ʀA ʀclaim[^1] ʀhere.\n\n[^1]: ʀThe ʀsource ʀof ʀthe ʀclaim.\n"


def test_reader_and_writer_through_files(tmp_path):
    src = tmp_path / "r.md"
    src.write_bytes((DOCS / "release-constructs.md").read_bytes())
    doc = read_document(src)
    doc.targets = ["ru"]
    for p in doc.paragraphs:
        p.segments = [Segment(f"p{p.index}s0", p.text, translations={"ru": p.text})]
    paths = write_outputs(doc, tmp_path / "out", Path("r.md"))
    assert paths["ru"].name == "r.ru.md"
    assert paths["ru"].read_bytes() == src.read_bytes()
