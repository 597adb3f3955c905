"""How every process sees what another committed: each commit stores a new generation
in the documents collection; `refresh()` compares it (one small read per question) and
drops what is stale. A rebuild writes a new store (a folder; on a server, a prefix of
collection names) and switches to it at the end."""

from __future__ import annotations

import time
import uuid

from index import chroma
from index.chroma import DOCUMENTS
from index.records import DocRecord

CLOCK_MARGIN = 120  # seconds: records committed this long before the last reading are read again
WHOLE_EVERY = 600  # seconds: after a commit, all records are read again at least this often


class Freshness:
    """Part of `Index` (kept apart for size): generations, refresh, store switching."""

    def _stored_meta(self, name: str) -> dict:
        """A collection's metadata as the store has it now (another process may have changed it)."""
        self.open(create=False)
        return self._client.get_collection(name).metadata or {}

    def _set_meta(self, col, **values) -> None:
        col.modify(metadata={**self._stored_meta(col.name), **values})

    def _drop_meta(self, col, *keys: str) -> None:
        col.modify(metadata={k: v for k, v in self._stored_meta(col.name).items() if k not in keys})

    def records(self) -> dict[str, DocRecord]:
        """Committed documents by id. After a commit (here or elsewhere), only the records
        committed since the last reading are read, unless a document was removed or the
        last whole reading is over ten minutes old."""
        with self._lock:
            if self._records is None or self._stale:
                _, docs = self.open(create=False)
                self._generation = self._stored_meta(docs.name).get("generation")
                started = time.time()
                recent = self._stale and started - self._whole_at < WHOLE_EVERY  # else: a clock may be off
                self._records = self._updated(docs) if recent else None
                if self._records is None:
                    self._records = {i: DocRecord.from_meta(i, m) for i, m, _ in chroma.paged(docs, ["metadatas"])}
                    self._whole_at = started
                self._read_at, self._stale = started, False
            return self._records

    def _updated(self, docs) -> dict[str, DocRecord] | None:
        """The records read before, with those committed since (a margin for clocks of other
        machines and writes under way); None when the counts show a removal."""
        merged = dict(self._records)
        since = {"committed": {"$gte": self._read_at - CLOCK_MARGIN}}
        merged.update({i: DocRecord.from_meta(i, m) for i, m, _ in chroma.paged(docs, ["metadatas"], where=since)})
        return merged if docs.count() == len(merged) else None

    def _committed(self) -> None:
        """Tell every process reading this store that the document set changed."""
        _, doc_col = self.open()
        generation = uuid.uuid4().hex
        self._set_meta(doc_col, generation=generation)
        with self._lock:
            self._invalidate(keep_records=True)
            self._generation = generation

    def refresh(self) -> bool:
        """Drop cached state another process's commit made stale; one small read per question."""
        switched = self._client is not None and not self._store and self._connected != self._current_store()
        if switched:
            with self._lock:  # rebuilt elsewhere: open the new store folder
                self._client = self._chunks = self._docs = None
                self._invalidate()
        self.open(create=False)
        stored = self._client.get_collection(self._name(DOCUMENTS))
        generation = (stored.metadata or {}).get("generation")
        with self._lock:
            if self._records is None and not self._lexical_at:  # nothing read yet, nothing stale
                self._generation = generation
                return switched
            if generation == self._generation and stored.id == self._docs.id:
                return False
            same = self._docs is not None and stored.id == self._docs.id  # not a store made anew
            if not self.chroma_host:  # the embedded store: reload the vectors the other process wrote
                chroma.drop_shared_clients()
            self._client = self._chunks = self._docs = None
            self._invalidate(keep_records=same)
            self._generation = generation
            return True

    def _current_store(self) -> str:
        if self.chroma_host:
            return chroma.remote_store(self._client)
        return chroma.current_store(self.index_dir)

    def sibling(self) -> Freshness:
        """An empty index on a new store beside this one (for a crash-safe rebuild)."""
        return type(self)(
            self.index_dir, self.embedder, self.chroma_host, self.chroma_port, store=chroma.new_store_name()
        )

    def switch_to(self, other: Freshness) -> None:
        """Serve `other`'s store from now on, in this and (at their next refresh) every process."""
        if self.chroma_host:
            chroma.switch_remote(other._client, other._store)
        else:
            chroma.switch_store(self.index_dir, other._store)
        with self._lock:
            self._client = self._chunks = self._docs = None
            self._invalidate()
