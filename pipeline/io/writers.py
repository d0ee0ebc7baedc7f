"""Writers: the translation per target language in the input's format (the format table,
formats.py), one JSON record per document, and the review sheet. Every write is atomic and stays
inside the output folder.

A format's writer returns the file's content and the paragraphs whose inline formatting it could
only place approximately; it never changes the document. `write_outputs`, the caller, records
those as `format-approximate` flags before the JSON record and the review sheet are written.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..document import Document
from .atomic import UnsafePathError, atomic_write, safe_join
from .formats import FORMATS
from .review_sheet import render_review


def output_paths(doc: Document, out_dir: Path, relative: Path, html_markdown: bool = False) -> dict[str, Path]:
    """Where the outputs of `doc` go: {lang: translation, "json": record, "review": sheet}, and
    {"<lang>.md": ...} for the Markdown copies of an HTML page when asked."""
    suffix = FORMATS[doc.format].out_suffix if doc.format in FORMATS else ".txt"
    stem = Path(relative).with_suffix("")
    paths = {lang: safe_join(out_dir, f"{stem}.{lang}{suffix}") for lang in doc.targets}
    if html_markdown and doc.format == "html":
        paths.update({f"{lang}.md": safe_join(out_dir, f"{stem}.{lang}.md") for lang in doc.targets})
    paths["json"] = safe_join(out_dir, f"{stem}.json")
    paths["review"] = safe_join(out_dir, f"{stem}.review.md")
    return paths


def render_text(doc: Document, lang: str, markdown: bool = False) -> str:
    parts = []
    for p in doc.paragraphs:
        text = p.translation(lang)
        parts.append((p.markup + text) if markdown else text)
    return "\n\n".join(parts) + "\n"


def record_approximate(doc: Document, lang: str, indexes: list[int]) -> None:
    """What a writer could not place exactly, as one `format-approximate` flag per language
    (written again, as the review app does after edits: the flag is replaced, not repeated)."""
    doc.flags = [f for f in doc.flags if not (f.code == "format-approximate" and f.lang == lang)]
    if indexes:
        shown = ", ".join(str(i + 1) for i in indexes[:20]) + (" ..." if len(indexes) > 20 else "")
        doc.flag("format-approximate", f"inline formatting (bold, links, Word runs) placed approximately "
                                       f"in {len(indexes)} paragraph(s): {shown}; the text is complete",
                 lang=lang)


def render(doc: Document, lang: str) -> tuple[bytes | str, list[int]]:
    """The translation of `doc` into `lang` in its output format, and the indexes of the
    paragraphs whose inline formatting was placed approximately. Changes nothing."""
    fmt = FORMATS.get(doc.format)
    return fmt.write(doc, lang) if fmt else (render_text(doc, lang), [])


def write_outputs(doc: Document, out_dir: Path, relative: Path, html_markdown: bool = False) -> dict[str, Path]:
    paths = output_paths(doc, out_dir, relative, html_markdown)
    for lang in doc.targets:
        data, approximate = render(doc, lang)
        record_approximate(doc, lang, approximate)
        atomic_write(paths[lang], data)
        if f"{lang}.md" in paths:
            from .html_write import render_html

            atomic_write(paths[f"{lang}.md"], render_html(doc, lang, markdown=True)[0])
    atomic_write(paths["json"], json.dumps(doc.to_dict(), ensure_ascii=False, indent=2) + "\n")
    atomic_write(paths["review"], render_review(doc))
    return paths


__all__ = ["output_paths", "write_outputs", "render", "render_text", "record_approximate", "render_review", "atomic_write",
           "safe_join", "UnsafePathError"]
