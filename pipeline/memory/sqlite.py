"""The translation memory: one SQLite file with machine output keyed by (translator key, source
segment) and human translations keyed by (direction, source sentence) (`memory/human.py`).

    tm(k TEXT PRIMARY KEY, translator TEXT, source TEXT, target TEXT, score REAL)

`score` is the model's score of its output (mean token log-probability; NULL when unknown). A
memory written before scores existed has no such column: it is added when the file is first
opened for writing (its old entries keep NULL scores), and read as NULL from a read-only file.

It is only a cache: `open_memory` returns None, after one warning, when the file cannot be used
(damaged, a folder, /dev/null, read-only folder), and a memory that stops accepting writes keeps
serving reads; nothing here ever fails a document.
"""
from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from pathlib import Path

from .db import connect
from .human import HumanMemory

log = logging.getLogger(__name__)


class TranslationMemory:
    """Machine translations (table `tm`) and human ones (table `human`) in one file.

    WAL journal and a busy timeout let several runs share one file; each write is one transaction.
    """

    def __init__(self, path: str | Path, read_only: bool = False):
        """`read_only`: nothing is ever written to the file (a Ray actor's view of a shared
        memory): new translations are kept in this object, served by `get_many`, and handed to the
        one writer with `drain()`."""
        self.path = Path(path).expanduser()
        if self.path.exists() and not self.path.is_file():
            raise OSError(f"{self.path} is not a regular file")
        self.read_only = read_only
        self.pending: dict[tuple[str, str], tuple[str, float | None]] = {}
        self._local = threading.local()
        self.hits = self.misses = 0
        self.writable = not read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn()
        self.human = HumanMemory(self.path, read_only=read_only)

    def _conn(self) -> sqlite3.Connection | None:
        conn = getattr(self._local, "conn", None)
        if conn is None and self.read_only:
            if not self.path.exists():
                return None
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=60)
            self._local.conn = conn
        if conn is None:
            conn = connect(self.path, ["CREATE TABLE IF NOT EXISTS tm (k TEXT PRIMARY KEY, "
                                       "translator TEXT, source TEXT, target TEXT, score REAL)"])
            conn.execute("SELECT count(*) FROM tm WHERE k = ''").fetchone()  # a damaged file fails here
            if "score" not in _columns(conn):  # a memory from before model scores: migrate
                try:
                    with conn:
                        conn.execute("ALTER TABLE tm ADD COLUMN score REAL")
                except sqlite3.OperationalError as e:
                    if "duplicate column" not in str(e):  # another process migrated it first
                        raise
            self._local.conn = conn
        return conn

    def _score_column(self, conn: sqlite3.Connection) -> str:
        return "score" if "score" in _columns(conn) else "NULL"

    @staticmethod
    def _k(translator_key: str, source: str) -> str:
        return hashlib.sha256(f"{translator_key}\x00{source}".encode()).hexdigest()

    def get_many(self, translator_key: str, sources: list[str]) -> dict[str, str]:
        return {s: t for s, (t, _) in self.get_many_scored(translator_key, sources).items()}

    def get_many_scored(self, translator_key: str, sources: list[str]) -> dict[str, tuple[str, float | None]]:
        """{source: (target, model score or None)} for the sources this translator has translated."""
        found = {s: self.pending[(translator_key, s)] for s in sources if (translator_key, s) in self.pending}
        keys = {self._k(translator_key, s): s for s in sources if s not in found}
        items = list(keys)
        try:
            conn = self._conn()
            score = self._score_column(conn) if conn is not None else "NULL"
            for i in range(0, len(items) if conn is not None else 0, 500):
                chunk = items[i:i + 500]
                rows = conn.execute(f"SELECT k, target, {score} FROM tm "
                                    f"WHERE k IN ({','.join('?' * len(chunk))})", chunk)
                for k, target, value in rows:
                    found[keys[k]] = (target, value)
        except sqlite3.Error as e:
            log.warning("translation memory %s: cannot read (%s); translating without it", self.path, e)
        return found

    def human_many(self, src: str, tgt: str, sources: list[str]) -> dict[str, str]:
        """{source: human translation} for the sources that have one in this direction."""
        if self.read_only and not self.path.exists():
            return {}
        try:
            return {s: e.target for s, e in self.human.get_many(src, tgt, sources).items()}
        except sqlite3.Error as e:
            if "no such table" in str(e):  # a read-only view of a memory without human entries yet
                return {}
            log.warning("translation memory %s: cannot read human translations (%s)", self.path, e)
            return {}

    def put_many(self, translator_key: str, pairs: dict[str, str],
                 scores: dict[str, float | None] | None = None) -> None:
        """Store machine translations, each with its model score when `scores` has one."""
        scores = scores or {}
        if self.read_only:
            self.pending.update({(translator_key, s): (t, scores.get(s)) for s, t in pairs.items()})
            return
        if not self.writable or not pairs:
            return
        try:
            with self._conn() as conn:
                conn.executemany("INSERT OR REPLACE INTO tm (k, translator, source, target, score) "
                                 "VALUES (?, ?, ?, ?, ?)",
                                 [(self._k(translator_key, s), translator_key, s, t, scores.get(s))
                                  for s, t in pairs.items()])
        except (sqlite3.Error, OSError) as e:
            self.writable = False
            log.warning("translation memory %s: cannot store translations (%s); this run goes on "
                        "without storing new ones", self.path, e)


    def drain(self) -> list[tuple[str, str, str, float | None]]:
        """The translations kept since the last drain, as (translator key, source, target, score)."""
        out = [(k, s, t, score) for (k, s), (t, score) in self.pending.items()]
        self.pending.clear()
        return out

    def store(self, entries: list[tuple]) -> None:
        """What `drain()` gave, stored by the one writer ((key, source, target) rows from an
        older worker are stored without a score)."""
        by_key: dict[str, dict[str, str]] = {}
        scores: dict[str, dict[str, float | None]] = {}
        for key, source, target, *score in entries:
            by_key.setdefault(key, {})[source] = target
            scores.setdefault(key, {})[source] = score[0] if score else None
        for key, pairs in by_key.items():
            self.put_many(key, pairs, scores[key])


def _columns(conn: sqlite3.Connection) -> set[str]:
    return {row[1] for row in conn.execute("PRAGMA table_info(tm)")}


def open_memory(path: str | Path, read_only: bool = False) -> TranslationMemory | None:
    """The memory at `path`, or None (one warning naming the file and the reason) when it cannot be used."""
    try:
        return TranslationMemory(path, read_only=read_only)
    except (sqlite3.Error, OSError) as e:
        log.warning("translation memory %s cannot be used (%s); translating without a memory", path, e)
        return None
