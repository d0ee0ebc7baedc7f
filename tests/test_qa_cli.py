"""`ngo-pipeline qa`: JSON lines in and out, paired documents with a paragraph mismatch, bad input.
Runs through `pipeline.cli.main` when the command is in the CLI table, else through the module."""
import io
import json

import pytest

from pipeline.cli import COMMANDS
from pipeline.cli import qa as qa_cli


def run_cli(argv, stdin="", monkeypatch=None, capsys=None):
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    if "qa" in COMMANDS:
        from pipeline.cli import main

        return main(["qa", *argv])
    import argparse

    ap = argparse.ArgumentParser()
    qa_cli.add_parser(ap.add_subparsers())
    args = ap.parse_args(["qa", *argv])
    try:
        return args.func(args)
    except qa_cli.UsageError as e:
        print(f"error: {e}", file=__import__("sys").stderr)
        return 2


LINES = [
    {"id": "ok", "source": "The project will help 300 families.", "translation": "Жоба 300 отбасына көмектеседі.",
     "src_lang": "en", "tgt_lang": "kk"},
    "this is not json",
    {"source": "Write to press@fund.kz.", "translation": "Пишите нам.", "src_lang": "en", "tgt_lang": "ru"},
    {"id": 7, "source": "Форум прошёл в Алматы.", "translation": "Форум Алматыда өтті.", "src_lang": "ru", "tgt_lang": "xx"},
    {"id": "no-translation", "source": "Hello", "src_lang": "en", "tgt_lang": "ru"},
]


def test_json_lines_in_order_with_bad_lines(monkeypatch, capsys):
    stdin = "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in LINES) + "\n"
    rc = run_cli(["-", "--json", "--no-detect"], stdin, monkeypatch)
    out, err = capsys.readouterr()
    recs = [json.loads(ln) for ln in out.splitlines()]
    assert rc == 1 and len(recs) == 5
    assert recs[0] == {"id": "ok", "flags": []}
    assert recs[1]["flags"][0]["code"] == "bad-input" and "line 2" in recs[1]["flags"][0]["message"]
    assert recs[2]["flags"][0]["code"] == "email-missing"
    assert "id" not in recs[2] and recs[2]["flags"][0]["span"]["text"] == "press@fund.kz"
    assert recs[3]["id"] == 7 and recs[3]["flags"][0]["code"] == "bad-input" and "'xx'" in recs[3]["flags"][0]["message"]
    assert recs[4]["id"] == "no-translation" and "translation" in recs[4]["flags"][0]["message"]
    assert "line 2" in err and "line 5" in err


def test_json_lines_all_clean_exit_0(monkeypatch, capsys):
    rc = run_cli(["-", "--json", "--no-detect"], json.dumps(LINES[0]) + "\n", monkeypatch)
    assert rc == 0 and json.loads(capsys.readouterr().out) == {"id": "ok", "flags": []}


def test_documents_with_a_missing_paragraph(tmp_path, capsys):
    src, tgt, sheet = tmp_path / "release.md", tmp_path / "release.kk.md", tmp_path / "sheet.md"
    src.write_text("# Youth forum in Astana\n\nThe forum was held on 12 May 2024.\n\n"
                   "The budget is 1.5 million tenge. See https://example-fund.kz/news.\n\n"
                   "Participants came from five countries and discussed prevention in schools.\n", encoding="utf-8")
    tgt.write_text("# Астанадағы жастар форумы\n\nФорум 2024 жылғы 12 мамырда өтті.\n\n"
                   "Бюджет 1,5 млн теңге. Қараңыз: https://example-fund.kz/news.\n", encoding="utf-8")
    rc = run_cli([str(src), str(tgt), "--from", "en", "--to", "kk", "--out", str(sheet), "--no-detect"])
    out = capsys.readouterr().out
    assert rc == 1
    assert "paragraph-count" in out and "paragraph 4: paragraph-missing" in out
    assert "number-mismatch" not in out and "url-missing" not in out
    text = sheet.read_text(encoding="utf-8")
    assert text.startswith("# Review sheet: release.kk.md") and "## Paragraph 4 → –" in text


def test_documents_clean_pair_exit_0(tmp_path, capsys):
    src, tgt = tmp_path / "a.txt", tmp_path / "b.txt"
    src.write_text("The project will help 300 families.\n\nContact: press@fund.kz\n", encoding="utf-8")
    tgt.write_text("Проект поможет 300 семьям.\n\nКонтакты: press@fund.kz\n", encoding="utf-8")
    assert run_cli([str(src), str(tgt), "--from", "en", "--to", "ru", "--no-detect"]) == 0


@pytest.mark.parametrize("argv,needle", [
    (["-", "--glossary", "/nonexistent/terms.tsv"], "terms.tsv: file not found"),
    (["a.txt", "b.txt", "--from", "de"], "unknown language 'de'"),
    (["/nonexistent/a.txt", "/nonexistent/b.txt", "--from", "en", "--to", "ru"], "a.txt"),
    (["only-one.txt"], "TRANSLATION_FILE"),
])
def test_usage_errors_exit_2(argv, needle, capsys):
    assert run_cli(argv) == 2
    assert needle in capsys.readouterr().err


def test_docx_against_html_languages_detected(tmp_path, capsys):
    import docx

    d = docx.Document()
    d.add_heading("Youth forum", 1)
    d.add_paragraph("The forum was held on 12 May 2024 in Almaty.")
    d.add_paragraph("Contact: press@fund.kz")
    d.save(tmp_path / "en.docx")
    (tmp_path / "ru.html").write_text("<html><body><h1>Молодёжный форум</h1><p>Форум прошёл 21 мая 2024 года в "
                                      "Алматы.</p><p>Контакты: press@fund.kz</p></body></html>", encoding="utf-8")
    assert run_cli([str(tmp_path / "en.docx"), str(tmp_path / "ru.html")]) == 1
    out = capsys.readouterr().out
    assert "(en) ->" in out and "(ru)" in out and "paragraph 2: number-mismatch" in out
