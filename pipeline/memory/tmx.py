"""TMX (Translation Memory eXchange) import and export for the human translation memory.

Import accepts what CAT tools write (OmegaT, Trados, memoQ, Okapi...): TMX 1.1 (`lang=`) and 1.4
(`xml:lang`), UTF-8 or UTF-16 with or without a BOM, language codes with regions in any case
(`ru-RU`, `EN-us`, `kk_KZ` -> ru, en, kk), inline markup (`bpt`, `ept`, `ph`, `it`, `ut` are native
codes and dropped; `hi` and the text between codes are kept), many languages per unit, `prop` and
`note`. A unit becomes one entry per direction from its source language (`srclang` of the unit or
header; every ordered pair when that is `*all*` or absent) into each other wanted language. Units
with fewer than two wanted languages are counted and skipped.

Parsing streams (lxml iterparse; a DOCTYPE is allowed, entity declarations are refused and nothing
external is ever loaded), so tens of thousands of units take seconds.
Export writes TMX 1.4, UTF-8, one unit per entry with its direction, user, time, origin and note.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape, quoteattr

from ..io.atomic import atomic_writer
from .human import HumanEntry, HumanMemory, stored_form

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CODES = {"bpt", "ept", "ph", "it", "ut"}  # native codes: their content is markup, not text
_TMX_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
BATCH = 5000


class TmxError(Exception):
    """A file that is not readable TMX; the message names the file and the problem."""


@dataclass
class ImportStats:
    units: int = 0  # <tu> elements read
    imported_units: int = 0  # units that gave at least one entry
    entries: int = 0  # directed entries offered to the memory
    written: int = 0  # entries written (an existing newer entry is kept)
    skipped_units: int = 0  # units with fewer than two wanted languages
    skipped_languages: Counter[str] = field(default_factory=Counter)  # languages of skipped tuvs
    empty: int = 0  # variants without text (ignored)

    def summary(self, path: str | Path) -> str:
        text = (f"{path}: {self.units} units read, {self.imported_units} imported "
                f"({self.entries} entries, {self.written} written), {self.skipped_units} skipped")
        if self.skipped_languages:
            text += " (other languages: " + ", ".join(
                f"{lang} {n}" for lang, n in self.skipped_languages.most_common()) + ")"
        if self.empty:
            text += f", {self.empty} empty variant(s) ignored"
        return text


def lang_code(value: str | None) -> str:
    """'ru-RU', 'EN-us', 'kk_KZ', 'RU' -> 'ru', 'en', 'kk' (the primary subtag, lower case)."""
    if not value:
        return ""
    return re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower()


def seg_text(seg: Element) -> str:
    """The text of a <seg>: text and <hi> content kept, native codes (bpt/ept/ph/it/ut) dropped."""
    parts = [seg.text or ""]

    def walk(elem: Element) -> None:
        for child in elem:
            tag = _local(child.tag)
            if tag == "hi" or tag not in _CODES and tag != "sub":
                parts.append(child.text or "")
                walk(child)
            parts.append(child.tail or "")

    walk(seg)
    return stored_form("".join(parts))


def tmx_time(value: str | None) -> str:
    """TMX date (YYYYMMDDThhmmssZ) -> ISO 8601 UTC; '' when absent or malformed."""
    m = _TMX_DATE.match((value or "").strip())
    return f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6]}Z" if m else ""


def iso_to_tmx(value: str) -> str:
    m = _ISO_DATE.match(value or "")
    return f"{m[1]}{m[2]}{m[3]}T{m[4]}{m[5]}{m[6]}Z" if m else ""


_LOCAL: dict[object, str] = {}


def _local(tag: object) -> str:
    """'{ns}seg' -> 'seg' (comments and processing instructions -> '')."""
    name = _LOCAL.get(tag)
    if name is None:
        name = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
        if len(_LOCAL) < 1000:
            _LOCAL[tag] = name
    return name


def read_units(path: str | Path, languages: Iterable[str], stats: ImportStats | None = None,
               all_directions: bool = False) -> Iterator[list[HumanEntry]]:
    """Yield, per translation unit, its directed entries between `languages` (from the unit's
    source language; every ordered pair with `all_directions`).

    lxml iterparse (C, streaming) with entity resolution, DTD loading and network access off; a
    document that declares entities is refused outright (no billion laughs, no XXE)."""
    from lxml import etree

    wanted = set(languages)
    stats = stats if stats is not None else ImportStats()
    name = Path(path).name
    header_src = ""
    seen_root = False
    in_tu = 0
    try:
        with open(path, "rb") as f:
            events = etree.iterparse(f, events=("start", "end"), resolve_entities=False, no_network=True,
                                     load_dtd=False, remove_comments=True, remove_pis=True)
            for event, elem in events:
                tag = _local(elem.tag)
                if event == "start":
                    if not seen_root:
                        seen_root = True
                        _refuse_entities(elem, path)
                        if tag != "tmx":
                            raise TmxError(f"{path}: not a TMX file (root element <{tag}>, expected <tmx>)")
                    elif tag == "header":
                        header_src = lang_code(elem.get("srclang"))
                    elif tag == "tu":
                        in_tu += 1
                    continue
                if tag != "tu":
                    if not in_tu and tag != "tmx":  # header props and notes, stray elements: keep
                        _drop(elem)  # memory flat (a header with a million <prop>s)
                    continue
                in_tu -= 1
                stats.units += 1
                entries = _unit_entries(elem, wanted, "" if all_directions else header_src, name, stats,
                                         all_directions)
                _drop(elem)  # keep memory flat on large files
                if entries:
                    stats.imported_units += 1
                    stats.entries += len(entries)
                    yield entries
                else:
                    stats.skipped_units += 1
    except etree.XMLSyntaxError as e:
        if not seen_root and not Path(path).stat().st_size:
            raise TmxError(f"{path}: empty file") from None
        raise TmxError(f"{path}: not well-formed XML (line {e.lineno}: {e.msg})") from None
    except UnicodeError as e:
        raise TmxError(f"{path}: cannot decode: {e}") from None
    except OSError as e:
        raise TmxError(f"{path}: cannot read: {e.strerror or e}") from None
    if not seen_root:
        raise TmxError(f"{path}: empty file")


def _drop(elem) -> None:
    """Free a parsed element and the siblings before it (iterparse keeps the whole tree otherwise)."""
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def _refuse_entities(root, path) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):  # (a DOCTYPE's DTD itself is never loaded)
        raise TmxError(f"{path}: refused: the file declares XML entities "
                       "(not needed in TMX, and a way to attack XML readers)")


def _unit_entries(tu: Element, wanted: set[str], header_src: str, name: str,
                  stats: ImportStats, all_directions: bool = False) -> list[HumanEntry]:
    props = {p.get("type", ""): (p.text or "").strip() for p in tu if _local(p.tag) == "prop"}
    notes = [stored_form(n.text or "") for n in tu if _local(n.tag) == "note" and (n.text or "").strip()]
    variants: dict[str, tuple[str, str, str]] = {}  # lang -> (text, user, time)
    others: set[str] = set()
    for tuv in tu:
        if _local(tuv.tag) != "tuv":
            continue
        lang = lang_code(tuv.get(XML_LANG) or tuv.get("lang"))
        seg = next((c for c in tuv if _local(c.tag) == "seg"), None)
        text = seg_text(seg) if seg is not None else ""
        if not text:
            stats.empty += 1
            continue
        if lang not in wanted:
            others.add(lang or "(none)")
            continue
        if lang in variants:
            continue  # a second variant in the same language: the first is kept
        user = tuv.get("changeid") or tuv.get("creationid") or tu.get("changeid") or tu.get("creationid") or ""
        when = tmx_time(tuv.get("changedate") or tuv.get("creationdate")
                        or tu.get("changedate") or tu.get("creationdate"))
        notes += [stored_form(n.text or "") for n in tuv if _local(n.tag) == "note" and (n.text or "").strip()]
        variants[lang] = (text, user, when)
    if len(variants) < 2:
        for lang in others | set(variants):
            stats.skipped_languages[lang] += 1
        return []
    src = "" if all_directions else (lang_code(tu.get("srclang")) or header_src)
    sources = [src] if src in variants else list(variants)  # "*all*" or absent: every direction
    origin = props.get("x-origin") or "tmx"
    note = " | ".join(notes) or (f"imported from {name}" if origin == "tmx" else "")
    out = []
    for s in sources:
        text, _, _ = variants[s]
        for t, (target, user, when) in variants.items():
            if t != s:
                out.append(HumanEntry(s, t, text, target, user, when, origin, note))
    return out


def import_tmx(path: str | Path, memory: HumanMemory, languages: Iterable[str],
               all_directions: bool = False) -> ImportStats:
    """Read a TMX file into the human memory (in batches of BATCH entries, one transaction each)."""
    stats = ImportStats()
    batch: list[HumanEntry] = []
    for entries in read_units(path, languages, stats, all_directions):
        batch.extend(entries)
        if len(batch) >= BATCH:
            stats.written += memory.put_many(batch)
            batch = []
    if batch:
        stats.written += memory.put_many(batch)
    return stats


def export_tmx(memory: HumanMemory, out: str | Path, src_lang: str | None = None,
               tgt_lang: str | None = None, tool_version: str = "") -> tuple[int, int]:
    """Write the memory (optionally one direction) as TMX 1.4, atomically.
    Returns (units written, entries skipped because XML 1.0 cannot hold their characters)."""
    written = skipped = 0
    with atomic_writer(Path(out)) as raw:
        f = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                f'<header creationtool="ngo-pipeline" creationtoolversion={quoteattr(tool_version or "0")} '
                'segtype="sentence" o-tmf="ngo-pipeline" adminlang="en" srclang="*all*" '
                'datatype="plaintext"/>\n<body>\n')
        for e in memory.entries(src_lang, tgt_lang):
            if any(_XML_INVALID.search(x) for x in (e.source, e.target, e.user, e.note)):
                skipped += 1
                continue
            f.write(_unit_xml(e))
            written += 1
        f.write("</body>\n</tmx>\n")
        f.flush()
        f.detach()
    return written, skipped


def _unit_xml(e: HumanEntry) -> str:
    attrs = ""
    if e.user:
        attrs += f" changeid={quoteattr(e.user)}"
    when = iso_to_tmx(e.time)
    if when:
        attrs += f' changedate="{when}"'
    lines = [f"<tu srclang={quoteattr(e.src_lang)}{attrs}>",
             f'  <prop type="x-origin">{escape(e.origin)}</prop>']
    if e.note:
        lines.append(f"  <note>{escape(e.note)}</note>")
    for lang, text in ((e.src_lang, e.source), (e.tgt_lang, e.target)):
        lines.append(f"  <tuv xml:lang={quoteattr(lang)}{attrs}><seg>{escape(text)}</seg></tuv>")
    lines.append("</tu>\n")
    return "\n".join(lines)


__all__ = ["TmxError", "ImportStats", "import_tmx", "export_tmx", "read_units", "seg_text", "lang_code"]
