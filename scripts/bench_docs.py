"""Figures for document reading and writing (issue 13). Prints, does not assert.

    python scripts/bench_docs.py [--html] [--docx] [--md] [--docx-dir DIR ...] [--md-dir DIR ...]
                                 [--odt-dir DIR ...] [--news-dir L3S-GN1-DIR [--split dev|aside|both]]

- HTML: token F1 of the extracted article text against gold text, on pages whose gold is known: the
  Node.js API reference pages and npm's command pages installed on this machine (MIT), each HTML
  page generated from a Markdown file whose prose is the gold. Dev = Node.js pages a-m (tuning),
  holdout = Node.js pages n-z and npm pages. Also each dev page wrapped in <form> (ASP.NET) and
  with an unclosed <header>: pages that must not come out empty.
- HTML news (with --news-dir DIR): token F1 of the text the pipeline would translate (headline,
  paragraphs, lists, tables) against the human gold of the L3S-GN1 news set (621 English news
  pages from 408 sites, 2008; see tests/data/docs/SOURCES.md for where to get it and its licence),
  and of plain `trafilatura.extract` on the same pages. Gold = the text marked headline + full text
  (what a translation user needs); also against full text only. Split by hash of the page id
  (sha256, first byte < 128: dev, the rest kept aside), fixed before any tuning.
- DOCX: body-text recall against pandoc's plain text (when pandoc is installed); writing with a
  marker translator (every word gets a prefix): fields, note marks, comment anchors, bookmarks,
  images, breaks, tabs and hyperlinks lost; words left untranslated; outputs that python-docx or
  pandoc cannot open. Files: tests/data/docs/*.docx and every --docx-dir.
- ODT (with --odt-dir): recall of pandoc's words; words left without the marker after writing back.
- Markdown: byte identity of an identity translation, on tests/data/docs/*.md and every --md-dir
  (default: the Node.js and npm Markdown docs of this machine when present).
"""
from __future__ import annotations

import argparse
import collections
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.document import Document, Segment  # noqa: E402
from pipeline.text.sentences import split_sentences  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "data" / "docs"
NODE = Path("/usr/share/doc/nodejs/api")
NPM_HTML, NPM_MD = Path("/usr/lib/node_modules/npm/docs/output/commands"), Path("/usr/lib/node_modules/npm/docs/content/commands")
MARK = "ʀ"
_TOK = re.compile(r"\w+")


def translate_all(doc: Document, fn) -> None:
    for p in doc.paragraphs:
        p.segments = [Segment(f"p{p.index}s{i}", s, sep=sep) for i, (s, sep) in enumerate(split_sentences(p.text))]
        for s in p.segments:
            s.translations["xx"] = fn(s.text)
    doc.targets = ["xx"]


def marker(text: str) -> str:
    return " ".join(MARK + w if any(c.isalpha() for c in w) else w for w in text.split())


def f1(pred: str, gold: str) -> tuple[float, float, float]:
    p, g = collections.Counter(_TOK.findall(pred.lower())), collections.Counter(_TOK.findall(gold.lower()))
    common = sum((p & g).values())
    if not common:
        return 0.0, 0.0, 0.0
    prec, rec = common / sum(p.values()), common / sum(g.values())
    return prec, rec, 2 * prec * rec / (prec + rec)


def md_gold(md: str) -> str:
    from pipeline.io.markdown import read_markdown

    paras, _ = read_markdown(md)
    return "\n".join(p.text for p in paras)


def html_pairs():
    dev, hold = [], []
    if NODE.is_dir():
        for h in sorted(NODE.glob("*.html")):
            m = h.with_suffix(".md")
            if m.exists() and h.stem not in ("all", "index"):
                (dev if h.stem[0] <= "m" else hold).append((h, m))
    if NPM_HTML.is_dir():
        hold += [(h, NPM_MD / (h.stem + ".md")) for h in sorted(NPM_HTML.glob("*.html")) if (NPM_MD / (h.stem + ".md")).exists()]
    return dev, hold


def html_text(source: str) -> str:
    from pipeline.io.html import read_html

    paras, _, _ = read_html(source)
    return "\n".join(p.text for p in paras)


