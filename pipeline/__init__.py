"""ngo-pipeline: detect, translate (en/ru/kk), summarise and flag NGO press releases.

The architecture in one screen (folders by role; arrows only point down this list):

    file ──io──► Document ──► [segment] ► [detect] ► [translate] ► [summarize] ► [check] ──io──► outputs
                              every box is a Stage, built by name from the registry as a TOML config wires it

    cli/          the `ngo-pipeline` command: a table of command modules, thin on top of the library
    run/          executors: run a Pipeline over a folder (local.py: resume, error isolation, report)
    pipeline.py   Pipeline: builds the stages from a config; process_text / process_file / pipe
    stages/       one module per stage: segment, detect, translate, summarize, check
    translate/    translators (one direction each): engines (hf, ct2), pivot, translation-memory cache
    memory/       the translation memory (SQLite)
    text/         pure text functions: sentence splitting, language-identification rules
    io/           readers (.txt .md .docx .html) and atomic writers
    models.py     the only place models are resolved (catalog name or folder) and loaded
    config.py     TOML loading and validation (every problem with file, section, key)
    registry.py   factory names ("translate.hf", "detect.lingua"...) + entry-point plugins
    stage.py      Stage: __init__ stores parameters, warm_up() loads once, __call__, pipe()
    document.py   Document ► Paragraph ► Segment (sentence) with languages, translations, flags
    data/         stop words, the Kazakh langdetect profile, the model catalog

    >>> from pipeline import Pipeline
    >>> doc = Pipeline.default().process_text("Форум прошёл в Алматы.", targets=["en"])
"""
__version__ = "0.1.0"

from .document import Document, Flag, Paragraph, Segment  # noqa: E402
from .pipeline import Pipeline  # noqa: E402
from .registry import register  # noqa: E402
from .stage import Stage, StageError  # noqa: E402

__all__ = ["Document", "Flag", "Paragraph", "Segment", "Pipeline", "Stage", "StageError", "register",
           "__version__"]
