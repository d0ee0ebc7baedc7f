"""`tm import`, `tm export` and `review` on a damaged or read-only translation memory: a clear error
naming the file (exit 2), never an SQLite traceback (issue 21.7)."""
from __future__ import annotations

import os
import sqlite3
import stat

import pytest

pytest.importorskip("starlette")

from pipeline.cli import main  # noqa: E402
from pipeline.memory.human import HumanEntry, HumanMemory  # noqa: E402

TMX = ('<?xml version="1.0"?><tmx version="1.4"><header srclang="en"/><body><tu>'
       '<tuv xml:lang="en"><seg>The forum opened.</seg></tuv><tuv xml:lang="ru"><seg>Форум открылся.</seg></tuv>'
       '</tu></body></tmx>')


@pytest.fixture
def setup(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[pipeline]\nlanguages = ["en", "ru", "kk"]\nstages = ["translate"]\n\n'
                   '[stages.translate]\nfactory = "translate"\ncache = "memory.sqlite"\n', encoding="utf-8")
    (tmp_path / "a.tmx").write_text(TMX, encoding="utf-8")
    (tmp_path / "out").mkdir()
    return tmp_path, cfg


COMMANDS = {
    "tm import": lambda d, cfg: ["tm", "import", str(d / "a.tmx"), "--config", str(cfg)],
    "tm export": lambda d, cfg: ["tm", "export", "--out", str(d / "x.tmx"), "--config", str(cfg)],
    "review --export": lambda d, cfg: ["review", str(d / "out"), "--export", str(d / "r.html"), "--config", str(cfg)],
    "review": lambda d, cfg: ["review", str(d / "out"), "--port", "0", "--config", str(cfg)],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_damaged_memory_is_named_not_a_traceback(setup, capsys, command):
    d, cfg = setup
    (d / "memory.sqlite").write_bytes(b"this is not an SQLite file" * 200)
    assert main(COMMANDS[command](d, cfg)) == 2
    err = capsys.readouterr().err
    assert f"translation memory {d / 'memory.sqlite'}: is damaged" in err and "Traceback" not in err
    if command.startswith("review"):
        assert "--no-memory" in err


@pytest.mark.parametrize("command", ["tm import", "review"])
def test_unwritable_memory_is_named_not_a_traceback(setup, capsys, monkeypatch, command):
    d, cfg = setup
    HumanMemory(d / "memory.sqlite").put_many([HumanEntry("en", "ru", "a", "б", time="2026-01-01T00:00:00Z")])

    def refuse(path, schema, timeout=60):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr("pipeline.memory.human.connect", refuse)  # what SQLite says on a read-only file
    assert main(COMMANDS[command](d, cfg)) == 2
    err = capsys.readouterr().err
    assert f"translation memory {d / 'memory.sqlite'}: is read-only" in err and "Traceback" not in err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="file modes do not bind root")
def test_a_really_read_only_memory(setup, capsys):
    d, cfg = setup
    HumanMemory(d / "memory.sqlite").put_many([HumanEntry("en", "ru", "a", "б", time="2026-01-01T00:00:00Z")])
    for p in d.glob("memory.sqlite*"):
        p.chmod(stat.S_IRUSR)
    d.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert main(COMMANDS["tm import"](d, cfg)) == 2
        assert "read-only" in capsys.readouterr().err
    finally:
        d.chmod(stat.S_IRWXU)


def test_export_only_reads_the_memory(setup, capsys, monkeypatch):
    d, cfg = setup
    HumanMemory(d / "memory.sqlite").put_many([HumanEntry("en", "ru", "a", "б", time="2026-01-01T00:00:00Z")])
    monkeypatch.setattr("pipeline.memory.human.connect", lambda *a, **k: pytest.fail("opened for writing"))
    assert main(COMMANDS["tm export"](d, cfg)) == 0
    assert "1 translation units" in capsys.readouterr().out
    assert main(COMMANDS["review --export"](d, cfg)) == 0


def test_export_of_a_memory_not_created_yet_creates_nothing(setup, capsys):
    d, cfg = setup
    assert main(COMMANDS["tm export"](d, cfg)) == 0
    assert "0 translation units" in capsys.readouterr().out
    assert not (d / "memory.sqlite").exists() and (d / "x.tmx").read_text(encoding="utf-8").startswith("<?xml")


def test_a_memory_that_goes_bad_while_the_page_is_open_is_named(tmp_path):
    from starlette.testclient import TestClient
    from test_review import TOKEN, _save, _version, make_run

    from pipeline.review.app import create_app

    out = make_run(tmp_path)
    memory = HumanMemory(tmp_path / "tm.sqlite")
    client = TestClient(create_app(out, memory, token=TOKEN, hosts=("testserver",), user="r"))
    version = _version(client)

    def broken(*a, **k):
        raise sqlite3.DatabaseError("database disk image is malformed")

    memory.fuzzy = broken
    memory.put_many = broken
    page = client.get("/doc/news/a", params={"token": TOKEN})
    assert page.status_code == 500 and str(tmp_path / "tm.sqlite") in page.text and "--no-memory" in page.text
    r = _save(client, "news/a", version, [{"segment": "p1s0", "lang": "ru", "text": "Новый текст."}])
    assert r.status_code == 500 and str(tmp_path / "tm.sqlite") in r.json()["error"]
    assert "nothing was saved" in r.json()["error"]
