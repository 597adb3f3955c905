"""Conversations kept across page reloads: each under an unguessable key the browser
holds in its address (`?hoi=…`), in a small SQLite file beside the index. Until
sign-in exists, the key is the only way to a conversation: it is 128 random bits, and a
key that is not well-formed or not stored opens a new conversation."""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from retrieval.conversation import Conversation

KEY = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16)
KEEP_DAYS = 30  # a conversation untouched this long is deleted


def new_key() -> str:
    return secrets.token_urlsafe(16)


class History:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute("CREATE TABLE IF NOT EXISTS conversations (key TEXT PRIMARY KEY, data TEXT, touched REAL)")

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """A connection for one transaction (committed, or rolled back on error), then closed."""
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                yield db
        finally:
            db.close()

    def load(self, key: str) -> Conversation | None:
        """The conversation kept under `key`; None for a key that is malformed or unknown."""
        if not KEY.fullmatch(key or ""):
            return None
        with self._db() as db:
            row = db.execute("SELECT data FROM conversations WHERE key = ?", (key,)).fetchone()
        return Conversation.from_dict(json.loads(row[0])) if row else None

    def save(self, key: str, conversation: Conversation) -> None:
        if not KEY.fullmatch(key):
            raise ValueError("malformed conversation key")
        data = json.dumps(conversation.as_dict(), ensure_ascii=False)
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO conversations VALUES (?, ?, ?)", (key, data, time.time()))
            db.execute("DELETE FROM conversations WHERE touched < ?", (time.time() - KEEP_DAYS * 86400,))

    def forget(self, key: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM conversations WHERE key = ?", (key,))
