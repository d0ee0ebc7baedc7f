"""The scripted newcomer (issue 20, "Done when"): a fresh clone, the quick start, the commands it
prints, a post-edit in a real browser, a re-run with --force: the edit survives.

The quick start runs with the environment the tests run in (`--skip-install --venv`: the install
itself downloads packages), offline, so it uses the committed test models. Slow (the run over
seeds/ takes minutes on 2 cores) and needs Debian's chromium (see test_review_browser.py)."""
from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from test_review_browser import CHROMIUM, CHROMIUM_ARGS, browser_or_skip

pytestmark = [pytest.mark.install, pytest.mark.slow, pytest.mark.subprocess, pytest.mark.browser, pytest.mark.models]
ROOT = Path(__file__).resolve().parents[1]
EDITED = "Проверено редактором: форум прошёл в Алматы."


def _env(clone: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NGO_PIPELINE_MODELS",)}
    env["PYTHONPATH"] = str(clone)  # the clone's code, with the packages of this environment
    env["PATH"] = str(Path(sys.prefix) / ("Scripts" if os.name == "nt" else "bin")) + os.pathsep + env.get("PATH", "")
    return env


def _commands(text: str, prefix: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith(prefix)]


def test_fresh_clone_quick_start_review_edit_then_force_rerun_keeps_it(tmp_path):
    sync_playwright, expect = browser_or_skip()
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "ngo-pipeline"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=300)
    env = _env(clone)

    # 1. the quick start, as the README says (the environment already installed)
    qs = subprocess.run([sys.executable, "scripts/quickstart.py", "--skip-install", "--venv", sys.prefix, "--offline"],
                        cwd=clone, env=env, capture_output=True, text=True, timeout=1800)
    assert qs.returncode in (0, 1), qs.stdout + qs.stderr
    out = qs.stdout
    assert "[4/4] ngo-pipeline run seeds --out out" in out and "TEST models" in out
    assert re.search(r"finished in \d+", out)
    review_cmd, = _commands(out, "ngo-pipeline review")
    run_cmd, = _commands(out, "ngo-pipeline run seeds")
    assert review_cmd == "ngo-pipeline review out --config models/tiny/config.toml"
    assert run_cmd == "ngo-pipeline run seeds --out out --config models/tiny/config.toml"
    report = [json.loads(x) for x in (clone / "out" / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    done = [r for r in report if any(o.endswith(".json") for o in r.get("outputs") or [])]
    assert len(done) >= 3

    # 2. the printed review command, in a real browser: the overview, one edit, saved
    server = subprocess.Popen(shlex.split(review_cmd) + ["--port", "0"], cwd=clone, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        for line in server.stdout:
            m = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)
            if m:
                url = m.group(0)
                break
        assert url, server.stderr.read()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(url)
                expect(page.locator(".test-banner")).to_contain_text("TEST MODELS")
                assert page.locator("#doc-list tr.doc").count() == len(report)
                page.locator("#doc-list tr.doc td a").first.click()
                page.wait_for_selector("tr.seg .tgt")
                doc_id = page.get_attribute("#doc", "data-doc-id")
                cell = page.locator("tr.seg .tgt").first
                seg, lang = cell.get_attribute("data-seg"), cell.get_attribute("data-lang")
                cell.click()
                page.keyboard.press("Control+a")
                page.keyboard.type(EDITED)
                page.keyboard.press("Control+s")  # the first save loads the QA checks: allow time
                expect(page.locator("#message")).to_contain_text("Saved", timeout=180_000)
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait(30)
    record_path = clone / "out" / f"{doc_id}.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    assert next(s for s in record["segments"] if s["id"] == seg)["translations"][lang] == EDITED

    # 3. the printed run command with --force: machine output is redone, the edit survives
    rerun = subprocess.run(shlex.split(run_cmd) + ["--force", "-q"], cwd=clone, env=env,
                           capture_output=True, text=True, timeout=1800)
    assert rerun.returncode in (0, 1), rerun.stderr
    record = json.loads(record_path.read_text(encoding="utf-8"))
    segment = next(s for s in record["segments"] if s["id"] == seg)
    assert segment["translations"][lang] == EDITED and segment["status"][lang] == "human"
    outputs = [p for p in (clone / "out").glob(f"{doc_id}.{lang}.*") if p.suffix != ".json"]
    assert outputs and all(EDITED in p.read_text(encoding="utf-8") for p in outputs)
    assert (record.get("metadata") or {}).get("test_models")  # still marked as test output
