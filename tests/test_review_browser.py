"""A real browser (Playwright driving Debian's chromium) on the review app over a real run of the
pipeline on the tiny test models: jump to a flagged sentence with the keyboard, edit it, save;
the output file changes, and a later run uses the edited sentence from the translation memory."""
from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.subprocess]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
HOW = ("install it with: apt-get update && apt-get install -y chromium (and pip install playwright); "
       "Playwright's own browser download is not used")


def browser_or_skip():
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        pytest.skip(f"playwright is not installed; {HOW}")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}; {HOW}")
    return sync_playwright, expect


class Server:
    """The review app under uvicorn on 127.0.0.1:<free port>, in a thread."""

    def __init__(self, app):
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("review server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


def test_edit_in_the_browser_then_rerun_uses_it(tmp_path, model_config):
    sync_playwright, expect = browser_or_skip()
    from pipeline.cli import main
    from pipeline.memory.human import HumanMemory
    from pipeline.review.app import create_app

    in_dir, out_dir = tmp_path / "in", tmp_path / "out"
    in_dir.mkdir()
    # corpus sentences come out exactly; the last one is unknown to the tiny models: noise, flagged
    (in_dir / "release.txt").write_text(
        "The forum was held in Almaty.\n\nThe project will help 300 families. "
        "Registration closes on 15 March 2026.\n", encoding="utf-8")
    assert main(["run", str(in_dir), "--out", str(out_dir), "--config", str(model_config), "--to", "ru"]) == 0
    record = json.loads((out_dir / "release.json").read_text(encoding="utf-8"))
    flagged = [f["segment"] for f in record["flags"] if f.get("segment") and f.get("lang") == "ru"]
    assert flagged, f"expected a flagged sentence in {record['flags']}"
    order = [s["id"] for s in record["segments"]]
    first = min(flagged, key=order.index)
    source = next(s["source"] for s in record["segments"] if s["id"] == first)
    before = (out_dir / "release.ru.txt").read_text(encoding="utf-8")
    edited = "Регистрация закрывается 15 марта 2026 года."
    assert edited not in before

    memory = HumanMemory(tmp_path / "tm.sqlite")  # the memory model_config's translate stage uses
    app = create_app(out_dir, memory, user="browser-test")
    with Server(app) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.port}/?token={app.state.token}")
            page.click("text=release.txt")
            page.wait_for_selector("tr.seg.flagged")
            page.keyboard.press("j")  # next flagged sentence
            focused = page.evaluate("document.activeElement.dataset.seg + '|' + document.activeElement.dataset.lang")
            assert focused == f"{first}|ru"
            page.keyboard.press("Control+a")
            page.keyboard.type(edited)
            assert page.text_content("#save") == "Save (1)"
            page.keyboard.press("Control+s")
            expect(page.locator("#message")).to_contain_text("Saved")
            assert "memory (human)" in page.text_content(f'tr[data-seg="{first}"] .status')
        finally:
            browser.close()

    after = (out_dir / "release.ru.txt").read_text(encoding="utf-8")
    assert edited in after and after != before
    saved = json.loads((out_dir / "release.json").read_text(encoding="utf-8"))
    assert next(s for s in saved["segments"] if s["id"] == first)["translations"]["ru"] == edited
    entry = memory.get("en", "ru", source)
    assert (entry.target, entry.user, entry.origin) == (edited, "browser-test", "post-edit")

    # a later run of another release with the same sentence takes it from the memory
    (in_dir / "release.txt").unlink()
    (in_dir / "next-week.txt").write_text(f"The forum was held in Almaty. {source}\n", encoding="utf-8")
    assert main(["run", str(in_dir), "--out", str(tmp_path / "out2"), "--config", str(model_config),
                 "--to", "ru"]) == 0
    assert edited in (tmp_path / "out2" / "next-week.ru.txt").read_text(encoding="utf-8")
    rerun = json.loads((tmp_path / "out2" / "next-week.json").read_text(encoding="utf-8"))
    seg = next(s for s in rerun["segments"] if s["source"] == source)
    assert seg["translations"]["ru"] == edited and seg["status"]["ru"] == "human"


def test_keyboard_filter_confirm_and_stale_tab(tmp_path):
    """On a hand-made run (no models): filter, keyboard jumps, confirm, save, a stale second tab."""
    sync_playwright, expect = browser_or_skip()
    from test_review import EVIL, make_run

    from pipeline.memory.human import HumanMemory
    from pipeline.review.app import create_app

    out_dir = make_run(tmp_path)
    memory = HumanMemory(tmp_path / "tm.sqlite")
    app = create_app(out_dir, memory, user="tab-test")
    url = f"http://127.0.0.1:{{}}/doc/news/a?token={app.state.token}"
    with Server(app) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab_a, tab_b = browser.new_page(), browser.new_page()
            dialogs = []
            for tab in (tab_a, tab_b):
                tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                tab.goto(url.format(server.port))
            # the pasted HTML in the release is text, not markup
            assert tab_a.locator("script", has_text="alert").count() == 0
            assert EVIL in tab_a.text_content('tr[data-seg="p1s1"] td.src')
            # filter to flagged sentences: only p1s0 (flags on ru and kk) stays visible
            tab_a.check("#only-flagged")
            assert tab_a.is_hidden('tr[data-seg="p0s0"]') and tab_a.is_visible('tr[data-seg="p1s0"]')
            tab_a.uncheck("#only-flagged")
            tab_a.keyboard.press("j")
            assert tab_a.evaluate("document.activeElement.dataset.seg") == "p1s0"
            tab_a.keyboard.press("Control+Enter")  # confirm without change
            assert tab_a.text_content("#save") == "Save (1)"
            tab_a.keyboard.press("Alt+ArrowUp")  # already the first flagged sentence: stays
            assert tab_a.evaluate("document.activeElement.dataset.seg") == "p1s0"
            tab_a.keyboard.press("Control+s")
            expect(tab_a.locator("#message")).to_contain_text("Saved")
            assert memory.get("en", "ru", "The forum gathered 120 participants.").origin == "confirmed"
            # the confirmed translation's flag is gone from the page; the Kazakh one keeps the row flagged
            assert tab_a.locator('tr[data-seg="p1s0"] td.cell[data-lang="ru"] ul.flags').count() == 0
            assert tab_a.locator('tr[data-seg="p1s0"] td.cell[data-lang="kk"] ul.flags li').count() == 1
            assert "flagged" in tab_a.get_attribute('tr[data-seg="p1s0"]', "class")
            # the second tab still has the old version: its save is refused, nothing overwritten
            before = (out_dir / "news" / "a.kk.txt").read_bytes()
            tab_b.click('tr[data-seg="p0s0"] td.cell[data-lang="kk"] .tgt')
            tab_b.keyboard.press("End")
            tab_b.keyboard.type(" (B)")
            tab_b.click("#save")
            expect(tab_b.locator("#message")).to_contain_text("Not saved")
            assert "another tab" in tab_b.text_content("#message")
            assert (out_dir / "news" / "a.kk.txt").read_bytes() == before
            assert not dialogs
            # a document whose name needs escaping in a URL saves too
            shutil.copytree(out_dir / "news", out_dir / "Пресс #1?")
            tab_c = browser.new_page()
            tab_c.goto(f"http://127.0.0.1:{server.port}/?token={app.state.token}")
            tab_c.click("text=Пресс #1?/a")
            tab_c.click('tr[data-seg="p0s0"] button.confirm')
            tab_c.click("#save")
            expect(tab_c.locator("#message")).to_contain_text("Saved")
        finally:
            browser.close()
