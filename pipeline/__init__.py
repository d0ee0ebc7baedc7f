"""ngo-pipeline: detect, translate (en/ru/kk), summarise and flag NGO press releases.

The architecture in one screen:

    file ──reader──► Document ──► [segment] ► [detect] ► [translate] ► [summarize] ► [check] ──writers──► outputs
                     (document.py)  every box is a Stage (stage.py), built by name from the
                                    registry (registry.py) as wired by a TOML config (config.py)

    pipeline.py   Pipeline: builds the stages from a config; process_text / process_file /
                  run_folder; pipe() streams documents through every stage in batches
    document.py   Document ► Paragraph ► Segment (sentence) with languages, translations, flags
    stage.py      Stage: __init__ stores parameters, warm_up() loads once, __call__, pipe()
    registry.py   factory names ("translate.hf", "detect.lingua"...) + entry-point plugins
    config.py     TOML loading and validation (every problem with file, section, key)
    segment.py    sentence splitter for en/ru/kk (abbreviations, initials, quotes)
    langid.py     detect.lingua / detect.langdetect (with a Kazakh profile the project builds)
    translate.py  translators (transformers, CTranslate2), PivotTranslator, CachedTranslator
                  + TranslationMemory (SQLite), and the translate stage
    models.py     the only place models are resolved (catalog name or folder) and loaded
    summarize.py  summarize.extractive (press-release aware) and summarize.hf (abstractive)
    checks.py     check.publication: what a human must check before publishing
    io/           readers (.txt .md .docx .html) and atomic writers
    runner.py     batch runner: error isolation, resume, report.jsonl
    cli.py        the `ngo-pipeline` command

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