def bench_html() -> None:
    dev, hold = html_pairs()
    if not dev:
        print("HTML: no pages with gold found on this machine (Node.js docs)")
        return
    for name, pairs in (("dev", dev), ("holdout", hold)):
        scores, empty = [], 0
        for h, m in pairs:
            src = h.read_text(encoding="utf-8", errors="replace")
            text = html_text(src)
            empty += not text.strip()
            scores.append(f1(text, md_gold(m.read_text(encoding="utf-8"))))
        n = len(scores)
        print(f"HTML {name}: {n} pages, token P {sum(s[0] for s in scores) / n:.3f} R {sum(s[1] for s in scores) / n:.3f} "
              f"F1 {sum(s[2] for s in scores) / n:.3f} (macro), empty outputs {empty}")
    for variant in ("form", "header"):
        empty, scores = 0, []
        for h, m in dev:
            src = h.read_text(encoding="utf-8", errors="replace")
            if variant == "form":
                src = re.sub(r"(<body[^>]*>)", r'\1<form method="post" action="./page.aspx" id="aspnetForm">', src, count=1)
                src = src.replace("</body>", "</form></body>")
            else:
                src = re.sub(r"(<body[^>]*>)", r"\1<header><div class='logo'>Site</div>", src, count=1)
            text = html_text(src)
            empty += not text.strip()
            scores.append(f1(text, md_gold(m.read_text(encoding="utf-8")))[2])
        print(f"HTML dev pages with {'<form> around the body' if variant == 'form' else 'an unclosed <header>'}: "
              f"F1 {sum(scores) / len(scores):.3f}, empty outputs {empty}")


def news_split(page_id: str) -> str:
    import hashlib

    return "dev" if hashlib.sha256(page_id.encode()).digest()[0] < 128 else "aside"


def news_gold(annotated: Path, classes: tuple[str, ...]) -> str:
    """The text of the L3S-GN1 annotation spans of the given classes (x-nc-sel1 headline, x-nc-sel2
    full text; sel3 supplemental, sel4 related, sel5 comments and sel0 boilerplate are not gold)."""
    import lxml.html

    tree = lxml.html.fromstring(annotated.read_bytes())
    return "\n".join("".join(el.itertext()) for el in tree.iter("span")
                     if set((el.get("class") or "").split()) & set(classes))


def bench_news(root: Path, splits: list[str]) -> None:
    import time

    import trafilatura

    from pipeline.io.text import decode_html_notes

    pages = sorted((root / "original").glob("*.html"))
    if not pages:
        print(f"HTML news: no pages under {root}/original")
        return
    for split in splits:
        rows, spent = [], 0.0
        for page in pages:
            if news_split(page.stem) != split:
                continue
            source, _ = decode_html_notes(page.read_bytes(), page)
            t0 = time.perf_counter()
            ours = html_text(source)
            spent += time.perf_counter() - t0
            plain = trafilatura.extract(source) or ""
            annotated = root / "annotated" / page.name
            full, body = news_gold(annotated, ("x-nc-sel1", "x-nc-sel2")), news_gold(annotated, ("x-nc-sel2",))
            rows.append((f1(ours, full), f1(plain, full), f1(ours, body), f1(plain, body)))
        n = len(rows)

        def mean(k: int) -> str:
            return " ".join(f"{sum(r[k][i] for r in rows) / n:.3f}" for i in range(3))

        print(f"HTML news {split}: {n} pages (L3S-GN1), token P R F1 (macro)")
        print(f"  gold headline+text: ours {mean(0)} | trafilatura.extract {mean(1)}")
        print(f"  gold text only:     ours {mean(2)} | trafilatura.extract {mean(3)}")
        print(f"  pages where ours is 0.01+ F1 below / above trafilatura: "
              f"{sum(r[0][2] < r[1][2] - 0.01 for r in rows)} / {sum(r[0][2] > r[1][2] + 0.01 for r in rows)}; "
              f"our reader {spent / n * 1000:.0f} ms a page")


_COUNTED = ["fldChar", "fldSimple", "instrText", "footnoteReference", "endnoteReference", "commentReference",
            "commentRangeStart", "commentRangeEnd", "bookmarkStart", "drawing", "pict", "br", "tab", "hyperlink",
            "sdt", "ins", "del"]


def element_counts(data: bytes) -> collections.Counter:
    c: collections.Counter = collections.Counter()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8", "replace")
                for tag in _COUNTED:
                    c[tag] += len(re.findall(rf"<w:{tag}[\s/>]", xml))
    return c


