"""Human translations in the translation memory: post-edits and confirmations made in the review
app, and units imported from TMX files. Keyed by (source language, target language, source
sentence), independent of any model, with who/when/origin; preferred over machine output.

They live in table `human` of the same SQLite file as the machine memory (`memory/sqlite.py`):

    human(src_lang, tgt_lang, source, target, user, time, origin, note)
    PRIMARY KEY (src_lang, tgt_lang, source)

`source` is stored normalised (`stored_form`: NFC, whitespace runs collapsed, stripped), so a lookup
matches whatever spacing the sentence had. `time` is ISO 8601 UTC to the second
("2026-11-29T22:30:00Z"); on a conflict the newer entry wins (an old agency TMX imported after a
post-edit does not overwrite it). Fuzzy lookup: Levenshtein similarity (1 - distance / longer
length, case-folded) with rapidfuzz, over the entries of one direction of similar length.
"""
from __future__ import annotations

import bisect
import getpass
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .db import connect

ORIGINS = ("post-edit", "confirmed", "tmx")
_SPACE = re.compile(r"\s+")
_SCHEMA = ("CREATE TABLE IF NOT EXISTS human (src_lang TEXT NOT NULL, tgt_lang TEXT NOT NULL, "
           "source TEXT NOT NULL, target TEXT NOT NULL, user TEXT NOT NULL DEFAULT '', "
           "time TEXT NOT NULL DEFAULT '', origin TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '', "
           "PRIMARY KEY (src_lang, tgt_lang, source))")
_UPSERT = ("INSERT INTO human VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
           "ON CONFLICT(src_lang, tgt_lang, source) DO UPDATE SET target = excluded.target, "
           "user = excluded.user, time = excluded.time, origin = excluded.origin, note = excluded.note "
           "WHERE excluded.time >= human.time")


