"""ngo-pipeline: detect, translate (en/ru/kk), summarise and flag NGO press releases.

The architecture in one screen (folders by role; imports only point down this list:
tests/test_layout.py checks it, docs/imports.png draws it):

    file ─io─► Document ─► [normalize] ► [segment] ► [detect] ► [translate] ► [summarize] ► [check] ─io─► outputs
                           every box is a Stage, built by name from the registry as a TOML config wires it

    cli/          the `ngo-pipeline` command: a table of command modules, thin on top of the library
    evaluate/     `ngo-pipeline eval`: quality (chrF++, BLEU), QA flag rate and speed of the configured
                  translators on the user's own references; choosing models per direction by them
    review/       the review web app over a run's outputs (edits feed the translation memory)
    pipeline.py   Pipeline: builds the stages from a config, checks their contracts and links;
                  check_models (the one model pre-check); process_text / process_file;
                  pipe() streams documents through every stage in batches
    run/          run_folder(pipe, IN, OUT): executors over a folder: local (a worker process with
                  a budget per document, journal for resume, report.jsonl) and Ray; it uses a
                  Pipeline, the Pipeline does not know it
    stages/       one module per stage: normalize, segment, detect, translate, summarize, check
    qa/           publication checks (numbers, entities, language, length, glossary): the check
                  stage and `ngo-pipeline qa`
    translate/    translators, one direction each: engines (hf, ct2: a table), Decoding, pivot,
                  identity, translation-memory cache, variant (kk-Latn); routes.py plans targets ->
                  directions -> translators once, as data
    memory/       the translation memory (SQLite): machine output, human translations, TMX
    io/           formats.py: the one table of formats (suffixes, reader -> ReadResult, writer,
                  output suffix, limit); one module per format, atomic writers, the review sheet
    text/         pure text functions: sentences, language identification, normalisation, Kazakh Latin
    config.py     TOML loading and validation (every problem with file, section, key)
    registry.py   names -> factories (stages, engines) + entry-point plugins
    models.py     the only place models are resolved (catalog name or folder) and loaded
    stage.py      Stage: requires/assigns (checked against Document fields), configure(context),
                  warm_up() once, __call__, pipe(); optional abilities declared once with no-op
                  defaults (provides/uses/bind, missing_models, memory hooks): no hasattr;
                  `ngo-pipeline check --explain CONFIG` prints the stage table
    document.py   Document ► Paragraph ► Segment with languages, translations and their status, flags
    errors.py     the exceptions the API raises, defined here at the bottom (raised from above)
    languages.py  the one table of languages (en ru kk), neighbours, output variants (kk-Latn)
    data/         stop words, abbreviations, Kazakh Latin alphabets, langdetect profile, model catalog
                  and presets, published quality figures

    >>> from pipeline import Pipeline
    >>> doc = Pipeline.default().process_text("Форум прошёл в Алматы.", targets=["en"])
"""
__version__ = "0.1.0"

from .document import Document, Flag, Paragraph, Segment, Status  # noqa: E402
from .errors import ConfigError, ModelNotFound, PipelineError, ReadError, StageError  # noqa: E402
from .pipeline import Pipeline  # noqa: E402
from .registry import register  # noqa: E402
from .stage import Stage, StageContext  # noqa: E402

__all__ = ["Document", "Flag", "Paragraph", "Segment", "Status", "Pipeline", "Stage", "StageContext",
           "register", "run_folder", "FileResult", "ConfigError", "ReadError", "ModelNotFound", "StageError",
           "PipelineError", "__version__"]


def __getattr__(name: str):
    # the runner loads only when asked for (`import pipeline` stays light)
    if name == "run_folder":  # run_folder(pipe, in_dir, out_dir, targets=None, ...): pipeline/run/local.py
        from .run.local import run_folder

        return run_folder
    if name == "FileResult":  # what run_folder yields
        from .run.plan import FileResult

        return FileResult
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
