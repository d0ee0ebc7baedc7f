"""Language-model scores kept on disk, so that a text seen before needs no language model at all.

Loading lingua's models is most of what a short run costs (about a second for the Cyrillic ones);
the weekly use translates releases whose sentences were seen before (the translation memory has
them), and their detection is the same every time. The scores of the statistical model are a pure
function of (lingua version, candidate languages, mode, text), which is the key, so a cached score
is exactly what the model would compute.

The file is `$NGO_PIPELINE_LANGID_CACHE`, default `~/.cache/ngo-pipeline/langid-scores.sqlite`;
an empty value disables it. Like the translation memory it is only a cache: a file that cannot be
used is skipped with one warning, and nothing fails because of it.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
Scorer = Callable[[list[str]], list[dict[str, float]]]
DEFAULT = Path.home() / ".cache" / "ngo-pipeline" / "langid-scores.sqlite"


def cache_path() -> Path | None:
    value = os.environ.get("NGO_PIPELINE_LANGID_CACHE")
    if value is None:
        return DEFAULT
    return Path(value).expanduser() if value else None


class ScoreCache:
    def __init__(self, path: Path, identity: str):
        self.path, self.identity = path, identity
        self._local = threading.local()
        self.usable = True

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")  # a cache: a lost write is only recomputed
            with conn:
                conn.execute("CREATE TABLE IF NOT EXISTS scores (k TEXT PRIMARY KEY, v TEXT)")
            self._local.conn = conn
        return conn

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.identity}\x00{text}".encode()).hexdigest()[:32]

    def _fail(self, e: Exception) -> None:
        if self.usable:
            log.warning("language-id cache %s cannot be used (%s); going on without it", self.path, e)
        self.usable = False

    def get_many(self, texts: list[str]) -> dict[str, dict[str, float]]:
        if not self.usable or not texts:
            return {}
        keys = {self._key(t): t for t in texts}
        found: dict[str, dict[str, float]] = {}
        try:
            items = list(keys)
            for i in range(0, len(items), 500):
                chunk = items[i:i + 500]
                for k, v in self._conn().execute(
                        f"SELECT k, v FROM scores WHERE k IN ({','.join('?' * len(chunk))})", chunk):
                    found[keys[k]] = json.loads(v)
        except (sqlite3.Error, OSError, ValueError) as e:
            self._fail(e)
        return found

    def put_many(self, scores: dict[str, dict[str, float]]) -> None:
        if not self.usable or not scores:
            return
        try:
            with self._conn() as conn:
                conn.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?)",
                                 [(self._key(t), json.dumps(s)) for t, s in scores.items()])
        except (sqlite3.Error, OSError) as e:
            self._fail(e)


def cached(scorer: Scorer, identity: str, path: Path | None = None) -> Scorer:
    """`scorer` with its results kept in the cache file (`path`, default `cache_path()`)."""
    path = path if path is not None else cache_path()
    if path is None:
        return scorer
    cache = ScoreCache(path, identity)

    def score(texts: list[str]) -> list[dict[str, float]]:
        known = cache.get_many(texts)
        todo = list(dict.fromkeys(t for t in texts if t not in known))
        if todo:
            new = dict(zip(todo, scorer(todo), strict=True))
            cache.put_many(new)
            known.update(new)
        return [known[t] for t in texts]

    score.cache = cache  # type: ignore[attr-defined]
    return score
