"""How the article is found in a web page (`html` reads it): trafilatura's extraction, run with
the thresholds that suit press releases, and the judgements of its tree that `read_html` makes
(layout tables, preformatted press releases, block tags)."""
from __future__ import annotations

import re

FAVOR_RECALL = False
# Press releases are short: below trafilatura's default 250 characters it falls back to the whole
# page text, navigation included.
MIN_EXTRACTED_SIZE = 25


# trafilatura's own threshold: on old table-laid pages, the extraction made with it leaves the
# navigation cells out where the one made with MIN_EXTRACTED_SIZE keeps them (news dev set).
DEFAULT_EXTRACTED_SIZE = 250


def _config(size: int | None = None):
    from trafilatura.settings import use_config

    cfg = use_config()
    cfg["DEFAULT"]["MIN_EXTRACTED_SIZE"] = str(size or MIN_EXTRACTED_SIZE)
    return cfg


def extract_article(source: str):
    """trafilatura's article with the short-page threshold; the one with trafilatura's default
    threshold instead when it is shorter but still an article (DEFAULT_EXTRACTED_SIZE characters or
    more) made of the same words: the longer one then holds the same article and the page's menus."""
    import trafilatura

    kwargs = dict(with_metadata=True, include_links=True, include_formatting=True, include_tables=True,
                  include_comments=False, include_images=False, favor_recall=FAVOR_RECALL)
    doc = trafilatura.bare_extraction(source, config=_config(), **kwargs)

    def words(d) -> list[str]:
        return " ".join(d.body.itertext()).split() if d is not None and d.body is not None else []

    size = None
    first = words(doc)
    if len(" ".join(first)) > DEFAULT_EXTRACTED_SIZE:
        other = trafilatura.bare_extraction(source, config=_config(DEFAULT_EXTRACTED_SIZE), **kwargs)
        second = words(other)
        known = set(first)
        if (DEFAULT_EXTRACTED_SIZE <= len(" ".join(second)) < len(" ".join(first))
                and sum(w in known for w in second) >= 0.9 * len(second)):  # the same article, shorter
            doc, first, size = other, second, DEFAULT_EXTRACTED_SIZE
    # Links and formatting kept make trafilatura keep link-dense blocks (menus, "related" lists, "Text
    # size" buttons) that it leaves out of its plain text: the plain text decides which paragraphs
    # are read, the formatted tree gives their links and emphasis.
    kwargs.update(include_links=False, include_formatting=False)
    plain = f' {" ".join(TOKENS.findall(" ".join(words(trafilatura.bare_extraction(source, config=_config(size), **kwargs)))))} '
    if len(plain) < 0.5 * len(" ".join(TOKENS.findall(" ".join(first)))):
        plain = None  # another extraction altogether: no filter
    return doc, plain


BLOCK_TAGS = frozenset({"p", "head", "list", "table", "quote", "code", "div", "main", "section", "body", "row"})
TOKENS = re.compile(r"\w+")
CODE_CHARS = re.compile(r"[{};=\\$]|^\s*(?:#|//|import |def |function |return |<)", re.M)


def ngrams(tokens: list[str], n: int) -> list[list[str]]:
    return [tokens[i:i + n] for i in range(len(tokens) - n + 1)]


def layout_table(el) -> bool:
    """A table used to lay out the page (old news sites: the article in a cell, next to the menu),
    not a table of data: it holds another table or a block, a cell of running text, or it has one
    column only."""
    if el.find(".//table") is not None or all(len(row.findall("cell")) <= 1 for row in el.iter("row")):
        return True  # a table in it, or one column only
    for cell in el.iter("cell"):
        if any(child.tag in BLOCK_TAGS for child in cell) or len("".join(cell.itertext())) >= 250:
            return True
    return False


def prose_paragraphs(code: str) -> list[str] | None:
    """The paragraphs of a <pre> block that is text, not code (wire services send press releases as
    preformatted text wrapped at 80 columns), or None for code: paragraphs break at blank lines,
    at an indented line and at a list dash; wrapped lines are joined."""
    words = re.findall(r"[^\W\d_]{2,}", code)
    if len(words) < 20 or len(CODE_CHARS.findall(code)) > len(code) / 400 + 1:
        return None
    visible = re.sub(r"\s", "", code)
    if sum(ch.isalpha() for ch in visible) < 0.7 * len(visible):
        return None  # a diagram, a table drawn in characters, figures
    if not re.search(r"[^\W\d_]{2,}[.!?][\"'»”)]?\s+[\"'«“(]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]", code):
        return None  # no sentence in it
    paras: list[list[str]] = []
    for line in code.splitlines():
        stripped = line.strip()
        if not stripped or set(stripped) <= set("<>-=*_"):
            paras.append([])
            continue
        if not paras or not paras[-1] or line[:1].isspace() or stripped[:2] in ("- ", "* ", "• "):
            paras.append([])
        paras[-1].append(stripped)
    return [" ".join(p) for p in paras if p]
