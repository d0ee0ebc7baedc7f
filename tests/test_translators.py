"""Translator composition with fake engines and translators (fast; real engines are tested end to end)."""
from pathlib import Path

import pytest

from pipeline.document import Status
from pipeline.models import ModelRef
from pipeline.translate import (CachedTranslator, Decoding, Engine, IdentityTranslator, PivotTranslator,
                                Seq2SeqTranslator, Translator)


class FakeEngine(Engine):
    """Words are tokens; "long" needs 50 output tokens: anything less comes back unfinished."""

    name = "fake"

    def __init__(self, decoding=Decoding()):
        super().__init__(ModelRef("fake", Path("."), "fake@1"), decoding)
        self.calls = []

    def _load(self):
        pass

    def n_tokens(self, text, src=None):
        return len(text.split())

    def input_limit(self):
        return 100

    def output_limit(self):
        return 200

    def _generate(self, texts, max_new, src_code, tgt_code):
        self.calls.append(max_new)
        return [(("full " if max_new >= 50 else "cut ") + t, max_new >= 50 or "long" not in t) for t in texts]


def test_output_cut_at_the_automatic_bound_is_redone_with_the_model_limit():
    engine = FakeEngine()
    t = Seq2SeqTranslator(engine, "en", "ru")
    assert t.translate(["a long one", "short"]) == ["full a long one", "cut short"]
    assert engine.calls == [2 * 3 + 16, 200]  # one batch, then the unfinished piece alone, with the model limit
    assert t.translate_detailed(["short"]) == [("cut short", Status.TRANSLATED)]


def test_the_decoding_value_is_part_of_the_key():
    a = Seq2SeqTranslator(FakeEngine(Decoding(beams=1)), "en", "ru").key
    b = Seq2SeqTranslator(FakeEngine(Decoding(beams=2)), "en", "ru").key
    c = Seq2SeqTranslator(FakeEngine(Decoding(beams=1, max_new_tokens=30)), "en", "ru").key
    assert len({a, b, c}) == 3 and a.startswith("fake@1|en-ru|fake|")
    with pytest.raises(Exception):  # frozen: one value, not three signatures' worth of parameters
        Decoding().beams = 2


def test_decoding_values_out_of_range_are_named():
    keys = {k for k, _ in Decoding(beams=0, max_batch_tokens=0, max_input_tokens=1, max_new_tokens=-1,
                                   device="gpu", compute_type="int3").problems()}
    assert keys == {"beams", "max_batch_tokens", "max_input_tokens", "max_new_tokens", "device", "compute_type"}
    assert Decoding().problems() == []


class Upper(Translator):
    """A fake one-direction translator that records what it was asked."""

    def __init__(self, src, tgt, tag):
        self.src, self.tgt, self.tag, self.seen = src, tgt, tag, []

    @property
    def key(self):
        return f"fake-{self.tag}"

    def translate_detailed(self, texts):
        self.seen.append(list(texts))
        return [(f"{self.tag}({t})", Status.TRANSLATED) for t in texts]


def test_identity_translator_copies():
    t = IdentityTranslator("kk")
    assert t.translate_detailed(["Сәлем"]) == [("Сәлем", Status.COPIED)]
    assert (t.src, t.tgt) == ("kk", "kk")


def test_pivot_is_two_translators_in_sequence():
    first, second = Upper("kk", "en", "kk>en"), Upper("en", "ru", "en>ru")
    pivot = PivotTranslator(first, second)
    assert (pivot.src, pivot.tgt) == ("kk", "ru")
    assert pivot.translate(["a", "b"]) == ["en>ru(kk>en(a))", "en>ru(kk>en(b))"]
    assert pivot.key == "pivot(fake-kk>en > fake-en>ru)"


