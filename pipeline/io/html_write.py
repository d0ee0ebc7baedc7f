"""Web pages out: a clean article page (or Markdown) built from the layout `html.read_html` keeps in
`metadata["html"]`: headline, headings, paragraphs, lists, tables, quotes and code blocks, with the
translated text and the inline spans re-placed by `inline.Aligner` (anchor text translated, href
unchanged, inline code copied untranslated)."""
from __future__ import annotations

import html as htmllib
import re

from .inline import Aligner

_MD_HI = {"strong": "**", "em": "*", "code": "`"}


def _render_inline(paragraph, lang: str, spans: list, markdown: bool) -> tuple[str, bool]:
    al = Aligner(paragraph, lang, [(a, b) for a, b, _, _ in spans])
    text = al.text
    events: list[tuple[int, int, str]] = []  # (offset, order, markup)
    exact = True
    for n, (a, b, kind, value) in enumerate(spans):
        ya, yb = al.map(a), al.map(b)
        exact = exact and al.exact(a) and al.exact(b)
        if yb < ya:
            yb = ya
        if kind == "code":  # code is never translated: the source text goes back between the marks
            events.append((ya, 1, n, ("code", value, ya)))
            continue
        if markdown:
            if kind == "a":
                opening, closing = "[", f"]({value})"
            else:
                opening = closing = _MD_HI.get(kind, "")
        else:
            opening = f'<a href="{htmllib.escape(value, quote=True)}">' if kind == "a" else f"<{kind}>"
            closing = "</a>" if kind == "a" else f"</{kind}>"
        events.append((ya, 1, n, opening))
        events.append((yb, 0, -n, closing))
    events.sort(key=lambda e: e[:3])
    out, cur = [], 0
    esc = _md_escape if markdown else htmllib.escape
    for off, _, _, mark in events:
        chunk = esc(text[cur:max(cur, off)])
        if isinstance(mark, tuple):
            _, code, end = mark
            lead = " " if code.startswith(" ") else ""
            if lead and chunk.endswith(" "):
                chunk = chunk[:-1]
            code = code[len(lead):]
            out.append(chunk + lead + (f"`{code}`" if markdown else f"<code>{htmllib.escape(code)}</code>"))
            cur = max(cur, off, end)
            continue
        out += [chunk, mark]
        cur = max(cur, off)
    out.append(esc(text[cur:]))
    return "".join(out), exact


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def render_html(doc, lang: str, markdown: bool = False) -> tuple[str, list[int]]:
    """The article in `lang` as a clean HTML page (or Markdown), and paragraphs placed inexactly."""
    layout = doc.metadata.get("html") or {}
    blocks = layout.get("blocks") or [{"type": "p", "p": p.index} for p in doc.paragraphs]
    spans = layout.get("spans", {})
    approx: list[int] = []

    def text(i: int | None) -> str:
        if i is None:
            return ""
        p = doc.paragraphs[i]
        rendered, exact = _render_inline(p, lang, spans.get(str(i), []), markdown)
        if not exact:
            approx.append(i)
        return rendered

    def md_list(b: dict, indent: str) -> str:
        lines = []
        for n, item in enumerate(b["items"]):
            marker = f"{n + 1}. " if b["ordered"] else "- "
            lines.append(indent + marker + text(item["p"]))
            lines += [md_list(sub, indent + " " * len(marker)) for sub in item["lists"]]
        return "\n".join(lines)

    def html_list(b: dict, indent: str) -> str:
        tag = "ol" if b["ordered"] else "ul"
        lines = [f"{indent}<{tag}>"]
        for item in b["items"]:
            inner = "".join("\n" + html_list(sub, indent + "    ") + "\n" + indent + "  " for sub in item["lists"])
            lines.append(f"{indent}  <li>{text(item['p'])}{inner}</li>")
        return "\n".join(lines + [f"{indent}</{tag}>"])

    out: list[str] = []
    for b in blocks:
        t = b["type"]
        if markdown:
            if t == "h":
                out.append("#" * b["level"] + " " + text(b["p"]))
            elif t == "list":
                out.append(md_list(b, ""))
            elif t == "table":
                rows = [[text(c["p"]).replace("|", "\\|") for c in row] for row in b["rows"]]
                width = max(len(r) for r in rows)
                rows = [r + [""] * (width - len(r)) for r in rows]
                lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
                lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
                out.append("\n".join(lines))
            elif t == "code":
                out.append("```\n" + b["text"].rstrip("\n") + "\n```")
            elif t == "quote":
                out.append("> " + text(b["p"]))
            else:
                out.append(text(b["p"]))
            continue
        if t == "h":
            out.append(f"<h{b['level']}>{text(b['p'])}</h{b['level']}>")
        elif t == "list":
            out.append(html_list(b, ""))
        elif t == "table":
            rows = []
            for row in b["rows"]:
                cells = "".join(f"<{'th' if c['head'] else 'td'}>{text(c['p'])}</{'th' if c['head'] else 'td'}>"
                                for c in row)
                rows.append(f"  <tr>{cells}</tr>")
            out.append("<table>\n" + "\n".join(rows) + "\n</table>")
        elif t == "code":
            out.append("<pre><code>" + htmllib.escape(b["text"]) + "</code></pre>")
        elif t == "quote":
            out.append(f"<blockquote><p>{text(b['p'])}</p></blockquote>")
        else:
            out.append(f"<p>{text(b['p'])}</p>")
    if markdown:
        return "\n\n".join(out) + "\n", approx
    heads = [b for b in blocks if b["type"] == "h"]
    title = doc.paragraphs[heads[0]["p"]].translation(lang) if heads else ""
    page = (f'<!DOCTYPE html>\n<html lang="{htmllib.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{htmllib.escape(title)}</title>\n</head>\n<body>\n<article>\n" + "\n".join(out)
            + "\n</article>\n</body>\n</html>\n")
    return page, approx
