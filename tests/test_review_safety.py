"""Issue 21.9: the review app never holds an oversized request body, and the Markdown review sheet
shows a release's text (even `<script>`) as text, never as raw HTML."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from pipeline.document import Document, Flag, Paragraph  # noqa: E402
from pipeline.io.review_sheet import md_text, render_review  # noqa: E402
from pipeline.review.app import MAX_BODY, create_app  # noqa: E402

TOKEN = "tok"


def _call(app, body_chunks, headers):
    """Drive the ASGI app with a body streamed in chunks; returns (status, chunks consumed)."""
    consumed = 0
    sent: list[dict] = []

    async def receive():
        nonlocal consumed
        if consumed < len(body_chunks):
            consumed += 1
            return {"type": "http.request", "body": body_chunks[consumed - 1],
                    "more_body": consumed < len(body_chunks)}
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/api/save/x", "raw_path": b"/api/save/x", "root_path": "",
             "query_string": b"", "server": ("127.0.0.1", 8765), "client": ("127.0.0.1", 5000),
             "headers": [(k.lower().encode(), v.encode()) for k, v in
                         {"host": "127.0.0.1", "content-type": "application/json",
                          "x-review-token": TOKEN, **headers}.items()]}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], consumed


@pytest.fixture
def app(tmp_path):
    (tmp_path / "out").mkdir()
    return create_app(tmp_path / "out", None, token=TOKEN)


def test_streamed_oversized_body_is_refused_without_reading_it_all(app):
    chunk = b"x" * 100_000
    chunks = [chunk] * (3 * MAX_BODY // len(chunk))  # 3x the limit, no Content-Length
    status, consumed = _call(app, chunks, {})
    assert status == 413
    assert consumed <= MAX_BODY // len(chunk) + 1 < len(chunks)  # stopped at the limit


def test_declared_oversized_body_is_refused_unread(app):
    status, consumed = _call(app, [b"{}"], {"content-length": str(300_000_000)})
    assert status == 413 and consumed == 0


def test_small_body_still_reaches_the_save(app):
    body = json.dumps({"version": "v", "changes": []}).encode()
    status, _ = _call(app, [body[:5], body[5:]], {"content-length": str(len(body))})
    assert status == 404  # read whole, parsed, then: no such document in this (empty) run


EVIL = '<script>alert("x")</script> <img src=x onerror=alert(1)> &amp; [link](javascript:alert(1))'


def test_review_sheet_shows_html_in_a_release_as_text():
    from markdown_it import MarkdownIt

    doc = Document(id="d", text=EVIL, source_path=Path("<b>name</b>.txt"),
                   paragraphs=[Paragraph(index=0, text=EVIL)])
    doc.lang, doc.lang_score = "en", 0.9
    doc.summaries = {"ru": EVIL}
    doc.flags = [Flag(code="numbers-mismatch", message=EVIL, segment="p0s0", lang="ru")]
    doc.metadata = {"read_notes": [EVIL], "docx": {"comments": [{"author": EVIL, "text": EVIL, "anchor": EVIL}]}}
    sheet = render_review(doc)
    html = MarkdownIt("commonmark").render(sheet)  # raw HTML allowed, as most Markdown viewers do
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert 'href="javascript' not in html
    assert html.count("&lt;script&gt;alert") >= 6  # the text itself is all there, shown as text


def test_md_text_keeps_plain_text_readable():
    assert md_text("Форум прошёл 5 мая в Алматы.") == "Форум прошёл 5 мая в Алматы."


def test_qa_review_sheet_shows_html_in_a_release_as_text(tmp_path):
    from markdown_it import MarkdownIt

    from pipeline.qa.documents import check_documents, review_sheet
    from pipeline.qa.engine import QAEngine

    (tmp_path / "en.txt").write_text(f"The project will help 300 families. {EVIL}\n", encoding="utf-8")
    (tmp_path / "ru.txt").write_text(f"Проект поможет 30 семьям. {EVIL}\n", encoding="utf-8")
    report = check_documents(QAEngine(detect=False), tmp_path / "en.txt", tmp_path / "ru.txt", "en", "ru")
    html = MarkdownIt("commonmark").render(review_sheet(report))
    assert "number" in html and "&lt;script&gt;alert" in html
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
