"""Publication QA: checks a translation against its source before it is published.

`QAEngine` (engine.py) runs the table of checks in `checks.py` — numbers by value (numbers.py),
links and contacts (entities.py), language (through detector.py), completeness (ratios.toml),
loops, brackets, glossary and do-not-translate terms (glossary.py) — over `Pair`s and returns
`Flag`s (pipeline/document.py). `documents.py` checks two versions of a document, paired by `align.py`, and
writes the review sheet. Used by `ngo-pipeline qa` (pipeline/cli/qa.py) and by the
`check.publication` stage (pipeline/stages/check.py).
"""
from ..document import Flag
from .engine import QAEngine
from .flags import Pair, has_error
from .glossary import GlossaryError

__all__ = ["GlossaryError", "Pair", "QAEngine", "Flag", "has_error"]
