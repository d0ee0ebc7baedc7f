"""Reference translations for evaluation, read from what NGOs have: a TMX from an agency or a
CAT tool, the translation memory's human translations (.sqlite), a pair of aligned text files,
JSON lines, or a TSV with one column per language.

Every reader returns `{"en-ru": [Ref, ...], ...}`: per direction, the source sentences and their
human translations, in file order, duplicates (same source, same direction) kept once.

- TMX: `pipeline.memory.tmx.read_units` (inline codes dropped, UTF-8/UTF-16, several languages
  per unit; a unit's `srclang` or the header's says the direction, `*all*` gives every pair).
- Two text files, one sentence per line, the same number of lines: the languages from the names
  (`news.en.txt`, `test.kk`) or `pair="en-kk"`.
- JSON lines: `{"src_lang": "en", "tgt_lang": "ru", "source": ..., "target": ...}` per line, or
  `{"en": ..., "ru": ..., "kk": ...}` (every ordered pair of the languages present).
- TSV with a header row naming languages (`id  en  ru  kk`): every ordered pair, as JSON lines.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from ..languages import SUPPORTED
from ..memory.holdout import is_calibration

LANGUAGES = tuple(SUPPORTED)


class RefsError(Exception):
    """A reference file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Ref:
    source: str
    target: str
    id: str = ""


Refs = dict[str, list[Ref]]  # "en-ru" -> references


def _lang_of(path: Path) -> str | None:
    for part in reversed(path.name.lower().split(".")[1:]):
        code = re.split(r"[-_]", part)[0]
        if code in LANGUAGES:
            return code
    return None


def _add(out: Refs, seen: set, src: str, tgt: str, source: str, target: str, rid: str) -> None:
    source, target = source.strip(), target.strip()
    if src == tgt or not source or not target or (src, tgt, source) in seen:
        return
    seen.add((src, tgt, source))
    out.setdefault(f"{src}-{tgt}", []).append(Ref(source, target, rid))


def read_tmx(path: Path, languages=LANGUAGES) -> Refs:
    from ..memory.tmx import TmxError, read_units

    out: Refs = {}
    seen: set = set()
    try:
        for n, entries in enumerate(read_units(path, languages), 1):
            for e in entries:
                _add(out, seen, e.src_lang, e.tgt_lang, e.source, e.target, f"tu{n}")
    except TmxError as e:
        raise RefsError(str(e)) from None
    return out


def read_memory(path: Path) -> Refs:
    """The human translations (post-edits, confirmations, imported TMX) of a translation memory."""
    from ..memory.human import HumanMemory

    out: Refs = {}
    seen: set = set()
    try:
        for n, e in enumerate(HumanMemory(path, read_only=True).entries(), 1):
            if e.src_lang in LANGUAGES and e.tgt_lang in LANGUAGES:
                _add(out, seen, e.src_lang, e.tgt_lang, e.source, e.target, f"{e.origin}{n}")
    except Exception as e:  # not SQLite, locked, damaged: one line naming the file
        raise RefsError(f"{path}: cannot read as a translation memory ({e})") from None
    return out


def read_pair(src_path: Path, tgt_path: Path, pair: str | None = None) -> Refs:
    if pair:
        src, _, tgt = pair.partition("-")
    else:
        src, tgt = _lang_of(src_path), _lang_of(tgt_path)
    if src not in LANGUAGES or tgt not in LANGUAGES or src == tgt:
        raise RefsError(f"{src_path}, {tgt_path}: cannot tell the direction from the names; name the files "
                        f"like news.en.txt / news.kk.txt or give --pair en-kk")
    a, b = _lines(src_path), _lines(tgt_path)
    if len(a) != len(b):
        raise RefsError(f"{src_path} has {len(a)} lines but {tgt_path} has {len(b)}: "
                        "the two files must be aligned line by line")
    out: Refs = {}
    seen: set = set()
    for i, (s, t) in enumerate(zip(a, b, strict=True), 1):
        if bool(s.strip()) != bool(t.strip()):
            raise RefsError(f"{src_path}:{i}: one side of the pair is empty")
        _add(out, seen, src, tgt, s, t, f"line{i}")
    return out


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as e:
        raise RefsError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise RefsError(f"{path}: cannot read: {e.strerror or e}") from None


