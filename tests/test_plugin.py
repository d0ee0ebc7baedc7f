"""A third-party stage found through the `ngo_pipeline.stages` entry-point group."""
import sys
import textwrap

import pytest

from pipeline import Pipeline, registry


@pytest.fixture
def plugin_on_path(tmp_path, monkeypatch):
    pkg = tmp_path / "site"
    pkg.mkdir()
    (pkg / "ngo_shout.py").write_text(textwrap.dedent("""
        from pipeline import Stage

        class Shout(Stage):
            def __init__(self, suffix: str = "!"):
                self.suffix = suffix

            def process_batch(self, docs):
                for doc in docs:
                    for p in doc.paragraphs:
                        p.text = p.text.upper() + self.suffix
                return docs
    """))
    dist = pkg / "ngo_shout-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: ngo-shout\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[ngo_pipeline.stages]\nshout = ngo_shout:Shout\n")
    monkeypatch.syspath_prepend(str(pkg))
    yield
    sys.modules.pop("ngo_shout", None)


def test_entry_point_plugin_is_listed_validated_and_run(plugin_on_path, tmp_path):
    assert "shout" in registry.available()
    cfg = tmp_path / "c.toml"
    cfg.write_text('[pipeline]\nstages = ["loud"]\n[stages.loud]\nfactory = "shout"\nsuffix = "?!"\n')
    doc = Pipeline.from_config(cfg).process_text("hello almaty")
    assert doc.paragraphs[0].text == "HELLO ALMATY?!"
    cfg.write_text('[pipeline]\nstages = ["loud"]\n[stages.loud]\nfactory = "shout"\nvolume = 3\n')
    from pipeline.config import ConfigError

    with pytest.raises(ConfigError, match=r"\[stages.loud\] volume: unknown key; accepted: suffix"):
        Pipeline.from_config(cfg)


def test_unknown_factory_without_plugin():
    with pytest.raises(KeyError, match="available: .*detect.lingua"):
        registry.get("shout-not-installed")