def stored_form(text: str) -> str:
    """The form a sentence is stored and looked up in: NFC, whitespace runs as one space, stripped."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def current_user() -> str:
    """The OS user name (who made a post-edit)."""
    try:
        return getpass.getuser()
    except Exception:  # no USER/LOGNAME and no passwd entry (some containers)
        return "unknown"


@dataclass(frozen=True)
class HumanEntry:
    src_lang: str
    tgt_lang: str
    source: str
    target: str
    user: str = ""
    time: str = ""  # ISO 8601 UTC, "" when unknown
    origin: str = "post-edit"  # "post-edit" | "confirmed" | "tmx" (imported; note says from where)
    note: str = ""

    def row(self) -> tuple[str, ...]:
        return (self.src_lang, self.tgt_lang, stored_form(self.source), stored_form(self.target),
                self.user, self.time, self.origin, self.note)


@dataclass(frozen=True)
class FuzzyMatch:
    entry: HumanEntry
    similarity: float  # 0..1


class HumanMemory:
    """The `human` table of a translation-memory file. Thread-safe (one connection per thread)."""

    def __init__(self, path: str | Path, read_only: bool = False):
        """`read_only`: opened with SQLite's mode=ro, nothing created or written (a Ray actor); a
        file or table that does not exist yet reads as empty."""
        self.path = Path(path).expanduser()
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._generation = 0  # bumped on our own writes (PRAGMA data_version covers other connections)
        self._index: dict[tuple[str, str], tuple[tuple[int, int], list[int], list[str], list[str]]] = {}
        if not read_only:
            self._conn()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None and self.read_only:
            conn = self._local.conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=60)
        elif conn is None:
            conn = self._local.conn = connect(self.path, [_SCHEMA])
        return conn

    # -- exact lookups -------------------------------------------------------------------------
    def get(self, src_lang: str, tgt_lang: str, source: str) -> HumanEntry | None:
        return self.get_many(src_lang, tgt_lang, [source]).get(source)

    def get_many(self, src_lang: str, tgt_lang: str, sources: list[str]) -> dict[str, HumanEntry]:
        """{given source text: entry} for those with a human translation in this direction."""
        by_norm: dict[str, list[str]] = {}
        for s in sources:
            by_norm.setdefault(stored_form(s), []).append(s)
        keys = list(by_norm)
        found: dict[str, HumanEntry] = {}
        conn = self._conn()
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            rows = conn.execute(
                "SELECT src_lang, tgt_lang, source, target, user, time, origin, note FROM human "
                f"WHERE src_lang = ? AND tgt_lang = ? AND source IN ({','.join('?' * len(chunk))})",
                [src_lang, tgt_lang, *chunk])
            for row in rows:
                entry = HumanEntry(*row)
                for original in by_norm[row[2]]:
                    found[original] = entry
        return found

    # -- writes ----------------------------------------------------------------------------------
    def put_many(self, entries: Iterable[HumanEntry]) -> int:
        """Store entries in one transaction; returns how many were written (an existing entry with
        a newer time is kept). Entries with an empty source or target are refused (ValueError)."""
        rows = []
        for e in entries:
            row = e.row()
            if not row[2] or not row[3]:
                raise ValueError(f"empty source or target in a human translation: {e.source!r} -> {e.target!r}")
            rows.append(row)
        conn = self._conn()
        with self._lock, conn:
            before = conn.total_changes
            conn.executemany(_UPSERT, rows)
            self._generation += 1
            return conn.total_changes - before

    def record(self, src_lang: str, tgt_lang: str, source: str, target: str, origin: str = "post-edit",
               user: str | None = None, time: str | None = None, note: str = "") -> HumanEntry:
        """Store one post-edit or confirmation now, by the current OS user; returns the entry."""
        entry = HumanEntry(src_lang, tgt_lang, stored_form(source), stored_form(target),
                           user if user is not None else current_user(),
                           time if time is not None else now_iso(), origin, note)
        self.put_many([entry])
        return entry

    # -- iteration (TMX export) ------------------------------------------------------------------
    def entries(self, src_lang: str | None = None, tgt_lang: str | None = None) -> Iterator[HumanEntry]:
        """Every entry (optionally of one source and/or target language), in a stable order."""
        where, params = [], []
        for col, value in (("src_lang", src_lang), ("tgt_lang", tgt_lang)):
            if value:
                where.append(f"{col} = ?")
                params.append(value)
        sql = ("SELECT src_lang, tgt_lang, source, target, user, time, origin, note FROM human"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY src_lang, source, tgt_lang")
        for row in self._conn().execute(sql, params):
            yield HumanEntry(*row)

    def count(self) -> int:
        return self._conn().execute("SELECT count(*) FROM human").fetchone()[0]

    # -- fuzzy matches ---------------------------------------------------------------------------
    def fuzzy(self, src_lang: str, tgt_lang: str, source: str, threshold: float = 0.8,
              limit: int = 3, include_exact: bool = False) -> list[FuzzyMatch]:
        """Entries whose source is at least `threshold` similar to `source`, best first."""
        from rapidfuzz.distance import Levenshtein

        query = stored_form(source)
        folded = query.casefold()
        lengths, sources, folds = self._direction_index(src_lang, tgt_lang)
        if not folded:
            return []
        # similarity >= t needs min/max length >= t: only a window of lengths can match.
        lo = bisect.bisect_left(lengths, int(len(folded) * threshold))
        hi = bisect.bisect_right(lengths, int(len(folded) / threshold) + 1)
        scored = []
        for i in range(lo, hi):
            if not include_exact and sources[i] == query:
                continue
            sim = Levenshtein.normalized_similarity(folded, folds[i], score_cutoff=threshold)
            if sim >= threshold:
                scored.append((sim, sources[i]))
        scored.sort(key=lambda x: (-x[0], x[1]))
        out = []
        for sim, src in scored[:limit]:
            entry = self.get_many(src_lang, tgt_lang, [src]).get(src)
            if entry is not None:
                out.append(FuzzyMatch(entry, round(sim, 4)))
        return out

    def _direction_index(self, src_lang: str, tgt_lang: str) -> tuple[list[int], list[str], list[str]]:
        conn = self._conn()
        version = (self._generation, conn.execute("PRAGMA data_version").fetchone()[0])
        cached = self._index.get((src_lang, tgt_lang))
        if cached is None or cached[0] != version:
            rows = conn.execute("SELECT source FROM human WHERE src_lang = ? AND tgt_lang = ?",
                                (src_lang, tgt_lang)).fetchall()
            items = sorted((len(s.casefold()), s.casefold(), s) for (s,) in rows)
            cached = (version, [n for n, _, _ in items], [s for _, _, s in items], [f for _, f, _ in items])
            self._index[(src_lang, tgt_lang)] = cached
        return cached[1], cached[2], cached[3]


__all__ = ["HumanMemory", "HumanEntry", "FuzzyMatch", "stored_form", "now_iso", "current_user", "ORIGINS"]
