"""The review app over a run's outputs: every endpoint through Starlette's test client (token,
traversal, stale saves, escaping, atomic saves), the human memory it feeds, and the static export."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from starlette.testclient import TestClient  # noqa: E402

from pipeline.document import Document, Flag, Segment  # noqa: E402
from pipeline.io import write_outputs  # noqa: E402
from pipeline.memory.human import HumanMemory  # noqa: E402
from pipeline.review.app import create_app  # noqa: E402
from pipeline.review.export import export_html  # noqa: E402

TOKEN = "test-token-123"
EVIL = '<script>alert("x")</script> & "quotes" <b>bold</b>'


def _attach(doc: Document, sentences: list[list[tuple[str, str, str]]]) -> Document:
    """Put sentence segments (source, ru, kk) on the paragraphs the reader found, as the segment
    and translate stages would."""
    assert len(sentences) == len(doc.paragraphs)
    for p, rows in zip(doc.paragraphs, sentences, strict=True):
        p.lang = "en"
        p.segments = []
        for k, (src, ru, kk) in enumerate(rows):
            assert src in p.text
            seg = Segment(f"p{p.index}s{k}", src, lang="en", score=0.9, translations={"ru": ru, "kk": kk})
            if hasattr(seg, "status"):
                seg.status = {"ru": "translated", "kk": "translated"}
            p.segments.append(seg)
    doc.lang, doc.targets = "en", ["ru", "kk"]
    return doc


def make_run(root: Path) -> Path:
    """An OUT_DIR as `ngo-pipeline run` writes it from IN_DIR: news/a.txt, b.md, a failed input."""
    from pipeline.io import read_document

    src, out = root / "in", root / "out"
    (src / "news").mkdir(parents=True)
    (src / "news" / "a.txt").write_text(f"Forum in Almaty\n\nThe forum gathered 120 participants. {EVIL}\n",
                                        encoding="utf-8")
    (src / "b.md").write_text("## About the programme\n\nIt is funded by the EU.\n", encoding="utf-8")
    a = _attach(read_document(src / "news" / "a.txt"), [
        [("Forum in Almaty", "Форум в Алматы", "Алматыдағы форум")],
        [("The forum gathered 120 participants.", "Форум собрал 12 участников.", "Форумға 120 қатысушы жиналды."),
         (EVIL, EVIL + " ru", EVIL + " kk")]])
    a.summaries = {"ru": "Форум собрал участников.", "en": "The forum gathered participants."}
    a.flags = [Flag(code="numbers-mismatch", message="numbers differ: missing 120, added 12", segment="p1s0", lang="ru"),
               Flag(code="lang-uncertain", message="document language uncertain")]
    b = _attach(read_document(src / "b.md"), [
        [("About the programme", "О программе", "Бағдарлама туралы")],
        [("It is funded by the EU.", "Она финансируется ЕС.", "Оны ЕО қаржыландырады.")]])
    report = []
    for doc, rel in ((a, Path("news/a.txt")), (b, Path("b.md"))):
        paths = write_outputs(doc, out, rel)
        if doc is a:  # spans as the QA engine (pipeline/qa) gives them
            record = json.loads(paths["json"].read_text(encoding="utf-8"))
            record["flags"][0]["span"] = {"side": "translation", "start": 13, "end": 15, "text": "12"}
            record["flags"].append({"code": "number-missing", "severity": "error", "message": "120 is missing",
                                    "segment": "p1s0", "lang": "kk",
                                    "span": {"side": "source", "start": 19, "end": 22, "text": "120"}})
            paths["json"].write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        report.append({"path": rel.as_posix(), "status": "ok", "lang": "en", "error": None,
                       "outputs": sorted(p.relative_to(out.resolve()).as_posix() for p in paths.values())})
    report.append({"path": "broken.docx", "status": "failed", "outputs": [], "lang": None,
                   "error": "cannot read: <not a zip>"})
    (out / "report.jsonl").write_text("".join(json.dumps(r) + "\n" for r in report), encoding="utf-8")
    return out


@pytest.fixture
def run_dir(tmp_path):
    return make_run(tmp_path)


@pytest.fixture
def memory(tmp_path):
    return HumanMemory(tmp_path / "tm.sqlite")


@pytest.fixture
def client(run_dir, memory):
    app = create_app(run_dir, memory, token=TOKEN, hosts=("testserver", "127.0.0.1"), user="reviewer")
    return TestClient(app)


def _version(client, doc_id="news/a"):
    html = client.get(f"/doc/{doc_id}", params={"token": TOKEN}).text
    return html.split('data-version="', 1)[1].split('"', 1)[0]


def _save(client, doc_id, version, changes, token=TOKEN, **kw):
    headers = {"X-Review-Token": token, "Content-Type": "application/json", **kw.pop("headers", {})}
    return client.post(f"/api/save/{doc_id}", content=json.dumps({"version": version, "changes": changes}),
                       headers=headers, **kw)


def test_index_lists_documents_with_status(client):
    r = client.get("/", params={"token": TOKEN})
    assert r.status_code == 200
    assert "news/a.txt" in r.text and "b.md" in r.text and "broken.docx" in r.text
    assert "cannot read: &lt;not a zip&gt;" in r.text  # the error, escaped
    assert "1 QA error" in r.text and "2 warnings" in r.text
    assert "not reviewed" in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'none'")
    assert r.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/", "/doc/news/a"])
def test_pages_need_the_token(client, path):
    assert client.get(path).status_code == 403
    assert client.get(path, params={"token": "wrong"}).status_code == 403


def test_wrong_host_refused(run_dir, memory):
    app = create_app(run_dir, memory, token=TOKEN)  # default hosts: 127.0.0.1, localhost
    c = TestClient(app, base_url="http://evil.example")
    assert c.get("/", params={"token": TOKEN}).status_code == 400
    c = TestClient(app, base_url="http://127.0.0.1:8765")
    assert c.get("/", params={"token": TOKEN}).status_code == 200


def test_document_page_side_by_side_and_escaped(client):
    r = client.get("/doc/news/a", params={"token": TOKEN})
    assert r.status_code == 200
    html = r.text
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quotes&#34; &lt;b&gt;bold&lt;/b&gt;" in html
    assert html.count('contenteditable="plaintext-only"') == 6  # 3 sentences x 2 targets
    # the flag at its sentence and span: "12" in the Russian sentence is marked
    assert '<mark title="numbers-mismatch: numbers differ: missing 120, added 12">12</mark>' in html
    assert '<mark title="number-missing: 120 is missing">120</mark>' in html  # on the source side
    assert 'class="seg flagged" data-seg="p1s0"' in html
    assert "Summary (ru)" in html and "Форум собрал участников." in html
    assert "document language uncertain" in html
    assert "<script src=\"/static/review.js\"></script>" in html


@pytest.mark.parametrize("doc_id", ["../out/news/a", "..%2F..%2Fetc%2Fpasswd", "/etc/passwd", "news/%2e%2e/b",
                                    "news/a.json", "%2e%2e/report", "report", ".review-x/a"])
def test_traversal_and_unknown_ids(client, doc_id):
    r = client.get(f"/doc/{doc_id}", params={"token": TOKEN})
    assert r.status_code == 404
    assert _save(client, doc_id, "v", [{"segment": "p0s0", "lang": "ru", "text": "x"}]).status_code == 404


def test_symlinked_record_outside_is_not_listed(tmp_path, run_dir, client):
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"segments": [], "paragraphs": [], "id": "s"}), encoding="utf-8")
    (run_dir / "leak.json").symlink_to(secret)
    assert client.get("/doc/leak", params={"token": TOKEN}).status_code == 404
    assert "leak" not in client.get("/", params={"token": TOKEN}).text


def test_static_files(client):
    assert client.get("/static/review.js").status_code == 200
    assert client.get("/static/review.css").headers["content-type"].startswith("text/css")
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/app.py").status_code == 404


def test_save_edit_rewrites_outputs_and_feeds_memory(client, run_dir, memory):
    version = _version(client)
    r = _save(client, "news/a", version, [
        {"segment": "p1s0", "lang": "ru", "text": "Форум собрал 120 участников."},
        {"segment": "p0s0", "lang": "kk", "text": None}])
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["human"] == 2 and data["version"] != version
    assert sorted(data["saved"]) == ["news/a.json", "news/a.kk.txt", "news/a.review.md", "news/a.ru.txt"]
    ru = (run_dir / "news" / "a.ru.txt").read_text(encoding="utf-8")
    assert ru.split("\n\n")[1].startswith("Форум собрал 120 участников. ")
    record = json.loads((run_dir / "news" / "a.json").read_text(encoding="utf-8"))
    seg = next(s for s in record["segments"] if s["id"] == "p1s0")
    assert seg["translations"]["ru"] == "Форум собрал 120 участников."
    if "status" in seg:
        assert seg["status"]["ru"] == "human"
    review = record["metadata"]["review"]
    assert review["edits"] == [{"segment": "p1s0", "lang": "ru", "before": "Форум собрал 12 участников.",
                                "after": "Форум собрал 120 участников.", "user": "reviewer",
                                "time": review["edits"][0]["time"]}]
    assert review["confirmed"][0]["segment"] == "p0s0"
    assert [f["code"] for f in review["resolved_flags"]] == ["numbers-mismatch"]
    assert [f["code"] for f in record["flags"]] == ["lang-uncertain", "number-missing"]
    # the memory holds both, as human translations by the OS user
    e = memory.get("en", "ru", "The forum gathered 120 participants.")
    assert (e.target, e.user, e.origin) == ("Форум собрал 120 участников.", "reviewer", "post-edit")
    assert memory.get("en", "kk", "Forum in Almaty").origin == "confirmed"
    # the edit log, the list shows it reviewed, no staging folder left behind
    log = [json.loads(x) for x in (run_dir / "review-log.jsonl").read_text(encoding="utf-8").splitlines()]
    assert log[0]["document"] == "news/a" and log[0]["edits"] == 1 and log[0]["confirmed"] == 1
    assert "reviewed" in client.get("/", params={"token": TOKEN}).text
    assert not [p for p in run_dir.iterdir() if p.name.startswith(".review-")]
    # the page now shows the human translation with who made it
    html = client.get("/doc/news/a", params={"token": TOKEN}).text
    assert "memory (human) &middot; reviewer" in html


def test_save_keeps_markdown_markup(client, run_dir):
    r = _save(client, "b", _version(client, "b"), [{"segment": "p0s0", "lang": "ru", "text": "О нашей программе"}])
    assert r.status_code == 200, r.text
    assert (run_dir / "b.ru.md").read_text(encoding="utf-8").startswith("## О нашей программе\n\nОна финансируется ЕС.")


def test_save_needs_the_token_header(client, run_dir):
    before = (run_dir / "news" / "a.ru.txt").read_bytes()
    version = _version(client)
    change = [{"segment": "p1s0", "lang": "ru", "text": "x"}]
    assert _save(client, "news/a", version, change, token="wrong").status_code == 403
    r = client.post("/api/save/news/a", content=json.dumps({"version": version, "changes": change}),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 403
    # a form post from another site (no custom header possible) is refused
    r = client.post(f"/api/save/news/a?token={TOKEN}", data={"version": version, "changes": "x"})
    assert r.status_code == 403
    # the right token but a cross-site Origin
    assert _save(client, "news/a", version, change, headers={"Origin": "http://evil.example"}).status_code == 403
    assert client.get("/api/save/news/a", params={"token": TOKEN}).status_code == 405
    assert (run_dir / "news" / "a.ru.txt").read_bytes() == before


def test_stale_second_save_is_refused(client, run_dir):
    version = _version(client)  # two tabs opened the same version
    assert _save(client, "news/a", version, [{"segment": "p1s0", "lang": "ru", "text": "Первая вкладка."}]).status_code == 200
    after_first = (run_dir / "news" / "a.ru.txt").read_bytes()
    r = _save(client, "news/a", version, [{"segment": "p1s0", "lang": "ru", "text": "Вторая вкладка."}])
    assert r.status_code == 409 and "NOT saved" in r.json()["error"]
    assert (run_dir / "news" / "a.ru.txt").read_bytes() == after_first


@pytest.mark.parametrize("changes,message", [
    ([], "nothing to save"),
    ([{"segment": "p9s9", "lang": "ru", "text": "x"}], "unknown sentence"),
    ([{"segment": "p1s0", "lang": "de", "text": "x"}], "unknown sentence or language"),
    ([{"segment": "p1s0", "lang": "ru", "text": 5}], "must be a string"),
    ([{"segment": "p1s0", "lang": "ru", "text": "x" * 6000}], "longer than"),
    ([{"segment": "p1s0", "lang": "ru", "text": "a\x00b"}], "control characters"),
    ([{"segment": "p1s0", "lang": "ru", "text": "a"}, {"segment": "p1s0", "lang": "ru", "text": "b"}], "twice"),
    ([{"segment": ["p1s0"], "lang": "ru", "text": "a"}], "unknown sentence"),
    ([{"segment": "p1s0", "lang": {"x": 1}, "text": "a"}], "unknown sentence or language"),
    (["p1s0"], "must be an object"),
    ("not a list", "nothing to save"),
])
def test_invalid_changes_are_refused(client, run_dir, changes, message):
    before = (run_dir / "news" / "a.json").read_bytes()
    r = _save(client, "news/a", _version(client), changes)
    assert r.status_code == 400 and message in r.json()["error"]
    assert (run_dir / "news" / "a.json").read_bytes() == before


def test_malformed_body(client):
    r = client.post("/api/save/news/a", content=b"{not json", headers={"X-Review-Token": TOKEN,
                                                                        "Content-Type": "application/json"})
    assert r.status_code == 400
    r = client.post("/api/save/news/a", content=b"{}", headers={"X-Review-Token": TOKEN, "Content-Type": "text/plain"})
    assert r.status_code == 415


def test_failed_save_leaves_outputs_intact(client, run_dir, memory, monkeypatch):
    import pipeline.review.store as store_mod

    files = {p: p.read_bytes() for p in (run_dir / "news").iterdir()}
    version = _version(client)

    def broken(doc, out_dir, rel):  # the writer fails half-way (after one file)
        (Path(out_dir) / "news").mkdir(parents=True, exist_ok=True)
        (Path(out_dir) / "news" / "a.ru.txt").write_text("half", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(store_mod, "write_outputs", broken)
    r = _save(client, "news/a", version, [{"segment": "p1s0", "lang": "ru", "text": "Новый текст."}])
    assert r.status_code == 500 and "previous outputs are unchanged" in r.json()["error"]
    assert {p: p.read_bytes() for p in (run_dir / "news").iterdir()} == files
    assert memory.count() == 0
    assert not [p for p in run_dir.iterdir() if p.name.startswith(".review-")]

    # a failure while moving the files into place: the ones already moved are put back
    monkeypatch.undo()
    real_replace = store_mod._move
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("device busy")
        real_replace(src, dst)

    monkeypatch.setattr(store_mod, "_move", replace)
    r = _save(client, "news/a", version, [{"segment": "p1s0", "lang": "ru", "text": "Новый текст."}])
    assert r.status_code == 500 and "restored" in r.json()["error"]
    assert {p: p.read_bytes() for p in (run_dir / "news").iterdir()} == files


def test_fuzzy_matches_are_shown(client, memory):
    memory.record("en", "ru", "The forum gathered 150 participants.", "Форум собрал 150 участников.",
                  user="agency", origin="tmx")
    html = client.get("/doc/news/a", params={"token": TOKEN}).text
    assert "1 similar in memory (best 97%)" in html
    assert "Форум собрал 150 участников." in html and 'data-text="Форум собрал 150 участников."' in html


def test_static_export_is_self_contained_and_escaped(run_dir, memory, tmp_path):
    dest = tmp_path / "review.html"
    assert export_html(run_dir, dest, memory) == 2
    html = dest.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert 'contenteditable="' not in html and "/static/" not in html
    assert not re.search(r'(src|href)="(?!#)', html)  # no external (or any non-anchor) asset
    assert "<style>" in html and "function ()" in html  # inlined style and script
    assert 'href="#doc-1"' in html and 'id="doc-2"' in html
    assert '<mark title="numbers-mismatch' in html and "О программе" in html


def test_source_changed_since_the_run_refuses_the_save(client, run_dir):
    (run_dir.parent / "in" / "news" / "a.txt").write_text("Forum in Almaty\n\nSomething else now.\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in (run_dir / "news").iterdir()}
    r = _save(client, "news/a", _version(client), [{"segment": "p1s0", "lang": "ru", "text": "Новый текст."}])
    assert r.status_code == 409 and "changed since the run" in r.json()["error"]
    assert {p: p.read_bytes() for p in (run_dir / "news").iterdir()} == before


def test_missing_source(client, run_dir):
    (run_dir.parent / "in" / "b.md").unlink()  # Markdown is re-rendered around its source: needed
    r = _save(client, "b", _version(client, "b"), [{"segment": "p1s0", "lang": "ru", "text": "Её финансирует ЕС."}])
    assert r.status_code == 409 and "b.md is needed" in r.json()["error"]
    (run_dir.parent / "in" / "news" / "a.txt").unlink()  # plain text can be rebuilt from the record
    r = _save(client, "news/a", _version(client), [{"segment": "p1s0", "lang": "ru", "text": "Новый текст."}])
    assert r.status_code == 200, r.text
    assert "Новый текст." in (run_dir / "news" / "a.ru.txt").read_text(encoding="utf-8")


def test_docx_save_keeps_styles_and_tables(tmp_path, memory):
    docx = pytest.importorskip("docx")
    from pipeline.io import read_document

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    d = docx.Document()
    d.add_heading("Forum in Almaty", level=1)
    d.add_paragraph("The forum gathered 120 participants.")
    table = d.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = "Date"
    table.cell(0, 1).text = "12 March"
    d.save(str(src / "r.docx"))
    doc = read_document(src / "r.docx")
    texts = [p.text for p in doc.paragraphs]
    assert texts == ["Forum in Almaty", "The forum gathered 120 participants.", "Date", "12 March"]
    tr = {"Forum in Almaty": "Форум в Алматы", "The forum gathered 120 participants.": "Форум собрал 12 участников.",
          "Date": "Дата", "12 March": "12 марта"}
    _attach(doc, [[(t, tr[t], t)] for t in texts])
    paths = write_outputs(doc, out, Path("r.docx"))
    (out / "report.jsonl").write_text(json.dumps({"path": "r.docx", "status": "ok", "lang": "en", "error": None,
        "outputs": [p.relative_to(out.resolve()).as_posix() for p in paths.values()]}) + "\n", encoding="utf-8")
    client = TestClient(create_app(out, memory, token=TOKEN, hosts=("testserver",), user="r"))
    r = _save(client, "r", _version(client, "r"), [{"segment": "p1s0", "lang": "ru", "text": "Форум собрал 120 участников."}])
    assert r.status_code == 200, r.text
    saved = docx.Document(str(out / "r.ru.docx"))
    assert [p.text for p in saved.paragraphs if p.text] == ["Форум в Алматы", "Форум собрал 120 участников."]
    assert saved.paragraphs[0].style.name == "Heading 1"
    assert saved.tables[0].style.name == "Table Grid"
    assert [c.text for c in saved.tables[0].rows[0].cells] == ["Дата", "12 марта"]


@pytest.mark.slow  # builds the QA engine's language detector (seconds)
def test_edited_sentences_are_checked_again(run_dir, memory):
    from pipeline.review.app import qa_recheck

    recheck = qa_recheck()
    if recheck is None:
        pytest.skip("the QA engine (pipeline/qa) could not be built")
    client = TestClient(create_app(run_dir, memory, token=TOKEN, hosts=("testserver",), user="r", recheck=recheck))
    r = _save(client, "news/a", _version(client), [
        {"segment": "p1s0", "lang": "ru", "text": "Форум собрал 13 участников."},  # still wrong
        {"segment": "p0s0", "lang": "ru", "text": "Форум в городе Алматы"}])  # fine
    assert r.status_code == 200, r.text
    assert [(f["segment"], f["code"]) for f in r.json()["flags"]] == [("p1s0", "number-mismatch")]
    record = json.loads((run_dir / "news" / "a.json").read_text(encoding="utf-8"))
    new = [f for f in record["flags"] if f.get("lang") == "ru"]
    assert [(f["code"], f["segment"]) for f in new] == [("number-mismatch", "p1s0")]
    assert [f["code"] for f in record["metadata"]["review"]["resolved_flags"]] == ["numbers-mismatch"]


def test_a_failing_recheck_does_not_lose_the_edit(run_dir, memory):
    def broken(pairs):
        raise RuntimeError("detector missing")

    client = TestClient(create_app(run_dir, memory, token=TOKEN, hosts=("testserver",), user="r", recheck=broken))
    r = _save(client, "news/a", _version(client), [{"segment": "p1s0", "lang": "ru", "text": "Форум собрал 120 участников."}])
    assert r.status_code == 200, r.text
    record = json.loads((run_dir / "news" / "a.json").read_text(encoding="utf-8"))
    assert record["metadata"]["review"]["recheck_errors"] == ["RuntimeError: detector missing"]
    assert "Форум собрал 120 участников." in (run_dir / "news" / "a.ru.txt").read_text(encoding="utf-8")


def test_document_names_with_spaces_hash_and_cyrillic(client, run_dir):
    import html as html_mod
    import re as re_mod
    import shutil

    shutil.copy(run_dir / "news" / "a.json", run_dir / "Пресс-релиз #1?.json")
    index = client.get("/", params={"token": TOKEN}).text
    hrefs = [html_mod.unescape(h) for h in re_mod.findall(r'href="(/doc/[^"]+)"', index)]
    odd = [h for h in hrefs if "%D0%9F" in h]
    assert len(odd) == 1 and "%23" in odd[0] and "%3F" in odd[0]
    page = client.get(odd[0])
    assert page.status_code == 200 and 'data-doc-id="Пресс-релиз #1?"' in page.text


def test_saves_from_two_servers_on_one_folder_are_serialised(client, run_dir):
    import threading
    import time as time_mod

    from pipeline.review.store import folder_lock

    version = _version(client)
    result = {}
    with folder_lock(run_dir.resolve()):  # another server is in the middle of a save
        worker = threading.Thread(target=lambda: result.update(r=_save(
            client, "news/a", version, [{"segment": "p1s0", "lang": "ru", "text": "Форум собрал 120 участников."}])))
        worker.start()
        time_mod.sleep(0.5)
        assert worker.is_alive() and "r" not in result  # waits for the lock
    worker.join(20)
    assert result["r"].status_code == 200


@pytest.mark.slow  # the QA engine's detector
def test_recheck_uses_the_glossary_of_the_config(tmp_path, run_dir, memory):
    from pipeline.review.app import qa_recheck

    (tmp_path / "terms.tsv").write_text("forum\tфорум\n", encoding="utf-8")
    cfg = tmp_path / "review.toml"
    cfg.write_text('[pipeline]\nlanguages = ["en", "ru", "kk"]\nstages = ["check"]\n\n'
                   '[stages.check]\nfactory = "check.publication"\nglossary = "terms.tsv"\n', encoding="utf-8")
    recheck = qa_recheck(cfg)
    assert recheck is not None
    client = TestClient(create_app(run_dir, memory, token=TOKEN, hosts=("testserver",), user="r", recheck=recheck))
    r = _save(client, "news/a", _version(client), [
        {"segment": "p1s0", "lang": "ru", "text": "Собрание собрало 120 участников."}])  # "forum" not rendered
    assert r.status_code == 200, r.text
    assert [f["code"] for f in r.json()["flags"]] == ["glossary"]


def test_memory_failure_saves_nothing(client, run_dir, memory, monkeypatch):
    import sqlite3

    before = {p: p.read_bytes() for p in (run_dir / "news").iterdir()}

    def locked(entries):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(memory, "put_many", locked)
    r = _save(client, "news/a", _version(client), [{"segment": "p1s0", "lang": "ru", "text": "Новый текст."}])
    assert r.status_code == 500 and "database is locked" in r.json()["error"] and "nothing was saved" in r.json()["error"]
    assert {p: p.read_bytes() for p in (run_dir / "news").iterdir()} == before
    assert not [p for p in run_dir.iterdir() if p.name.startswith(".review-")]


def test_broken_record_gets_a_page_not_a_traceback(client, run_dir):
    record = json.loads((run_dir / "b.json").read_text(encoding="utf-8"))
    record["segments"][0]["translations"] = "not a mapping"
    (run_dir / "b.json").write_text(json.dumps(record), encoding="utf-8")
    r = client.get("/doc/b", params={"token": TOKEN})
    assert r.status_code == 500 and "cannot show b" in r.text and "Traceback" not in r.text


@pytest.fixture
def deep_tmp(tmp_path):
    """tmp_path, emptied afterwards without recursion (pytest's shutil.rmtree recurses per level)."""
    import os

    yield tmp_path
    folders, i = [tmp_path / "out"], 0
    while i < len(folders):
        for de in os.scandir(folders[i]):
            if de.is_dir(follow_symlinks=False):
                folders.append(Path(de.path))
            else:
                os.unlink(de.path)
        i += 1
    for folder in reversed(folders):
        folder.rmdir()


def test_an_output_folder_a_thousand_levels_deep(deep_tmp, memory):
    """A run mirrors an input tree of any depth (tests/test_runner_faults.py); the review app lists
    and opens its documents without exhausting Python's recursion limit."""
    out = deep_tmp / "out"
    out.mkdir()
    deep = out
    for _ in range(1000):  # (Path.mkdir(parents=True) would recurse)
        deep = deep / "d"
        deep.mkdir()
    for folder, name in ((out, "top"), (deep, "bottom")):
        doc = _attach(Document.from_text("Forum in Almaty.", id=name),
                      [[("Forum in Almaty.", "Форум в Алматы.", "Алматыдағы форум.")]])
        (folder / f"{name}.json").write_text(json.dumps(doc.to_dict(), ensure_ascii=False), encoding="utf-8")
    bottom = "/".join(["d"] * 1000) + "/bottom"
    client = TestClient(create_app(out, memory, token=TOKEN, hosts=("testserver",), user="reviewer"))
    index = client.get("/", params={"token": TOKEN})
    assert index.status_code == 200 and bottom in index.text and "top" in index.text
    page = client.get(f"/doc/{bottom}", params={"token": TOKEN})
    assert page.status_code == 200 and "Алматыдағы форум." in page.text