def read_jsonl(path: Path) -> Refs:
    out: Refs = {}
    seen: set = set()
    for i, line in enumerate(_lines(path), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            raise RefsError(f"{path}:{i}: not JSON ({e})") from None
        if not isinstance(obj, dict):
            raise RefsError(f"{path}:{i}: expected an object")
        _add_object(out, seen, obj, f"{path}:{i}", str(obj.get("id", f"line{i}")))
    return out


def _add_object(out: Refs, seen: set, obj: dict, where: str, rid: str) -> None:
    if "source" in obj or "target" in obj:
        src, tgt = obj.get("src_lang"), obj.get("tgt_lang")
        if src not in LANGUAGES or tgt not in LANGUAGES or not isinstance(obj.get("source"), str) \
                or not isinstance(obj.get("target"), str):
            raise RefsError(f"{where}: needs src_lang and tgt_lang (one of {', '.join(LANGUAGES)}) and "
                            "source and target strings")
        _add(out, seen, src, tgt, obj["source"], obj["target"], rid)
        return
    texts = {k: v for k, v in obj.items() if k in LANGUAGES and isinstance(v, str) and v.strip()}
    if len(texts) < 2 and not any(k in LANGUAGES for k in obj):
        raise RefsError(f"{where}: no language keys ({', '.join(LANGUAGES)}) and no source/target")
    for s in texts:
        for t in texts:
            _add(out, seen, s, t, texts[s], texts[t], rid)


def read_tsv(path: Path) -> Refs:
    rows = [line.split("\t") for line in _lines(path) if line.strip() and not line.startswith("#")]
    if not rows or sum(c.strip() in LANGUAGES for c in rows[0]) < 2:
        raise RefsError(f"{path}: the first row must name at least two language columns ({', '.join(LANGUAGES)})")
    header = [c.strip() for c in rows[0]]
    out: Refs = {}
    seen: set = set()
    for n, row in enumerate(rows[1:], 2):
        if len(row) != len(header):
            raise RefsError(f"{path}: row {n} has {len(row)} columns, the header {len(header)}")
        obj = dict(zip(header, row, strict=True))
        _add_object(out, seen, obj, f"{path} row {n}", obj.get("id", f"row{n}"))
    return out


def read_refs(paths: list[str], pair: str | None = None) -> Refs:
    """References from one file (TMX, JSON lines, TSV) or two aligned text files."""
    files = [Path(p) for p in paths]
    for f in files:
        if not f.is_file():
            raise RefsError(f"{f}: {'no such file' if not f.exists() else 'not a file'}")
    if len(files) == 2:
        return read_pair(files[0], files[1], pair)
    if len(files) != 1:
        raise RefsError("give one reference file (TMX, JSON lines, TSV) or two aligned text files")
    readers = {".tmx": read_tmx, ".jsonl": read_jsonl, ".json": read_jsonl, ".ndjson": read_jsonl,
               ".tsv": read_tsv, ".sqlite": read_memory, ".db": read_memory}
    reader = readers.get(files[0].suffix.lower())
    if reader is None:
        raise RefsError(f"{files[0]}: unknown reference format (expected .tmx, .jsonl, .tsv, a translation "
                        "memory .sqlite, or two aligned text files)")
    out = reader(files[0])
    if not out:
        raise RefsError(f"{files[0]}: no sentence pairs between {', '.join(LANGUAGES)} found")
    return out


def hold_apart(refs: Refs) -> tuple[Refs, int]:
    """(the references without the pairs kept for calibration, how many were held apart)."""
    out: Refs = {}
    held = 0
    for d, items in refs.items():
        keep = [r for r in items if not is_calibration(r.source, r.target)]
        held += len(items) - len(keep)
        if keep:
            out[d] = keep
    return out, held


def sample(refs: Refs, n: int, seed: int = 0) -> Refs:
    """At most `n` references per direction, drawn with `seed` (file order kept)."""
    out: Refs = {}
    for d, items in sorted(refs.items()):
        if len(items) <= n:
            out[d] = list(items)
        else:
            keep = set(random.Random(f"{seed}|{d}").sample(range(len(items)), n))
            out[d] = [r for i, r in enumerate(items) if i in keep]
    return out


def only(refs: Refs, directions: list[str] | None) -> Refs:
    if not directions:
        return refs
    missing = [d for d in directions if d not in refs]
    if missing:
        raise RefsError(f"no references for {', '.join(missing)}; the file has {', '.join(sorted(refs))}")
    return {d: refs[d] for d in directions}
