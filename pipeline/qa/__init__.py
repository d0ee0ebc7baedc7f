"""Publication QA: checks a translation against its source before it is published.

`QAEngine` runs the table of checks in `checks.py` (numbers by value, links and contacts, names,
language, completeness, loops, brackets, glossary and do-not-translate terms) over `Pair`s and
returns `QAFlag`s; `align.py` pairs the paragraphs and sentences of two documents. Used by
`ngo-pipeline qa` (pipeline/cli/qa.py) and by the `check.publication` stage.
"""
from .engine import QAEngine
from .flags import Pair, QAFlag, has_error
from .glossary import GlossaryError

__all__ = ["GlossaryError", "Pair", "QAEngine", "QAFlag", "has_error"]
