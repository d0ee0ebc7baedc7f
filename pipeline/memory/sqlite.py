"""The translation memory: one SQLite file with machine output keyed by (translator key, source
segment) and human translations keyed by (direction, source sentence) (`memory/human.py`).

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
        self.pending: dict[tuple[str, str], str] = {}
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
                                       "translator TEXT, source TEXT, target TEXT)"])
            conn.execute("SELECT count(*) FROM tm WHERE k = ''").fetchone()  # a damaged file fails here
            self._local.conn = conn
        return conn

    @staticmethod
    def _k(translator_key: str, source: str) -> str:
        return hashlib.sha256(f"{translator_key}\x00{source}".encode()).hexdigest()

    def get_many(self, translator_key: str, sources: list[str]) -> dict[str, str]:
        found: dict[str, str] = {s: self.pending[(translator_key, s)] for s in sources
                                 if (translator_key, s) in self.pending}
        keys = {self._k(translator_key, s): s for s in sources if s not in found}
        items = list(keys)
        try:
            conn = self._conn()
            for i in range(0, len(items) if conn is not None else 0, 500):
                chunk = items[i:i + 500]
                rows = conn.execute(f"SELECT k, target FROM tm WHERE k IN ({','.join('?' * len(chunk))})", chunk)
                for k, target in rows:
                    found[keys[k]] = target
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

    def put_many(self, translator_key: str, pairs: dict[str, str]) -> None:
        if self.read_only:
            self.pending.update({(translator_key, s): t for s, t in pairs.items()})
            return
        if not self.writable or not pairs:
            return
        try:
            with self._conn() as conn:
                conn.executemany("INSERT OR REPLACE INTO tm VALUES (?, ?, ?, ?)",
                                 [(self._k(translator_key, s), translator_key, s, t) for s, t in pairs.items()])
        except (sqlite3.Error, OSError) as e:
            self.writable = False
            log.warning("translation memory %s: cannot store translations (%s); this run goes on "
                        "without storing new ones", self.path, e)


    def drain(self) -> list[tuple[str, str, str]]:
        """The translations kept since the last drain, as (translator key, source, target)."""
        out = [(k, s, t) for (k, s), t in self.pending.items()]
        self.pending.clear()
        return out

    def store(self, entries: list[tuple[str, str, str]]) -> None:
        """What `drain()` gave, stored by the one writer."""
        by_key: dict[str, dict[str, str]] = {}
        for key, source, target in entries:
            by_key.setdefault(key, {})[source] = target
        for key, pairs in by_key.items():
            self.put_many(key, pairs)


def open_memory(path: str | Path, read_only: bool = False) -> TranslationMemory | None:
    """The memory at `path`, or None (one warning naming the file and the reason) when it cannot be used."""
    try:
        return TranslationMemory(path, read_only=read_only)
    except (sqlite3.Error, OSError) as e:
        log.warning("translation memory %s cannot be used (%s); translating without a memory", path, e)
        return None
