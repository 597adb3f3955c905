"""How every process sees what another committed: each commit stores a new generation
in the documents collection; `Index.refresh()` compares it (one small read per question)
and drops what is stale. `Records` keeps the committed documents' records, read again
only as far as a commit changed them."""

from __future__ import annotations

import hashlib
import time
import uuid

from index import chroma
from index.connection import Connection
from index.records import DocRecord

CLOCK_MARGIN = 120  # seconds: records committed this long before the last reading are read again
WHOLE_EVERY = 600  # seconds: after a commit, all records are read again at least this often


class Records:
    """The committed documents' records of one connection, and the generation they were read at."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.cache: dict[str, DocRecord] | None = None
        self.stale = False  # records to bring up to date (those committed since `read_at`)
        self.read_at = 0.0
        self.whole_at = 0.0
        self.generation: str | None = None  # the store's generation the caches were read at
        self.identity: str | None = None  # the fingerprint of the records read

    def get(self) -> dict[str, DocRecord]:
        """Committed documents by id. After a commit (here or elsewhere), only the records
        committed since the last reading are read, unless a document was removed or the
        last whole reading is over ten minutes old."""
        with self.conn.lock:
            if self.cache is None or self.stale:
                _, docs = self.conn.open(create=False)
                self.generation = self.conn.stored_meta(docs.name).get("generation")
                started = time.time()
                recent = self.stale and started - self.whole_at < WHOLE_EVERY  # else: a clock may be off
                records = self.updated(docs) if recent else None
                if records is None:
                    records = {i: DocRecord.from_meta(i, m) for i, m, _ in chroma.paged(docs, ["metadatas"])}
                    self.whole_at = started
                self.cache, self.read_at, self.stale = records, started, False
            return self.cache

    def updated(self, docs) -> dict[str, DocRecord] | None:
        """The records read before, with those committed since (a margin for clocks of other
        machines and writes under way); None when the counts show a removal."""
        merged = dict(self.cache or {})
        since = {"committed": {"$gte": self.read_at - CLOCK_MARGIN}}
        merged.update({i: DocRecord.from_meta(i, m) for i, m, _ in chroma.paged(docs, ["metadatas"], where=since)})
        return merged if docs.count() == len(merged) else None

    def invalidate(self, keep: bool = False) -> None:
        """Drop what a commit made stale; `keep`: bring the records up to date, not read them again."""
        self.stale = keep and self.cache is not None
        self.cache = self.cache if self.stale else None
        self.identity = None

    def fingerprint(self) -> str:
        """Identity of the committed document set; derived from the records, cached with them."""
        with self.conn.lock:
            if self.identity is None:
                items = sorted((k, v.hash, v.write) for k, v in self.get().items())
                self.identity = hashlib.sha256(repr(items).encode()).hexdigest()[:24]
            return self.identity

    def commit(self) -> str:
        """Tell every process reading this store that the document set changed; the new generation."""
        _, doc_col = self.conn.open()
        generation = uuid.uuid4().hex
        self.conn.set_meta(doc_col, generation=generation)
        return generation
