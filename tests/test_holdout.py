"""The calibration/evaluation split shared by issue 22 (calibration) and issue 23 (eval)."""
from pipeline.memory.holdout import CALIBRATION_PERCENT, bucket, is_calibration, split
from pipeline.memory.human import HumanEntry


def _pairs(n):
    return [(f"Sentence number {i} about the forum.", f"Предложение номер {i} о форуме.") for i in range(n)]


def test_split_is_deterministic_symmetric_and_whitespace_blind():
    for s, t in _pairs(50):
        assert bucket(s, t) == bucket(t, s) == bucket(f"  {s} ", t.replace(" ", "\u00a0 "))
        assert is_calibration(s, t) == is_calibration(t, s)


def test_share_is_near_the_percentage_and_parts_are_disjoint():
    pairs = _pairs(4000)
    calib = [p for p in pairs if is_calibration(*p)]
    assert abs(len(calib) / len(pairs) - CALIBRATION_PERCENT / 100) < 0.03
    entries = [HumanEntry("en", "ru", s, t, "", "", "tmx", "") for s, t in pairs[:300]]
    a, b = split(entries)
    assert len(a) + len(b) == 300 and not {id(e) for e in a} & {id(e) for e in b}
    assert all(is_calibration(e.source, e.target) for e in a)
    assert not any(is_calibration(e.source, e.target) for e in b)
    assert split(entries, percent=0) == ([], entries)
