"""The batch overview of `ngo-pipeline review OUT` and its static export (every document with status,
languages, QA errors and warnings, low-confidence count and review state, sortable), and the mark
on everything made with the project's test models (issue 20: "A batch overview", item 5)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from starlette.testclient import TestClient  # noqa: E402

from pipeline.cli import main  # noqa: E402
from pipeline.review.app import create_app  # noqa: E402
from pipeline.review.export import export_html  # noqa: E402

TOKEN = "tok-overview"


def _edit_record(path: Path, **changes) -> None:
    record = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key == "metadata":
            record.setdefault("metadata", {}).update(value)
        else:
            record[key] = value
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def run_dir(tmp_path):
    from test_review import make_run

    out = make_run(tmp_path)  # news/a (1 error, 2 warnings, 1 low-confidence), b (clean), broken.docx (failed)
    lines = [json.loads(x) for x in (out / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    lines[0].update(status="needs-review", reason="1 QA error(s)")
    lines[1].update(status="partial", reason="not read: a table")
    lines.append({"path": "notes.xyz", "status": "unsupported", "outputs": [], "error": "file type .xyz"})
    (out / "report.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    _edit_record(out / "b.json", metadata={"review": {"saves": [{"time": "t"}], "edits": [{"s": 1}, {"s": 2}]}})
    return out


def _paths(html: str) -> list[str]:
    return re.findall(r'<tr class="doc [^"]*" data-path="([^"]+)"', html)


def test_overview_lists_every_document_with_its_counts(run_dir):
    client = TestClient(create_app(run_dir, None, token=TOKEN, hosts=("testserver",)))
    html = client.get("/", params={"token": TOKEN}).text
    for header in ("Document", "Run", "Language", "QA errors", "Warnings", "Low confidence", "Review"):
        assert f">{header}<" in html
    row = html.split('data-path="news/a.txt"', 1)[1].split("</tr>", 1)[0]
    assert 'data-errors="1" data-warnings="2" data-low="1"' in row and "needs-review" in row
    assert "1 QA error(s)" in row and "not reviewed" in row
    row_b = html.split('data-path="b.md"', 1)[1].split("</tr>", 1)[0]
    assert "partial" in row_b and "not read: a table" in row_b and "reviewed</span> (2 edits)" in row_b
    assert "file type .xyz" in html
    assert "4 documents:" in html and "1 QA error</span>, 2 warnings, 1 low-confidence" in html and "1 of 2 reviewed" in html
    # most attention first by default: failed, partial, needs-review, then the rest
    assert _paths(html) == ["broken.docx", "b.md", "news/a.txt", "notes.xyz"]


@pytest.mark.parametrize("key, order", [
    ("path", ["b.md", "broken.docx", "news/a.txt", "notes.xyz"]),
    ("errors", ["news/a.txt", "b.md", "broken.docx", "notes.xyz"]),
    ("review", ["broken.docx", "news/a.txt", "notes.xyz", "b.md"]),
    ("status", ["broken.docx", "b.md", "news/a.txt", "notes.xyz"]),
])
def test_overview_sorts_by_a_column(run_dir, key, order):
    client = TestClient(create_app(run_dir, None, token=TOKEN, hosts=("testserver",)))
    html = client.get("/", params={"token": TOKEN, "sort": key}).text
    assert _paths(html) == order
    assert f'<th data-key="{key}" aria-sort=' in html


def test_export_has_the_same_overview_sortable_without_a_server(run_dir, tmp_path):
    dest = tmp_path / "review.html"
    export_html(run_dir, dest)
    html = dest.read_text(encoding="utf-8")
    assert _paths(html) == ["broken.docx", "b.md", "news/a.txt", "notes.xyz"]
    assert '<button type="button" class="sort" data-key="errors">QA errors</button>' in html
    assert 'getElementById("doc-list")' in html  # the inlined script sorts it
    anchors = dict(re.findall(r'data-path="([^"]+)"[^>]*>\s*<td><a href="#(doc-\d+)"', html))
    assert set(anchors) == {"b.md", "news/a.txt"} and all(f'id="{a}"' in html for a in anchors.values())


def test_review_command_prints_the_overview(run_dir, tmp_path, capsys):
    assert main(["review", str(run_dir), "--no-memory", "--export", str(tmp_path / "r.html")]) == 0
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if x.endswith("news/a.txt"))
    assert line.split()[:4] == ["needs-review", "1", "2", "1"]
    assert "4 document(s): 1 failed, 1 partial, 1 needs-review, 1 unsupported" in err


def test_test_model_output_is_marked_everywhere(run_dir, tmp_path):
    from pipeline.io.review_sheet import render_review
    from pipeline.review.record import document_from_record

    client = TestClient(create_app(run_dir, None, token=TOKEN, hosts=("testserver",)))
    assert "TEST MODELS" not in client.get("/", params={"token": TOKEN}).text
    _edit_record(run_dir / "news" / "a.json",
                 metadata={"test_models": "made with the project's test models (models/tiny): not real translations"})
    index = client.get("/", params={"token": TOKEN}).text
    assert 'class="test-banner"' in index and "not</strong> real translations" in index
    assert index.split('data-path="news/a.txt"', 1)[1].split("</tr>", 1)[0].count("test-tag") == 1
    assert 'class="test-banner"' in client.get("/doc/news/a", params={"token": TOKEN}).text
    assert 'class="test-banner"' not in client.get("/doc/b", params={"token": TOKEN}).text
    export_html(run_dir, tmp_path / "r.html")
    assert 'class="test-banner"' in (tmp_path / "r.html").read_text(encoding="utf-8")
    record = json.loads((run_dir / "news" / "a.json").read_text(encoding="utf-8"))
    assert "**TEST MODELS**" in render_review(document_from_record(record))
    record_b = json.loads((run_dir / "b.json").read_text(encoding="utf-8"))
    assert "TEST MODELS" not in render_review(document_from_record(record_b))


def test_a_run_record_of_test_models_marks_the_page(run_dir):
    (run_dir / ".ngo-pipeline-run.json").write_text(json.dumps({"version": 1, "test_models": True}), encoding="utf-8")
    client = TestClient(create_app(run_dir, None, token=TOKEN, hosts=("testserver",)))
    assert 'class="test-banner"' in client.get("/", params={"token": TOKEN}).text


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.subprocess
def test_export_sorts_in_the_browser(run_dir, tmp_path):
    from test_review_browser import CHROMIUM, CHROMIUM_ARGS, browser_or_skip

    sync_playwright, _ = browser_or_skip()
    dest = tmp_path / "review.html"
    export_html(run_dir, dest)
    order = 'Array.from(document.querySelectorAll("#doc-list tr.doc")).map(r => r.dataset.path)'
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(dest.as_uri())
            assert page.evaluate(order) == ["broken.docx", "b.md", "news/a.txt", "notes.xyz"]
            page.click('button.sort[data-key="path"]')
            assert page.evaluate(order) == ["b.md", "broken.docx", "news/a.txt", "notes.xyz"]
            page.click('button.sort[data-key="errors"]')
            assert page.evaluate(order) == ["news/a.txt", "b.md", "broken.docx", "notes.xyz"]
            page.click('button.sort[data-key="review"]')
            assert page.evaluate(order) == ["broken.docx", "news/a.txt", "notes.xyz", "b.md"]
            assert page.get_attribute('th[data-key="review"]', "aria-sort") == "other"
        finally:
            browser.close()
