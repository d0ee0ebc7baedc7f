"""Web pages out: a clean article page (or Markdown) built from the layout `html.read_html` keeps in
`metadata["html"]`: headline, headings, paragraphs, lists, tables, quotes and code blocks, with the
translated text and the inline spans re-placed by `inline.Aligner` (anchor text translated, href
unchanged, inline code copied untranslated)."""
from __future__ import annotations

import html as htmllib
import re

from .inline import Aligner

_MD_HI = {"strong": "**", "em": "*", "code": "`"}


# Link targets a published page may carry: the web, mail, phone and relative links. A script or
# data link of the source (`javascript:`, `data:`, `vbscript:`, anything unknown) is written as
# plain text. Browsers ignore ASCII whitespace and control characters inside a scheme, so do we.
SAFE_SCHEMES = {"http", "https", "mailto", "tel", "ftp", "ftps", "sms", "news", "irc", "ircs"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def safe_url(url: str) -> bool:
    """True when `url` is relative or its scheme is one a published page may link to."""
    probe = re.sub(r"[\x00-\x20\x7f]", "", url or "").lower()
    m = _SCHEME.match(probe)
    return m is None or m.group(1) in SAFE_SCHEMES


def _markup(kind: str, value: str, markdown: bool) -> tuple[str, str]:
    if markdown:
        if kind == "a":
            target = f"<{value}>" if re.search(r"[\s()<>]", value) else value
            return "[", f"]({target.replace('>', '%3E') if target.startswith('<') else target})"
        mark = _MD_HI.get(kind, "")
        return mark, mark
    if kind == "a":
        return f'<a href="{htmllib.escape(value, quote=True)}">', "</a>"
    return f"<{kind}>", f"</{kind}>"


def _render_inline(paragraph, lang: str, spans: list, markdown: bool) -> tuple[str, bool]:
    """The paragraph's translation with its inline spans placed, always well nested: spans whose
    placements cross are closed and reopened around each other, a span left empty by the placement
    is dropped (and reported inexact), and an unsafe link keeps its text without the link."""
    al = Aligner(paragraph, lang, [(a, b) for a, b, _, _ in spans])
    text = al.text
    exact = True
    opens: list[tuple[int, int, int]] = []   # (offset, -end, span index): longer spans open first
    closes: dict[int, list[int]] = {}
    codes: list[tuple[int, int, str]] = []   # (offset, span index, code text)
    marks: dict[int, tuple[str, str]] = {}
    for n, (a, b, kind, value) in enumerate(spans):
        ya, yb = al.map(a), al.map(b)
        exact = exact and al.exact(a) and al.exact(b)
        if kind == "code":  # code is never translated: the source text goes back at its place
            codes.append((ya, n, value))
            continue
        if kind == "a" and not safe_url(value):
            continue
        if yb <= ya:
            exact = exact and a == b
            continue
        marks[n] = _markup(kind, value, markdown)
        opens.append((ya, -yb, n))
        closes.setdefault(yb, []).append(n)
    opens.sort()
    codes.sort()
    esc = _md_escape if markdown else htmllib.escape
    out: list[str] = []
    stack: list[int] = []
    cur, oi, ci = 0, 0, 0
    points = sorted({o for o, _, _ in opens} | set(closes) | {c for c, _, _ in codes} | {len(text)})
    for off in points:
        off = min(off, len(text))
        out.append(esc(text[cur:max(cur, off)]))
        cur = max(cur, off)
        for n in closes.get(off, []):  # close n; spans opened inside it and still open reopen after
            if n not in stack:
                continue
            reopen = []
            while stack:
                top = stack.pop()
                out.append(marks[top][1])
                if top == n:
                    break
                reopen.append(top)
            for m in reversed(reopen):
                out.append(marks[m][0])
                stack.append(m)
        while ci < len(codes) and codes[ci][0] <= off:
            code = codes[ci][2]
            lead = " " if code.startswith(" ") else ""
            if lead and out and out[-1].endswith(" "):
                out[-1] = out[-1][:-1]
            code = code[len(lead):]
            out.append(lead + (f"`{code}`" if markdown else f"<code>{htmllib.escape(code)}</code>"))
            ci += 1
        while oi < len(opens) and opens[oi][0] <= off:
            n = opens[oi][2]
            oi += 1
            if spans[n][2] == "a" and any(spans[m][2] == "a" for m in stack):
                continue  # a link inside a link is not HTML: the inner one stays text
            out.append(marks[n][0])
            stack.append(n)
    out.append(esc(text[cur:]))
    while stack:  # spans reaching the end of the text
        out.append(marks[stack.pop()][1])
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
