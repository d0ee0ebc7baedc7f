"""Writers: the translation per target language in the input's format, one JSON record per
document, and the review sheet. Every write is atomic and stays inside the output folder.

| input | translation written as |
| --- | --- |
| .txt | .txt |
| .md | .md (the source with each inline run translated; code, HTML, front matter kept) |
| .html | .html (a clean article page), and .md too when `html_markdown=True` |
| .docx, .doc | .docx (the source package with only its text replaced) |
| .odt | .odt (the source package with only its text replaced) |
| .pdf | .docx (a new document with the paragraphs, headings and lists) |
"""
from __future__ import annotations

import json
from pathlib import Path

from ..document import Document
from .atomic import UnsafePathError, atomic_write, safe_join
from .review_sheet import render_review

_OUT_SUFFIX = {"txt": ".txt", "md": ".md", "docx": ".docx", "doc": ".docx", "html": ".html",
               "pdf": ".docx", "odt": ".odt"}


def output_paths(doc: Document, out_dir: Path, relative: Path, html_markdown: bool = False) -> dict[str, Path]:
    """Where the outputs of `doc` go: {lang: translation, "json": record, "review": sheet}, and
    {"<lang>.md": ...} for the Markdown copies of an HTML page when asked."""
    suffix = _OUT_SUFFIX.get(doc.format, ".txt")
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


def _approx(doc: Document, lang: str, indexes: list[int]) -> None:
    # Written again (the review app saves edits): the flag is replaced, not repeated.
    doc.flags = [f for f in doc.flags if not (f.code == "format-approximate" and f.lang == lang)]
    if indexes:
        shown = ", ".join(str(i + 1) for i in indexes[:20]) + (" ..." if len(indexes) > 20 else "")
        doc.flag("format-approximate", f"inline formatting (bold, links, Word runs) placed approximately "
                                       f"in {len(indexes)} paragraph(s): {shown}; the text is complete",
                 lang=lang)


def render(doc: Document, lang: str) -> bytes | str:
    """The translation of `doc` into `lang`, in its output format."""
    if doc.format in ("docx", "doc"):
        from .docx_write import render_docx

        data, approx = render_docx(doc, lang)
    elif doc.format == "odt":
        from .odt_write import render_odt

        data, approx = render_odt(doc, lang)
    elif doc.format == "pdf":
        from .docx_write import new_docx

        return new_docx(doc, lang)
    elif doc.format == "md":
        from .markdown_write import render_markdown

        data, approx = render_markdown(doc, lang)
    elif doc.format == "html":
        from .html_write import render_html

        data, approx = render_html(doc, lang)
    else:
        return render_text(doc, lang)
    _approx(doc, lang, approx)
    return data


def write_outputs(doc: Document, out_dir: Path, relative: Path, html_markdown: bool = False) -> dict[str, Path]:
    paths = output_paths(doc, out_dir, relative, html_markdown)
    for lang in doc.targets:
        atomic_write(paths[lang], render(doc, lang))
        if f"{lang}.md" in paths:
            from .html_write import render_html

            atomic_write(paths[f"{lang}.md"], render_html(doc, lang, markdown=True)[0])
    atomic_write(paths["json"], json.dumps(doc.to_dict(), ensure_ascii=False, indent=2) + "\n")
    atomic_write(paths["review"], render_review(doc))
    return paths


__all__ = ["output_paths", "write_outputs", "render", "render_text", "render_review", "atomic_write",
           "safe_join", "UnsafePathError"]
