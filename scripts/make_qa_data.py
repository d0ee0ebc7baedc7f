"""Build the QA dev data of real news translations and real MT output (run once; the output is
committed under tests/data/qa/, see SOURCES.md there).

    python scripts/make_qa_data.py WMT22_REPO QE22_REPO DEMETR_REPO

WMT22_REPO: a checkout of github.com/wmt-conference/wmt22-news-systems; QE22_REPO: of
github.com/WMT-QE-Task/wmt-qe-2022-data; DEMETR_REPO: of github.com/marzenakrp/demetr (each a git
directory or work tree; files are read with `git show HEAD:path`). The split (dev / aside) is by
document, from a hash of the document id, fixed before any tuning.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "qa"
DEMETR_KINDS = {  # DEMETR perturbation -> our error class (the target classes)
    "critical_id6_addition": "addition", "critical_id10_numbers_replaced": "number",
    "critical_id4_codemix": "untranslated", "minor_id1_repeat2": "repetition", "minor_id2_repeat4": "repetition",
    "critical_id21_adj_adv_removed": "omission", "critical_id22_verb_removed": "omission",
    "critical_id23_noun_removed": "omission", "critical_id24_subj_removed": "omission",
    "critical_id25_ne_removed": "omission", "major_id5_pp_removed": "omission",
}


def show(repo: str, path: str) -> str:
    return subprocess.check_output(["git", "-C", repo, "show", f"HEAD:{path}"]).decode("utf-8")


def split_of(key: str, aside: float = 0.3) -> str:
    return "aside" if int(hashlib.sha256(key.encode()).hexdigest(), 16) % 1000 < aside * 1000 else "dev"


def clean(s: str) -> str:
    return " ".join(s.replace("\t", " ").split())


def news_pairs(wmt: str) -> list[list[str]]:
    rows = []
    # en-ru: the English source is shared with en-zh, whose XML names each line's document and domain.
    domain = {}
    for doc in ET.fromstring(show(wmt, "xml/wmttest2022.en-zh.all.xml")).iter("doc"):
        for s in doc.find("src").iter("seg"):
            domain[s.text] = (doc.get("id"), doc.get("domain"))
    src = show(wmt, "txt/sources/generaltest2022.en-ru.src.en").split("\n")
    ref = show(wmt, "txt/references/generaltest2022.en-ru.ref.A.ru").split("\n")
    for i, (s, r) in enumerate(zip(src, ref, strict=True)):
        doc, dom = domain.get(s, ("?", "?"))
        if dom == "news" and s.strip() and r.strip():
            rows.append([f"wmt22-enru-{i + 1}", split_of(doc), "en", "ru", doc, clean(s), clean(r)])
    for doc in ET.fromstring(show(wmt, "xml/wmttest2022.ru-en.all.xml")).iter("doc"):
        if doc.get("domain") != "news":
            continue
        srcs = {s.get("id"): s.text for s in doc.find("src").iter("seg")}
        refs = {s.get("id"): s.text for s in doc.find("ref").iter("seg")}
        for sid, s in srcs.items():
            r = refs.get(sid)
            if s and r and s.strip() and r.strip():
                rows.append([f"wmt22-ruen-{doc.get('id')}-{sid}", split_of(doc.get("id")), "ru", "en",
                             doc.get("id"), clean(s), clean(r)])
    return rows


def mqm_pairs(qe: str) -> list[list[str]]:
    d = "test_data-gold_labels/task1_mqm/en-ru/test.2022"
    src = show(qe, f"{d}.src").rstrip("\n").split("\n")
    mt = show(qe, f"{d}.mt").rstrip("\n").split("\n")
    score = show(qe, f"{d}.en-ru.mqm_score.mqm").rstrip("\n").split("\n")
    return [[f"qe22-enru-{i}", split_of(f"qe22-{i // 10}"), "en", "ru", f"{float(sc):.2f}", clean(s), clean(m)]
            for i, (s, m, sc) in enumerate(zip(src, mt, score, strict=True))]


def demetr_pairs(demetr: str) -> list[list[str]]:
    rows, clean_done = [], set()
    for name, kind in DEMETR_KINDS.items():
        for x in json.loads(show(demetr, f"dataset/{name}.json")):
            if x["lang_tag"] != "russian" or x["data_source"] != "FLORES":
                continue
            sp = split_of(f"demetr-{x['id']}")
            if x["id"] not in clean_done:
                clean_done.add(x["id"])
                rows.append([f"demetr-{x['id']}", sp, "ru", "en", "clean", clean(x["src_sent"]), clean(x["mt_sent"])])
            if x["pert_check"] and x["pert_sent"] != x["mt_sent"]:
                rows.append([f"demetr-{x['id']}-{name}", sp, "ru", "en", kind, clean(x["src_sent"]),
                             clean(x["pert_sent"])])
    return rows


def write(name: str, header: list[str], rows: list[list[str]], note: str) -> None:
    with open(OUT / name, "w", encoding="utf-8", newline="") as f:
        f.write(f"# {note}; see SOURCES.md\n")
        for row in [header, *rows]:  # fields have no tabs or newlines (see clean)
            f.write("\t".join(row) + "\n")
    print(f"{name}: {len(rows)} rows", {s: sum(r[1] == s for r in rows) for s in ("dev", "aside")})


def main() -> None:
    wmt, qe, demetr = sys.argv[1:4]
    write("news_wmt22.tsv", ["id", "split", "src_lang", "tgt_lang", "doc", "source", "translation"],
          news_pairs(wmt), "WMT22 general test, news domain, human references (translator A)")
    write("mt_wmt22_enru_mqm.tsv", ["id", "split", "src_lang", "tgt_lang", "mqm", "source", "translation"],
          mqm_pairs(qe), "WMT22 QE task 1 en-ru MQM test set: MT output with its MQM score (100 = no error)")
    write("mt_demetr_ru_en.tsv", ["id", "split", "src_lang", "tgt_lang", "kind", "source", "translation"],
          demetr_pairs(demetr), "DEMETR, Russian FLORES half: MT output (clean) and perturbed MT (kind)")


if __name__ == "__main__":
    main()