def test_cache_translates_each_new_source_once(tmp_path):
    from pipeline.memory import TranslationMemory

    inner = Upper("en", "ru", "t")
    cached = CachedTranslator(inner, TranslationMemory(tmp_path / "tm.sqlite"))
    assert cached.translate(["a", "b", "a"]) == ["t(a)", "t(b)", "t(a)"]
    assert inner.seen == [["a", "b"]]  # duplicates translated once
    assert cached.translate_detailed(["b", "c"]) == [("t(b)", Status.MEMORY), ("t(c)", Status.TRANSLATED)]
    assert inner.seen[-1] == ["c"]
    # another translator (other model or settings) does not see these entries
    other = CachedTranslator(Upper("en", "ru", "u"), cached.memory)
    assert other.translate(["a"]) == ["u(a)"]


def test_human_translation_is_preferred_over_the_model_and_the_memory(tmp_path):
    from pipeline.memory import TranslationMemory

    mem = TranslationMemory(tmp_path / "tm.sqlite")
    cached = CachedTranslator(Upper("en", "ru", "t"), mem)
    cached.translate(["Hello."])
    mem.human.record("en", "ru", "Hello.", "Здравствуйте.")
    assert cached.translate_detailed(["Hello."]) == [("Здравствуйте.", Status.HUMAN)]
    # only in its direction
    assert CachedTranslator(Upper("en", "kk", "k"), mem).translate(["Hello."]) == ["k(Hello.)"]


@pytest.mark.parametrize("kind", ["damaged", "folder", "devnull", "readonly-dir"])
def test_an_unusable_memory_degrades_to_no_memory_with_one_warning(tmp_path, caplog, kind):
    import os

    from pipeline.memory import open_memory

    path = tmp_path / "tm.sqlite"
    if kind == "damaged":
        path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    elif kind == "folder":
        path.mkdir()
    elif kind == "devnull":
        path = Path("/dev/null")
    else:
        (tmp_path / "ro").mkdir()
        path = tmp_path / "ro" / "tm.sqlite"
        os.chmod(tmp_path / "ro", 0o500)
        if os.geteuid() == 0:
            pytest.skip("root ignores folder permissions")
    assert open_memory(path) is None
    assert len([r for r in caplog.records if r.levelname == "WARNING"]) == 1
    assert str(path) in caplog.text


def test_a_memory_that_stops_accepting_writes_still_translates(tmp_path, caplog):
    import sqlite3

    from pipeline.memory import TranslationMemory

    mem = TranslationMemory(tmp_path / "tm.sqlite")
    cached = CachedTranslator(Upper("en", "ru", "t"), mem)

    def fail(*a, **k):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    mem._conn().close()
    mem._local.conn = type("C", (), {"__enter__": fail, "execute": lambda *a, **k: iter(()),
                                     "__exit__": lambda *a: None})()
    assert cached.translate(["a"]) == ["t(a)"]
    assert cached.translate(["b"]) == ["t(b)"]
    assert mem.writable is False
    assert caplog.text.count("cannot store") == 1


def test_a_read_only_memory_never_writes_and_hands_new_entries_to_the_writer(tmp_path):
    from pipeline.memory import TranslationMemory

    path = tmp_path / "tm.sqlite"
    writer = TranslationMemory(path)
    writer.put_many("k", {"a": "A"})
    writer.human.record("en", "ru", "Hello.", "Здравствуйте.")
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    ro = TranslationMemory(path, read_only=True)
    cached = CachedTranslator(Upper("en", "ru", "t"), ro)
    cached_key = cached.key
    assert cached.translate_detailed(["Hello.", "b", "b"]) == [("Здравствуйте.", Status.HUMAN),
                                                              ("t(b)", Status.TRANSLATED), ("t(b)", Status.TRANSLATED)]
    assert ro.get_many("k", ["a"]) == {"a": "A"}
    assert cached.translate_detailed(["b"]) == [("t(b)", Status.MEMORY)]  # served from what it kept
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before  # nothing written
    entries = ro.drain()
    assert entries == [(cached_key, "b", "t(b)", None)] and ro.drain() == []  # no model score from this fake
    writer.store(entries)
    assert writer.get_many(cached_key, ["b"]) == {"b": "t(b)"}
    assert TranslationMemory(tmp_path / "absent.sqlite", read_only=True).get_many("k", ["a"]) == {}
    assert not (tmp_path / "absent.sqlite").exists()