def docx_words(data: bytes) -> list[str]:
    """The words (whitespace-separated, with a letter) of every visible paragraph of a .docx: body,
    notes, headers, footers, text boxes (not their VML copies), not comments or glossary entries."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    words = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if not (name.startswith("word/") and name.endswith(".xml")) or "comments" in name or "glossary" in name:
                continue
            root = etree.fromstring(z.read(name), etree.XMLParser(resolve_entities=False, huge_tree=True))
            for p in root.iter(w + "p"):
                if any(a.tag == fallback for a in p.iterancestors()):
                    continue
                text = "".join(t.text or "" for t in p.iter(w + "t")
                               if next(t.iterancestors(w + "p")) is p and t.getparent().getparent() is not None
                               and not any(a.tag == w + "del" for a in t.iterancestors()))
                words += [x for x in text.split() if any(c.isalpha() for c in x)]
    return words


def placement(src: Path, out: bytes) -> tuple[int, int]:
    """With the marker translator every word stays in place, so each formatting group of the output
    should hold exactly the marked words of its source group: (groups that do, groups checked).
    Groups cut inside a word in the source are not checked."""
    from pipeline.io.docx_read import DocxPackage
    from pipeline.io.docx_write import _groups

    with tempfile.NamedTemporaryFile(suffix=".docx") as tmp:
        tmp.write(out)
        tmp.flush()
        after = DocxPackage(Path(tmp.name)).blocks()
    before = DocxPackage(src).blocks()
    good = total = 0
    for b, a in zip(before, after, strict=True):
        gb, ga = _groups(b), _groups(a)
        if len(gb) < 2 or len(gb) != len(ga):
            continue
        plain_b, plain_a = b.plain, a.plain
        for (s0, s1, _), (t0, t1, _) in zip(gb, ga, strict=True):
            inside = (0 < s0 < len(plain_b) and not plain_b[s0 - 1].isspace() and not plain_b[s0].isspace()) or \
                     (0 < s1 < len(plain_b) and not plain_b[s1 - 1].isspace() and not plain_b[s1].isspace())
            if inside or not plain_b[s0:s1].strip():
                continue
            total += 1
            good += plain_a[t0:t1].split() == marker(plain_b[s0:s1]).split()
    return good, total


def pandoc_text(path: Path) -> str | None:
    if not shutil.which("pandoc"):
        return None
    r = subprocess.run(["pandoc", str(path), "-t", "plain", "--wrap=none"], capture_output=True, timeout=60)
    return r.stdout.decode("utf-8", "replace") if r.returncode == 0 else None


def bench_docx(dirs: list[Path]) -> None:
    import docx as python_docx

    from pipeline.io import ReadError, read_document
    from pipeline.io.docx_write import render_docx

    files = sorted(DOCS.glob("*.docx")) + [f for d in dirs for f in sorted(d.glob("*.docx"))]
    recall_hits = recall_total = 0
    lost: collections.Counter = collections.Counter()
    kept: collections.Counter = collections.Counter()
    words = untranslated = 0
    refused, unopenable, failed, approx, paras = [], [], [], 0, 0
    placed_ok = placed_total = 0
    for f in files:
        try:
            doc = read_document(f)
        except ReadError as e:
            gold = pandoc_text(f)
            if gold and _TOK.search(gold):
                refused.append(f"{f.name}: {e.reason}")
            continue
        text = "\n".join(p.text for p in doc.paragraphs)
        gold = pandoc_text(f)
        if gold is not None:
            g = collections.Counter(w for w in _TOK.findall(gold.lower()) if not w.isdigit())
            r = collections.Counter(_TOK.findall(text.lower()))
            recall_hits += sum((g & r).values())
            recall_total += sum(g.values())
        translate_all(doc, marker)
        try:
            out, approx_list = render_docx(doc, "xx")
        except Exception as e:
            failed.append(f"{f.name}: {type(e).__name__}: {e}")
            continue
        approx += len(approx_list)
        paras += len(doc.paragraphs)
        good, total = placement(f, out)
        placed_ok += good
        placed_total += total
        before, after = element_counts(f.read_bytes()), element_counts(out)
        for tag in _COUNTED:
            lost[tag] += max(0, before[tag] - after[tag])
            kept[tag] += before[tag]
        ws = docx_words(out)
        words += len(ws)
        untranslated += sum(1 for w in ws if MARK not in w)
        with tempfile.NamedTemporaryFile(suffix=".docx") as tmp:
            tmp.write(out)
            tmp.flush()
            try:
                python_docx.Document(tmp.name)
            except Exception as e:
                unopenable.append(f"{f.name}: python-docx: {e}")
            if shutil.which("pandoc") and pandoc_text(Path(tmp.name)) is None:
                unopenable.append(f"{f.name}: pandoc")
    print(f"DOCX: {len(files)} files; refused with text: {len(refused)}; write failures: {len(failed)}")
    for line in refused + failed:
        print("   ", line)
    if recall_total:
        print(f"DOCX reading: recall of pandoc's words {recall_hits / recall_total:.4f} ({recall_hits}/{recall_total})")
    print("DOCX writing, elements lost / present: " + ", ".join(f"{t} {lost[t]}/{kept[t]}" for t in _COUNTED if kept[t]))
    print(f"DOCX writing: formatting runs (in paragraphs with several) that carry exactly their own translated "
          f"words: {placed_ok}/{placed_total} ({placed_ok / max(1, placed_total):.1%})")
    print(f"DOCX writing: words left untranslated {untranslated}/{words} ({untranslated / max(1, words):.2%}); "
          f"paragraphs with approximately placed formatting {approx}/{paras}; outputs that do not open: {len(unopenable)}")
    for line in unopenable:
        print("   ", line)


def bench_odt(dirs: list[Path]) -> None:
    """ODT: recall of pandoc's words; written back with the marker translator: words without the
    marker in pandoc's reading of the output, outputs pandoc cannot open."""
    from pipeline.io import ReadError, read_document, write_outputs

    files = [f for d in dirs for f in sorted(d.glob("*.odt"))]
    if not files or not shutil.which("pandoc"):
        print("ODT: no files (--odt-dir) or no pandoc")
        return
    hits = total = words = untranslated = no_text = 0
    broken = []
    lost: collections.Counter = collections.Counter()
    kept: collections.Counter = collections.Counter()
    tags = ["text:note", "text:a", "draw:frame", "text:s", "text:tab", "text:line-break", "text:bookmark",
            "text:page-number", "office:annotation", "text:span"]

    def odt_counts(path: Path) -> collections.Counter:
        c: collections.Counter = collections.Counter()
        with zipfile.ZipFile(path) as z:
            for name in ("content.xml", "styles.xml"):
                if name in z.namelist():
                    xml = z.read(name).decode("utf-8", "replace")
                    for tag in tags:
                        c[tag] += len(re.findall(rf"<{tag}[\s/>]", xml))
        return c

    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            try:
                doc = read_document(f)
            except ReadError:
                no_text += 1
                continue
            gold = pandoc_text(f) or ""
            g = collections.Counter(w for w in _TOK.findall(gold.lower()) if not w.isdigit())
            hits += sum((g & collections.Counter(_TOK.findall(doc.text.lower()))).values())
            total += sum(g.values())
            translate_all(doc, marker)
            written = write_outputs(doc, Path(tmp), Path(f.name))["xx"]
            before, after = odt_counts(f), odt_counts(written)
            for tag in tags:
                lost[tag] += max(0, before[tag] - after[tag])
                kept[tag] += before[tag]
            out = pandoc_text(written)
            if out is None:
                broken.append(f.name)
                continue
            ws = [w for w in out.split() if any(c.isalpha() for c in w)]
            words += len(ws)
            untranslated += sum(1 for w in ws if MARK not in w)
    print(f"ODT: {len(files)} files ({no_text} without text); recall of pandoc's words {hits / max(1, total):.4f}; "
          f"written back: words without the marker {untranslated}/{words}; outputs pandoc cannot open: {len(broken)}")
    print("ODT writing, elements lost / present: " + ", ".join(f"{t} {lost[t]}/{kept[t]}" for t in tags if kept[t]))


