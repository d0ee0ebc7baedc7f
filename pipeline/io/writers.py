"""Writers: the translated document per target language in the input's format (.html becomes .md),
one JSON record per document, and a Markdown review sheet. Every write is atomic."""
from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

from ..document import Document

_OUT_SUFFIX = {"txt": ".txt", "md": ".md", "docx": ".docx", "html": ".md"}


class UnsafePathError(Exception):
    pass


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write to a temporary file in the same folder, fsync, then `os.replace`: never half-written."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def safe_join(root: Path, relative: Path | str) -> Path:
    """`root / relative`, refusing anything that would land outside `root` (.., absolute, symlinks)."""
    root = root.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        raise UnsafePathError(f"output path {relative} escapes the output folder {root}")
    return target


def output_paths(doc: Document, out_dir: Path, relative: Path) -> dict[str, Path]:
    """Where the outputs of `doc` go: {lang: translation, "json": record, "review": sheet}."""
    suffix = _OUT_SUFFIX.get(doc.format, ".txt")
    stem = relative.with_suffix("")
    paths = {lang: safe_join(out_dir, f"{stem}.{lang}{suffix}") for lang in doc.targets}
    paths["json"] = safe_join(out_dir, f"{stem}.json")
    paths["review"] = safe_join(out_dir, f"{stem}.review.md")
    return paths


def render_text(doc: Document, lang: str, markdown: bool = False) -> str:
    parts = []
    for p in doc.paragraphs:
        text = p.translation(lang)
        parts.append((p.markup + text) if markdown else text)
    return "\n\n".join(parts) + "\n"


def render_docx(doc: Document, lang: str) -> bytes:
    """The source .docx with each text paragraph replaced by its translation (styles, tables and
    headings kept; run-level formatting inside a paragraph collapses to its first run)."""
    import docx

    from .readers import docx_blocks

    assert doc.source_path is not None
    document = docx.Document(str(doc.source_path))
    blocks = docx_blocks(document)
    if len(blocks) != len(doc.paragraphs):
        raise ValueError(f"{doc.source_path}: paragraph count changed while writing")
    for (block, _kind), para in zip(blocks, doc.paragraphs, strict=True):
        runs = block.runs
        text = para.translation(lang)
        if runs:
            runs[0].text = text
            for r in runs[1:]:
                r.text = ""
        else:
            block.add_run(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def render_review(doc: Document) -> str:
    """A sheet for the person who approves publication: summaries, then every flag."""
    lines = [f"# Review: {doc.source_path.name if doc.source_path else doc.id}", "",
             f"Detected language: **{doc.lang}** (confidence {doc.lang_score:.2f})", ""]
    for lang, summary in doc.summaries.items():
        lines += [f"## Summary ({lang})", "", summary, ""]
    lines += ["## To check before publication", ""]
    if not doc.flags:
        lines.append("Nothing flagged.")
    for f in doc.flags:
        where = " ".join(x for x in (f.segment and f"segment {f.segment}", f.lang and f"[{f.lang}]") if x)
        lines.append(f"- **{f.severity}** `{f.code}` {where}: {f.message}")
    return "\n".join(lines) + "\n"


def write_outputs(doc: Document, out_dir: Path, relative: Path) -> dict[str, Path]:
    paths = output_paths(doc, out_dir, relative)
    for lang in doc.targets:
        if doc.format == "docx":
            data: bytes | str = render_docx(doc, lang)
        else:
            data = render_text(doc, lang, markdown=doc.format in ("md", "html"))
        atomic_write(paths[lang], data)
    atomic_write(paths["json"], json.dumps(doc.to_dict(), ensure_ascii=False, indent=2) + "\n")
    atomic_write(paths["review"], render_review(doc))
    return paths
