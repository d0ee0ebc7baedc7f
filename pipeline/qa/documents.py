"""QA of two versions of a document: read both, pair paragraphs (and sentences inside a paragraph
where the counts differ), check every pair, and write the review sheet a person works from.

A paragraph-count mismatch is reported (`paragraph-count`), as is a paragraph with no counterpart
(`paragraph-missing`, `paragraph-added`) and, inside a paragraph, a source sentence the aligner
could not pair (`sentence-missing`); nothing here raises on a mismatch.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..document import Flag
from .align import PARAGRAPH_PRIORS, pair_units
from .engine import QAEngine
from .flags import LANGUAGES, Pair


@dataclass
class Unit:
    """One aligned piece: source paragraph(s) and translation paragraph(s), with their flags."""

    source_paragraphs: list[int]
    translation_paragraphs: list[int]
    source: str
    translation: str
    flags: list[Flag] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"source_paragraphs": self.source_paragraphs, "translation_paragraphs": self.translation_paragraphs,
                "source": self.source, "translation": self.translation,
                "flags": [f.to_dict() for f in self.flags]}


@dataclass
class DocumentCheck:
    """What `check_documents` found: flags about the whole document and the aligned units with
    theirs (printed by `ngo-pipeline qa`, written out by `review_sheet`)."""

    source_path: str
    translation_path: str
    src_lang: str
    tgt_lang: str
    flags: list[Flag] = field(default_factory=list)  # about the whole document
    units: list[Unit] = field(default_factory=list)

    @property
    def all_flags(self) -> list[Flag]:
        return self.flags + [f for u in self.units for f in u.flags]

    @property
    def has_error(self) -> bool:
        return any(f.severity == "error" for f in self.all_flags)

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.all_flags:
            out[f.severity] += 1
        return out

    def text_summary(self) -> str:
        lines = [f"{self.source_path} ({self.src_lang}) -> {self.translation_path} ({self.tgt_lang})"]
        lines += [f"  {_label(f):<7} document: {f.code}: {f.message}" for f in self.flags]
        for u in self.units:
            where = f"paragraph {'+'.join(str(i + 1) for i in u.source_paragraphs) or '-'}"
            lines += [f"  {_label(f):<7} {where}: {f.code}: {f.message}" for f in u.flags]
        c = self.counts()
        lines.append(f"{c['error']} errors, {c['warning']} warnings, {c['info']} notes")
        return "\n".join(lines)


def _paragraphs(path: str | Path) -> list[str]:
    from ..io import read_document

    return [p.text for p in read_document(path).paragraphs if p.text.strip()]


def _language(engine: QAEngine, paragraphs: list[str], path: str | Path) -> str:
    """The language with the most letters over the paragraphs' own verdicts."""
    weight: dict[str, int] = {}
    for text, det in zip(paragraphs[:200], engine.detector.detect_many(paragraphs[:200]), strict=True):
        if det[0] in LANGUAGES:
            weight[det[0]] = weight.get(det[0], 0) + sum(ch.isalpha() for ch in text)
    if not weight:
        raise ValueError(f"{path}: cannot tell its language (not en, ru or kk); give --from / --to")
    return max(weight, key=weight.get)


def check_documents(engine: QAEngine, source_path: str | Path, translation_path: str | Path,
                    src_lang: str | None = None, tgt_lang: str | None = None) -> DocumentCheck:
    src, tgt = _paragraphs(source_path), _paragraphs(translation_path)
    src_lang = src_lang or _language(engine, src, source_path)
    tgt_lang = tgt_lang or _language(engine, tgt, translation_path)
    found = DocumentCheck(str(source_path), str(translation_path), src_lang, tgt_lang)
    ratio = engine.ratios.get(f"{src_lang}-{tgt_lang}", (0, 1.0, 0))[1]
    if len(src) != len(tgt):
        found.flags.append(Flag(code="paragraph-count", severity="warning",
                                 message=f"the source has {len(src)} paragraphs, the translation {len(tgt)}; "
                                         "paragraphs were aligned by length"))
    for bead in pair_units(src, tgt, ratio, PARAGRAPH_PRIORS):
        unit = Unit(bead.source, bead.target, " ".join(src[i] for i in bead.source),
                    " ".join(tgt[j] for j in bead.target))
        if not bead.target:
            unit.flags.append(Flag(code="paragraph-missing", severity="error",
                                   message="this source paragraph has no translation"))
        elif not bead.source:
            unit.flags.append(Flag(code="paragraph-added", severity="warning",
                                   message="this translation paragraph has no source"))
        found.units.append(unit)
    paired = [u for u in found.units if u.source_paragraphs and u.translation_paragraphs]
    whole = engine.without({"length"})
    for u, flags in zip(paired, whole.check([Pair(u.source, u.translation, src_lang, tgt_lang) for u in paired]),
                        strict=True):
        u.flags.extend(flags)
    _sentence_checks(engine, paired, src_lang, tgt_lang, ratio)
    return found


