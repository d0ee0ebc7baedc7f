"""The `review` and `tm` commands: TMX import/export through the memory a config names, the static
export, and usage errors."""
from __future__ import annotations

import argparse
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from pipeline.cli import COMMANDS, main  # noqa: E402
from pipeline.memory.human import HumanMemory  # noqa: E402

DATA = Path(__file__).parent / "data" / "tmx"


def cli(argv: list[str]) -> int:
    """Through `ngo-pipeline` once the commands are in its table; through the modules until then."""
    if argv[0] in COMMANDS:
        return main(argv)
    from pipeline.cli import review, tm

    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command", required=True)
    review.add_parser(sub)
    tm.add_parser(sub)
    args = ap.parse_args(argv)
    return args.func(args)


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "cfg" / "config.toml"
    path.parent.mkdir()
    path.write_text('[pipeline]\nlanguages = ["en", "ru", "kk"]\nstages = ["translate"]\n\n'
                    '[stages.translate]\nfactory = "translate"\ncache = "memory.sqlite"\n', encoding="utf-8")
    return path


def test_tm_import_export_round_trip(tmp_path, config, capsys):
    assert cli(["tm", "import", str(DATA / "agency-1.4.tmx"), "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "7 units read, 5 imported" in out and "other languages: de 2, fr 1, en 1" in out
    memory = HumanMemory(config.parent / "memory.sqlite")  # relative to the config, as for `run`
    assert memory.count() == 7
    exported = tmp_path / "out.tmx"
    assert cli(["tm", "export", "--out", str(exported), "--config", str(config)]) == 0
    assert "7 translation units" in capsys.readouterr().out
    assert exported.read_text(encoding="utf-8").count("<tu ") == 7
    assert cli(["tm", "export", "--out", str(tmp_path / "kk.tmx"), "--to", "kk", "--config", str(config)]) == 0
    assert (tmp_path / "kk.tmx").read_text(encoding="utf-8").count("<tu ") == 3


def test_tm_import_bad_file_is_a_clear_error(tmp_path, config, capsys):
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    assert cli(["tm", "import", str(bad), "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "not well-formed" in err and "Traceback" not in err


def test_review_export(tmp_path, config, capsys):
    from test_review import make_run

    out_dir = make_run(tmp_path)
    dest = tmp_path / "review.html"
    assert cli(["review", str(out_dir), "--export", str(dest), "--config", str(config)]) == 0
    assert "2 document(s)" in capsys.readouterr().out
    assert "Она финансируется ЕС." in dest.read_text(encoding="utf-8")


def test_review_missing_folder(tmp_path, config):
    from pipeline.cli.common import UsageError

    with pytest.raises(UsageError):
        from pipeline.cli import review

        review.run(argparse.Namespace(out_dir=str(tmp_path / "nope"), port=0, export=None, no_memory=True,
                                      config=str(config)))


def test_memory_path_follows_the_config(tmp_path, config):
    from pipeline.cli.tm import memory_path

    assert memory_path(str(config)) == config.parent / "memory.sqlite"
    config.write_text(config.read_text(encoding="utf-8").replace('cache = "memory.sqlite"', 'cache = ""'),
                      encoding="utf-8")
    from pipeline.cli.common import UsageError

    with pytest.raises(UsageError, match="disabled"):
        memory_path(str(config))
