"""The translation memory: a persistent SQLite cache (translator key, source segment) -> translation."""
from __future__ import annotations

import hashlib
import random
import sqlite3
import threading
import time
from pathlib import Path


class TranslationMemory:
    """Persistent SQLite cache: (translator key, source segment) -> translation.

    WAL journal and a busy timeout let several runs share one file; each write is one transaction.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self.hits = self.misses = 0
        self._conn()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=60)
            # Switching to WAL needs an exclusive lock and can fail at once (without waiting) while
            # another process opens the same new file: retry for up to a minute.
            deadline = time.monotonic() + 60
            while True:
                try:
                    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        conn.execute("PRAGMA journal_mode=WAL")
                    with conn:
                        conn.execute("CREATE TABLE IF NOT EXISTS tm (k TEXT PRIMARY KEY, "
                                     "translator TEXT, source TEXT, target TEXT)")
                    break
                except sqlite3.OperationalError as e:
                    if "locked" not in str(e) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.02 + random.random() * 0.1)
            self._local.conn = conn
        return conn

    @staticmethod
    def _k(translator_key: str, source: str) -> str:
        return hashlib.sha256(f"{translator_key}\x00{source}".encode()).hexdigest()

    def get_many(self, translator_key: str, sources: list[str]) -> dict[str, str]:
        conn = self._conn()
        found: dict[str, str] = {}
        keys = {self._k(translator_key, s): s for s in sources}
        items = list(keys)
        for i in range(0, len(items), 500):
            chunk = items[i:i + 500]
            rows = conn.execute(f"SELECT k, target FROM tm WHERE k IN ({','.join('?' * len(chunk))})", chunk)
            for k, target in rows:
                found[keys[k]] = target
        return found

    def put_many(self, translator_key: str, pairs: dict[str, str]) -> None:
        with self._conn() as conn:
            conn.executemany("INSERT OR REPLACE INTO tm VALUES (?, ?, ?, ?)",
                             [(self._k(translator_key, s), translator_key, s, t) for s, t in pairs.items()])
