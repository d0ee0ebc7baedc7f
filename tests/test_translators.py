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
