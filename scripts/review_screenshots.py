"""Takes the README screenshots of the review app (docs/review-list.png, docs/review-document.png).

    python scripts/review_screenshots.py [--out docs]

Builds a small demo OUT_DIR in a temporary folder (an English release with Russian and Kazakh
translations written by hand for the demo, two of them deliberately wrong so that QA flags show),
puts one earlier human translation into a demo memory (so a fuzzy match shows), serves the app on
127.0.0.1 and photographs it with Playwright driving Debian's chromium (apt-get install chromium).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pipeline.document import Document, Flag, Paragraph, Segment  # noqa: E402
from pipeline.io import write_outputs  # noqa: E402
from pipeline.memory.human import HumanMemory  # noqa: E402
from pipeline.review.app import create_app  # noqa: E402

ROWS = [  # (paragraph, kind, en, ru, kk)
    (0, "heading", "Youth forum on water in Almaty", "Молодёжный форум о воде в Алматы",
     "Алматыда су туралы жастар форумы"),
    (1, "body", "On 12 March 2026, 240 young people from five regions met in Almaty.",
     "12 марта 2026 года 140 молодых людей из пяти регионов собрались в Алматы.",
     "2026 жылғы 12 наурызда бес өңірден 240 жас Алматыда жиналды."),
    (1, "body", "They discussed how cities can save water.",
     "Они обсудили, как города могут экономить воду.", "Олар қалалардың суды қалай үнемдей алатынын талқылады."),
    (2, "body", "The programme is funded by the European Union.",
     "Программа финансируется Европейским союзом.", "The programme is funded by the European Union."),
    (3, "body", "Registration for the next forum is open at www.example.org until 1 April.",
     "Регистрация на следующий форум открыта на www.example.org до 1 апреля.",
     "Келесі форумға тіркеу 1 сәуірге дейін www.example.org сайтында ашық."),
]


def build(root: Path) -> tuple[Path, HumanMemory]:
    out = root / "out"
    paragraphs: dict[int, Paragraph] = {}
    for i, (p, kind, en, ru, kk) in enumerate(ROWS):
        para = paragraphs.setdefault(p, Paragraph(p, "", kind=kind, lang="en"))
        seg = Segment(f"p{p}s{len(para.segments)}", en, lang="en", score=0.99, translations={"ru": ru, "kk": kk})
        seg.status = {"ru": "translated", "kk": "translated"}
        para.segments.append(seg)
    doc = Document.from_text("demo", id="demo", source_path=root / "in" / "forum.txt", format="txt",
                             paragraphs=list(paragraphs.values()))
    doc.lang, doc.targets = "en", ["ru", "kk"]
    doc.summaries = {"en": "240 young people from five regions met in Almaty to discuss saving water.",
                     "ru": "240 молодых людей из пяти регионов собрались в Алматы, чтобы обсудить экономию воды.",
                     "kk": "Бес өңірден 240 жас суды үнемдеуді талқылау үшін Алматыда жиналды."}
    doc.flags = [Flag(code="number-mismatch", message="240 in the source, 140 in the translation", severity="error",
                      segment="p1s0", lang="ru"),
                 Flag(code="untranslated", message="the translation is in English, not Kazakh", severity="error",
                      segment="p2s0", lang="kk")]
    paths = write_outputs(doc, out, Path("2026/forum.txt"))
    record = json.loads(paths["json"].read_text(encoding="utf-8"))
    ru = ROWS[1][3]
    record["flags"][0]["span"] = {"side": "translation", "start": ru.index("140"), "end": ru.index("140") + 3,
                                  "text": "140"}
    paths["json"].write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    other = Document.from_text("x", id="x", source_path=root / "in" / "grants.txt", format="txt", paragraphs=[
        Paragraph(0, "", lang="ru", segments=[Segment("p0s0", "Фонд объявляет конкурс грантов.", lang="ru",
                                                      translations={"en": "The foundation announces a grant competition.",
                                                                    "kk": "Қор гранттар байқауын жариялайды."})])])
    other.lang, other.targets = "ru", ["en", "kk"]
    paths2 = write_outputs(other, out, Path("2026/grants.txt"))
    report = [{"path": "2026/forum.txt", "status": "needs-review", "lang": "en", "error": None, "reason": "2 QA error(s)",
               "outputs": [p.relative_to(out.resolve()).as_posix() for p in paths.values()]},
              {"path": "2026/grants.txt", "status": "ok", "lang": "ru", "error": None,
               "outputs": [p.relative_to(out.resolve()).as_posix() for p in paths2.values()]},
              {"path": "2026/scan.docx", "status": "failed", "lang": None, "outputs": [],
               "error": "not a Word document (a .doc renamed to .docx?)"}]
    (out / "report.jsonl").write_text("".join(json.dumps(r) + "\n" for r in report), encoding="utf-8")
    memory = HumanMemory(root / "tm.sqlite")
    memory.record("en", "kk", "The programme is funded by the European Union and UNDP.",
                  "Бағдарламаны Еуропалық одақ пен БҰҰДБ қаржыландырады.", user="aigerim",
                  time="2026-02-10T09:00:00Z", origin="post-edit")
    return out, memory


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(ROOT / "docs"))
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright
    from test_review_browser import CHROMIUM, CHROMIUM_ARGS, Server

    dest = Path(args.out)
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out, memory = build(Path(tmp))
        app = create_app(out, memory, user="demo")
        with Server(app) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 300}, device_scale_factor=1)
            page.goto(f"http://127.0.0.1:{server.port}/?token={app.state.token}")
            page.screenshot(path=str(dest / "review-list.png"))
            page.click("text=2026/forum.txt")
            page.set_viewport_size({"width": 1280, "height": 1040})
            page.click('tr[data-seg="p2s0"] details.fuzzy summary')
            page.click('tr[data-seg="p2s0"] button.use')  # take the fuzzy match, then fix it
            page.keyboard.press("Control+a")
            page.keyboard.type("Бағдарламаны Еуропалық одақ қаржыландырады.")
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(dest / "review-document.png"))
            browser.close()
    print(f"wrote {dest / 'review-list.png'} and {dest / 'review-document.png'}")


if __name__ == "__main__":
    main()
