"""A third-party stage found through the `ngo_pipeline.stages` entry-point group."""
import pytest
from conftest import install_plugin

from pipeline import Pipeline, registry


@pytest.fixture
def plugin_on_path(tmp_path, monkeypatch):
    install_plugin(tmp_path / "site", monkeypatch, "ngo_shout", """
        from pipeline import Stage

        class Shout(Stage):
            def __init__(self, suffix: str = "!"):
                self.suffix = suffix

            def process_batch(self, docs):
                for doc in docs:
                    for p in doc.paragraphs:
                        p.text = p.text.upper() + self.suffix
                return docs
    """, "ngo_pipeline.stages", "shout = ngo_shout:Shout")


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
