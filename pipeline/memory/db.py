"""Opening the translation-memory file: one SQLite connection per thread, WAL journal, busy timeout."""
from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path


def connect(path: Path, schema: list[str], timeout: float = 60) -> sqlite3.Connection:
    """A connection with WAL on and `schema` statements run. Switching to WAL needs an exclusive
    lock and can fail at once (without waiting) while another process creates the same new file:
    that is retried for up to `timeout` seconds."""
    conn = sqlite3.connect(path, timeout=timeout)
    deadline = time.monotonic() + timeout
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            with conn:
                for statement in schema:
                    conn.execute(statement)
            return conn
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                conn.close()
                raise
            time.sleep(0.02 + random.random() * 0.1)