def _sentence_checks(engine: QAEngine, units: list[Unit], src_lang: str, tgt_lang: str, ratio: float) -> None:
    """Length and truncation per aligned sentence (a sentence dropped from a long paragraph does
    not show in the paragraph's length); sentences the aligner left alone are reported."""
    from ..text.sentences import split_sentences

    length = engine.only({"length"})
    jobs: list[tuple[Unit, Pair]] = []
    for u in units:
        ss = [s for s, _ in split_sentences(u.source)]
        ts = [t for t, _ in split_sentences(u.translation)]
        if len(ss) != len(ts):
            u.flags.append(Flag(code="sentence-count", severity="info",
                                message=f"{len(ss)} sentences in the source, {len(ts)} in the translation"))
        for bead in pair_units(ss, ts, ratio):
            s = " ".join(ss[i] for i in bead.source)
            if not bead.target:
                at = u.source.find(s)
                u.flags.append(Flag(code="sentence-missing", severity="warning",
                                    message=f"no translation found for: {s[:120]}",
                                    span={"side": "source", "start": at, "end": at + len(s), "text": s}))
            elif bead.source:
                jobs.append((u, Pair(s, " ".join(ts[j] for j in bead.target), src_lang, tgt_lang)))
    for (u, _), flags in zip(jobs, length.check([p for _, p in jobs]), strict=True):
        u.flags.extend(f for f in flags if f.code not in {g.code for g in u.flags})


def review_sheet(found: DocumentCheck) -> str:
    """The Markdown review sheet: counts, document-level flags, then each flagged passage."""
    c = found.counts()
    out = [f"# Review sheet: {Path(found.translation_path).name}", "",
           f"- Source: `{found.source_path}` ({found.src_lang})",
           f"- Translation: `{found.translation_path}` ({found.tgt_lang})",
           f"- Found: **{c['error']} errors**, {c['warning']} warnings, {c['info']} notes", ""]
    if found.flags:
        out += ["## Document", ""] + [f"- **{f.severity}** `{f.code}`: {_md(f.message)}" for f in found.flags] + [""]
    for u in found.units:
        if not u.flags:
            continue
        sp = "+".join(str(i + 1) for i in u.source_paragraphs) or "–"
        tp = "+".join(str(j + 1) for j in u.translation_paragraphs) or "–"
        out += [f"## Paragraph {sp} → {tp}", "", f"> {_md(u.source) or '(none)'}", ">",
                f"> {_md(u.translation) or '(none)'}", ""]
        for f in sorted(u.flags, key=lambda f: ("error", "warning", "info").index(f.severity)):
            where = f" — “{_md(f.span['text'])}” ({f.span['side']})" if f.span and f.span.get("text") else ""
            # error and warning: a box to tick; info: a note, not a problem
            box = "- [ ] **" + f.severity + "**" if f.severity != "info" else "- note:"
            out.append(f"{box} `{f.code}`: {_md(f.message)}{where}")
        out.append("")
    if not any(u.flags for u in found.units) and not found.flags:
        out.append("Nothing to check: no flags.")
    return "\n".join(out) + "\n"


def _label(f: Flag) -> str:
    return "note" if f.severity == "info" else f.severity.upper()


def _md(text: str) -> str:
    """A passage as literal Markdown text (a release's `<script>` is shown, never interpreted)."""
    from ..io.review_sheet import md_text

    text = " ".join(text.split())
    return md_text(text if len(text) <= 400 else text[:400] + "…")
