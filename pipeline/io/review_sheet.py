"""The Markdown review sheet: for the person who approves publication. Summaries, every flag, what
the reader could not read, where formatting was placed approximately, and the comments of a Word
file (listed, not translated)."""
from __future__ import annotations

import re

_MARKUP = re.compile(r"([\\`*<>&\[\]])")  # not "_": file names keep their look (intraword _ is text)


def md_text(text: object) -> str:
    """`text` as literal Markdown text: HTML tags (`<script>`), entities, `*` emphasis, code and link
    brackets are backslash-escaped (CommonMark), so a release's text is shown, never interpreted."""
    return _MARKUP.sub(r"\\\1", str(text))


def render_review(doc) -> str:
    lines = [f"# Review: {md_text(doc.source_path.name if doc.source_path else doc.id)}", "",
             f"Detected language: **{md_text(doc.lang)}** (confidence {doc.lang_score:.2f})", ""]
    if doc.metadata.get("test_models"):  # set by `run` when the models are the project's test models
        lines[1:1] = ["", "> **TEST MODELS**: made with the project's test models (models/tiny). These are "
                      "**not** real translations: do not publish them."]
    for lang, summary in doc.summaries.items():
        lines += [f"## Summary ({md_text(lang)})", "", md_text(summary), ""]
    read_notes = doc.metadata.get("read_notes") or []
    if read_notes:
        lines += ["## Not read, or read with changes", ""]
        lines += [f"- {md_text(n)}" for n in read_notes]
        lines.append("")
    lines += ["## To check before publication", ""]
    flags = [f for f in doc.flags if f.code not in ("read-partial", "read-note")]
    if not flags:
        lines.append("Nothing flagged.")
    for f in flags:
        where = " ".join(x for x in (f.segment and f"segment {f.segment}", f.lang and f"[{f.lang}]") if x)
        lines.append(f"- **{f.severity}** `{f.code}` {where}: {md_text(f.message)}")
    comments = (doc.metadata.get("docx") or {}).get("comments") or []
    if comments:
        lines += ["", "## Comments in the source file (not translated)", ""]
        for c in comments:
            who = f"{md_text(c['author'])}: " if c.get("author") else ""
            on = f" (on \"{md_text(c['anchor'])}\")" if c.get("anchor") else ""
            lines.append(f"- {who}{md_text(c['text'])}{on}")
    return "\n".join(lines) + "\n"