def bench_md(dirs: list[Path]) -> None:
    from pipeline.io.markdown import read_markdown, regions
    from pipeline.io.markdown_write import render_markdown

    files = sorted(DOCS.glob("*.md")) + [f for d in dirs for f in sorted(d.rglob("*.md"))]
    same = raw = total = 0
    differ = []
    for f in files:
        src = f.read_text(encoding="utf-8", errors="replace")
        paras, meta = read_markdown(src)
        doc = Document.from_text(src, format="md", paragraphs=paras)
        translate_all(doc, lambda t: t)
        out, _ = render_markdown(doc, "xx")
        if out == src:
            same += 1
        else:
            differ.append(f.name)
        rs = regions(src)
        raw += sum(r.raw for r in rs)
        total += len(rs)
    print(f"Markdown: identity translation byte-identical for {same}/{len(files)} files; "
          f"inline runs translated as raw Markdown: {raw}/{total}")
    for name in differ[:10]:
        print("    differs:", name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--html", action="store_true")
    ap.add_argument("--docx", action="store_true")
    ap.add_argument("--md", action="store_true")
    ap.add_argument("--docx-dir", type=Path, action="append", default=[])
    ap.add_argument("--md-dir", type=Path, action="append", default=[])
    ap.add_argument("--odt-dir", type=Path, action="append", default=[])
    ap.add_argument("--news-dir", type=Path, help="the L3S-GN1 folder (original/ and annotated/ pages)")
    ap.add_argument("--split", choices=["dev", "aside", "both"], default="both")
    a = ap.parse_args()
    if a.news_dir:
        bench_news(a.news_dir, ["dev", "aside"] if a.split == "both" else [a.split])
    every = not (a.html or a.docx or a.md or a.news_dir)
    if a.html or every:
        bench_html()
    if a.docx or every:
        bench_docx(a.docx_dir)
    if a.odt_dir:
        bench_odt(a.odt_dir)
    if a.md or every:
        bench_md(a.md_dir or [d for d in (NODE, NPM_MD.parent) if d.is_dir()])


if __name__ == "__main__":
    main()
