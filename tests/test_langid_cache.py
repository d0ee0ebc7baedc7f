"""The on-disk cache of language-model scores: the same answers, without the model, after one run."""
import logging
import subprocess
import sys

import pytest

from pipeline.text.langid_cache import cached


def test_cached_scores_are_the_models_and_skip_it_the_second_time(tmp_path):
    calls = []

    def scorer(texts):
        calls.append(list(texts))
        return [{"ru": 0.9, "kk": 0.1} if "о" in t else {"en": 1.0} for t in texts]

    path = tmp_path / "c.sqlite"
    first = cached(scorer, "v1", path)
    texts = ["Форум прошёл.", "Hello there.", "Форум прошёл."]
    assert first(texts) == scorer(texts)
    assert calls[0] == ["Форум прошёл.", "Hello there."]  # each text once
    calls.clear()
    again = cached(scorer, "v1", path)  # a new process: the scores come from the file
    assert again(texts) == [{"ru": 0.9, "kk": 0.1}, {"en": 1.0}, {"ru": 0.9, "kk": 0.1}]
    assert calls == []
    other = cached(scorer, "v2", path)  # another model version or language set: not reused
    other(["Hello there."])
    assert calls == [["Hello there."]]


def test_an_unusable_cache_file_is_skipped_with_one_warning(tmp_path, caplog):
    (tmp_path / "dir.sqlite").mkdir()
    score = cached(lambda texts: [{"en": 1.0} for _ in texts], "v1", tmp_path / "dir.sqlite")
    with caplog.at_level(logging.WARNING):
        assert score(["a b c"]) == [{"en": 1.0}]
        assert score(["d e f"]) == [{"en": 1.0}]
    assert caplog.text.count("cannot be used") == 1


@pytest.mark.subprocess
@pytest.mark.slow
def test_the_detector_answers_the_same_with_and_without_the_cache(tmp_path):
    code = ("import json, sys\nfrom pipeline.text.langid import shared_detector\n"
            "d = shared_detector()\n"
            "print(json.dumps([list(x) for x in d.detect_many(sys.argv[1:])]))\n")
    texts = ["Форум прошёл в Алматы.", "Форум Алматыда өтті.", "The forum opened.", "Бул форум Бишкекте өттү.",
             "Жиын аяқталды", "Встреча завершилась"]
    env = lambda value: {**__import__("os").environ, "NGO_PIPELINE_LANGID_CACHE": value}  # noqa: E731
    run = lambda value: subprocess.run([sys.executable, "-c", code, *texts], capture_output=True, text=True,  # noqa: E731
                                       env=env(value), check=True).stdout
    plain = run("")
    assert run(str(tmp_path / "c.sqlite")) == plain  # filled
    assert run(str(tmp_path / "c.sqlite")) == plain  # served from the file
