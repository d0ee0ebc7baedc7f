"""Translator control flow with a fake engine (fast; the engines themselves are tested end to end)."""
from pathlib import Path


def test_output_cut_at_the_automatic_bound_is_redone_with_the_model_limit(caplog):
    """A translation that stops at the automatic length bound is regenerated, not truncated."""
    from pipeline.models import ModelRef
    from pipeline.translate import Seq2SeqTranslator

    class Fake(Seq2SeqTranslator):
        calls = []

        def warm_up(self):
            pass

        def n_tokens(self, text):
            return len(text.split())

        def input_limit(self):
            return 100

        def output_limit(self):
            return 200

        def _generate(self, texts, max_new):
            self.calls.append(max_new)
            # "long" needs 50 output tokens: anything less comes back unfinished
            return [(("full " if max_new >= 50 else "cut ") + t, max_new >= 50 or "long" not in t) for t in texts]

    t = Fake(ModelRef("fake", Path("."), "fake@1"), "en", "ru")
    assert t.translate(["a long one", "short"]) == ["full a long one", "cut short"]
    assert Fake.calls == [2 * 3 + 16, 200]  # one batch, then the unfinished piece alone, with the model limit


class Upper:
    """A fake one-direction translator that records what it was asked."""

    def __init__(self, src, tgt, tag):
        self.src, self.tgt, self.tag, self.seen = src, tgt, tag, []
        self.key = f"fake-{tag}"

    def warm_up(self):
        pass

    def translate(self, texts):
        self.seen.append(list(texts))
        return [f"{self.tag}({t})" for t in texts]


def test_pivot_is_two_translators_in_sequence():
    from pipeline.translate import PivotTranslator

    first, second = Upper("kk", "en", "kk>en"), Upper("en", "ru", "en>ru")
    pivot = PivotTranslator(first, second)
    assert (pivot.src, pivot.tgt) == ("kk", "ru")
    assert pivot.translate(["a", "b"]) == ["en>ru(kk>en(a))", "en>ru(kk>en(b))"]
    assert pivot.key == "pivot(fake-kk>en > fake-en>ru)"


def test_cache_translates_each_new_source_once(tmp_path):
    from pipeline.memory import TranslationMemory
    from pipeline.translate import CachedTranslator

    inner = Upper("en", "ru", "t")
    cached = CachedTranslator(inner, TranslationMemory(tmp_path / "tm.sqlite"))
    assert cached.translate(["a", "b", "a"]) == ["t(a)", "t(b)", "t(a)"]
    assert inner.seen == [["a", "b"]]  # duplicates translated once
    assert cached.translate(["b", "c"]) == ["t(b)", "t(c)"]
    assert inner.seen[-1] == ["c"]
    # another translator (other model or settings) does not see these entries
    other = CachedTranslator(Upper("en", "ru", "u"), cached.memory)
    assert other.translate(["a"]) == ["u(a)"]
