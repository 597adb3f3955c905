"""The index: Chroma holds chunks (embeddings, BM25 tokens) and one record per document
(cleaned text, metadata); the BM25 index is a local cache rebuilt from Chroma.

Crash safety: a write lists its documents as pending, writes their chunks, then their
records (the commit point), then deletes their old chunks. Readers trust only chunks whose
`doc_hash` is their record's hash; the next write deletes what a killed one left
(`index/writes.py`: never what another process is still writing).
Freshness: each commit stores a new generation; `refresh()` compares it and drops caches.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from pathlib import Path

import numpy as np

from errors import IndexMissing
from index import chroma, writes
from index.connection import Connection
from index.embedding import Embedder, get_embedder
from index.freshness import Records
from index.lexical import LexicalIndex
from index.records import CHUNK_FACTS, DocRecord, NewDocument, Passage
from index.versions import Version, Versions
from settings import Settings

_BATCH = 256
_WIDEST = 2000  # nearest chunks read unfiltered before a filter falls back to Chroma's `where`


class Index:
    """The facade every stage uses: a Chroma `Connection`, the committed `Records`, the
    document `Versions`, and the lexical index derived from them."""

    def __init__(
        self,
        index_dir: Path,
        embedder: Embedder,
        chroma_host: str | None = None,
        chroma_port: int = 8000,
        store: str | None = None,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.embedder = embedder
        self.chroma_host = chroma_host
        self.chroma_port = chroma_port
        self.connection = Connection(self.index_dir, embedder.name, chroma_host, chroma_port, store)
        self.committed = Records(self.connection)
        self.kept = Versions(self.connection, self.records)
        self.lexical_index: LexicalIndex | None = None
        self.lexical_at = ""  # the fingerprint the lexical index was synced to
        self.sections: dict[str, list[tuple[int, int, str]]] = {}  # doc id -> chunk spans, for section_at

    # -- opening and freshness ---------------------------------------------------
    def open(self, create: bool = True):
        """(chunks, documents) collections; with `create`, made when absent."""
        return self.connection.open(create)

    def invalidate(self, keep_records: bool = False) -> None:
        """Drop what a commit made stale; `keep_records`: to bring them up to date, not read again."""
        self.committed.invalidate(keep_records)
        self.lexical_at = ""
        self.sections = {}

    def records(self) -> dict[str, DocRecord]:
        """Committed documents by id (read again only as far as commits changed them)."""
        return self.committed.get()

    def fingerprint(self) -> str:
        """Identity of the committed document set."""
        return self.committed.fingerprint()

    def commit(self) -> None:
        """Tell every process reading this store that the document set changed."""
        generation = self.committed.commit()
        with self.connection.lock:
            self.invalidate(keep_records=True)
            self.committed.generation = generation

    def refresh(self) -> bool:
        """Drop cached state another process's commit made stale; one small read per question."""
        conn = self.connection
        switched = conn.client is not None and not conn.fixed and conn.connected != conn.current_store()
        if switched:
            with conn.lock:  # rebuilt elsewhere: open the new store folder
                conn.drop()
                self.invalidate()
        stored = conn.documents_now()
        generation = (stored.metadata or {}).get("generation")
        with conn.lock:
            if self.committed.cache is None and not self.lexical_at:  # nothing read yet, nothing stale
                self.committed.generation = generation
                return switched
            if generation == self.committed.generation and conn.docs is not None and stored.id == conn.docs.id:
                return False
            same = conn.docs is not None and stored.id == conn.docs.id  # not a store made anew
            if not self.chroma_host:  # the embedded store: reload the vectors the other process wrote
                chroma.drop_shared_clients()
            conn.drop()
            self.invalidate(keep_records=same)
            self.committed.generation = generation
            return True

    def sibling(self) -> Index:
        """An empty index on a new store beside this one (for a crash-safe rebuild)."""
        return Index(self.index_dir, self.embedder, self.chroma_host, self.chroma_port, store=chroma.new_store_name())

    def switch_to(self, other: Index) -> None:
        """Serve `other`'s store from now on, in this and (at their next refresh) every process."""
        store = other.connection.fixed
        assert store is not None, "switch only to a sibling (a fixed store)"
        if self.chroma_host:
            chroma.switch_remote(other.connection.client, store)
        else:
            chroma.switch_store(self.index_dir, store)
        with self.connection.lock:
            self.connection.drop()
            self.invalidate()

    # -- versions --------------------------------------------------------------
    def versions(self, doc_id: str) -> list[Version]:
        """A document's earlier versions, newest first (not the text it holds now)."""
        return self.kept.of(doc_id)

    def version_counts(self) -> dict[str, int]:
        """Earlier versions per document id (removed documents included)."""
        return self.kept.counts()

    def version(self, vid: str) -> tuple[Version, str]:
        """A version and its cleaned text."""
        return self.kept.get(vid)

    def adopt_versions(self, old: Index) -> None:
        """For a rebuild: carry over `old`'s versions and the texts the rebuild no longer holds."""
        self.kept.adopt(old.kept)

    # -- documents -------------------------------------------------------------
    def _trusted(self, meta: dict) -> bool:
        """A chunk whose document record committed its version."""
        record = self.records().get(str(meta.get("source", "")))
        return record is not None and record.hash == meta.get("doc_hash")

    def document_text(self, doc_id: str) -> str:
        _, docs = self.open(create=False)
        got = docs.get(ids=[doc_id], include=["documents"])
        if not got["ids"]:
            raise IndexMissing(f"Không có tài liệu '{doc_id}' trong chỉ mục.")
        return got["documents"][0]

    def put_documents(self, docs: list[NewDocument], replacing: set[str] | None = None) -> None:
        """Write several documents with few Chroma calls (each call has a fixed cost).
        Order: all chunks, then the document records (the commit point), then the
        old chunks of documents in `replacing` (all of them when None)."""
        chunk_col, doc_col = self.open()
        ids, embeddings, bodies, metas = [], [], [], []
        records, centroids = [], []
        write = uuid.uuid4().hex
        for doc in docs:
            record, facts = doc.record, doc.record.facts()
            ids += [c.id(record.id, write) for c in doc.chunks]
            embeddings += doc.vectors.tolist()
            bodies += [c.text for c in doc.chunks]
            metas += [
                dict(
                    facts,
                    source=record.id,
                    section=c.section,
                    start=c.start,
                    end=c.end,
                    chunk_index=c.index,
                    doc_hash=record.hash,
                    tokens=" ".join(t),
                )
                for c, t in zip(doc.chunks, doc.tokens)
            ]
            centroids.append(doc.centroid().tolist())
            record.chunks, record.ingested_at = len(doc.chunks), time.strftime("%Y-%m-%dT%H:%M:%S")
            record.write = write
            records.append(record.as_meta())
        key, entry = writes.begin({d.record.id for d in docs})
        self.connection.set_meta(chunk_col, **{key: entry})
        for i in range(0, len(ids), _BATCH):
            chunk_col.upsert(
                ids=ids[i : i + _BATCH],
                embeddings=embeddings[i : i + _BATCH],
                documents=bodies[i : i + _BATCH],
                metadatas=metas[i : i + _BATCH],
            )
        self.kept.keep({d.record.id: d.record.text_hash for d in docs})
        committed = time.time()  # what readers ask for to bring their records up to date
        doc_col.upsert(
            ids=[d.record.id for d in docs],
            embeddings=centroids,
            documents=[d.text for d in docs],
            metadatas=[dict(r, committed=committed) for r in records],
        )
        for doc in docs:
            if replacing is None or doc.record.id in replacing:
                chunk_col.delete(where={"$and": [{"source": doc.record.id}, {"doc_hash": {"$ne": doc.record.hash}}]})
        self.connection.drop_meta(chunk_col, key)
        writes.finished(key)
        self.commit()

    def set_access(self, doc_id: str, **change: str) -> DocRecord:
        """Change who may read a document (its unit, visibility, grants); nothing else is written."""
        _, doc_col = self.open(create=False)
        got = doc_col.get(ids=[doc_id], include=["metadatas"])
        if not got["ids"]:
            raise IndexMissing(f"Không có tài liệu '{doc_id}' trong chỉ mục.")
        meta = dict(got["metadatas"][0], **change, committed=time.time())
        self.kept.set_access(doc_id, change)  # its earlier versions are read as it is now
        doc_col.update(ids=[doc_id], metadatas=[meta])
        self.commit()
        return DocRecord.from_meta(doc_id, meta)

    def remove_document(self, doc_id: str) -> None:
        chunk_col, doc_col = self.open()
        self.kept.keep({doc_id: None})
        doc_col.delete(ids=[doc_id])
        chunk_col.delete(where={"source": doc_id})
        self.commit()

    def collect_garbage(self) -> int:
        """Delete the chunks of interrupted writes' documents that no record owns."""
        chunk_col, _ = self.open()
        stale = writes.abandoned(self.connection.stored_meta(chunk_col.name))
        pending, records = {doc_id for docs in stale.values() for doc_id in docs}, self.records()
        for doc_id in pending:
            record = records.get(doc_id)
            chunk_col.delete(
                where={"source": doc_id}
                if record is None
                else {"$and": [{"source": doc_id}, {"doc_hash": {"$ne": record.hash}}]}
            )
        if stale:
            self.connection.drop_meta(chunk_col, *stale)
        return len(pending)

    # -- search ----------------------------------------------------------------
    def lexical(self) -> LexicalIndex:
        """The BM25 index, brought up to the committed documents (a cost proportional to what changed)."""
        with self.connection.lock:
            fp = self.fingerprint()
            if self.lexical_index is not None and self.lexical_at == fp:
                return self.lexical_index
            self.refresh()  # sync to what is committed now, never to an older reading of it
            fp = self.fingerprint()
            path = self.cache_path("lexical")
            if self.lexical_index is None or self.lexical_index.path != path:
                if self.lexical_index is not None:
                    self.lexical_index.close()
                self.lexical_index = LexicalIndex(path)
            wanted = {i: r.version for i, r in self.records().items()}
            self.lexical_index.sync(wanted, self._trusted_chunks)
            self.lexical_at = fp
            return self.lexical_index

    def cache_path(self, name: str) -> Path:
        """Where something derived from this store is kept (see `Connection.cache_path`)."""
        return self.connection.cache_path(name)

    def _trusted_chunks(self, doc_ids: list[str]):
        """(chunk id, document id, tokens, text) of the committed chunks of some documents."""
        chunk_col, _ = self.open(create=False)
        where = {"source": {"$in": doc_ids}} if len(doc_ids) > 1 else {"source": doc_ids[0]}
        for cid, m, text in chroma.paged(chunk_col, ["metadatas", "documents"], where=where):
            if self._trusted(m):
                yield cid, m["source"], m.get("tokens", ""), text

    def within(self, sources: set[str] | None) -> set[str] | None:
        """The documents a search may return of those asked (None: any); a reader's view
        (`index.view`) narrows it to what its reader may see."""
        return sources

    def dense_search(self, vector: np.ndarray, k: int, sources: set[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first; higher is better. Only ids and
        distances are read (metadata would cost more than the search); the committed
        chunks are those of the lexical index. A filter is applied after a wider
        search when it selects enough, else in Chroma."""
        chunk_col, _ = self.open(create=False)
        lexical = self.lexical()
        total = len(lexical)
        if not total or (sources is not None and not sources):
            return []
        want = 2 * k + 10
        wide = want if sources is None else int(want * 1.5 * len(self.records()) / len(sources))
        if wide <= _WIDEST:
            found = self._nearest(chunk_col, vector, min(wide, total), None, lexical)
            if sources is not None:
                found = [(cid, sim, src) for cid, sim, src in found if src in sources]
            if sources is None or len(found) >= k or wide >= total:
                return [(cid, sim) for cid, sim, _ in found[:k]]
        where = {"source": {"$in": sorted(sources or ())}}
        return [(cid, sim) for cid, sim, _ in self._nearest(chunk_col, vector, min(want, total), where, lexical)[:k]]

    @staticmethod
    def _nearest(
        chunk_col, vector: np.ndarray, n: int, where: dict | None, lexical: LexicalIndex
    ) -> list[tuple[str, float, str]]:
        """(chunk id, similarity, document id) of committed chunks (those the lexical index holds)."""
        got = chunk_col.query(query_embeddings=[vector.tolist()], n_results=n, where=where, include=["distances"])
        committed = lexical.sources(got["ids"][0])
        return [
            (cid, 1.0 - float(d), committed[cid])
            for cid, d in zip(got["ids"][0], got["distances"][0])
            if cid in committed
        ]

    def nearest_documents(self, vector: np.ndarray, k: int) -> list[str]:
        """Committed documents whose centroid is nearest to a vector, nearest first."""
        _, doc_col = self.open(create=False)
        total = doc_col.count()
        if total == 0:
            return []
        got = doc_col.query(query_embeddings=[vector.tolist()], n_results=min(total, k), include=[])
        return got["ids"][0]  # a document record is written at commit: only committed ones

    def _passage(self, cid: str, text: str, meta: dict) -> Passage:
        """A stored chunk as a passage; its document facts are those stored on the chunk."""
        source = meta.get("source", "")
        committed = self.records().get(source) or DocRecord(id=source)
        record = replace(committed, **{k: meta[k] for k in CHUNK_FACTS if k in meta})
        return Passage(cid, text, int(meta.get("start", 0)), int(meta.get("end", 0)), meta.get("section", ""), record)

    def passages(self, ids: list[str]) -> list[Passage]:
        """Passages for chunk ids, in the order asked."""
        if not ids:
            return []
        chunk_col, _ = self.open(create=False)
        got = chunk_col.get(ids=list(ids), include=["documents", "metadatas"])
        by_id = {
            cid: self._passage(cid, text, m) for cid, text, m in zip(got["ids"], got["documents"], got["metadatas"])
        }
        return [by_id[i] for i in ids if i in by_id]

    def section_at(self, doc_id: str, pos: int) -> str:
        """The heading path of the chunk holding character `pos` of a document."""
        with self.connection.lock:
            spans = self.sections.get(doc_id)
            if spans is None:
                chunk_col, _ = self.open(create=False)
                got = chunk_col.get(where={"source": doc_id}, include=["metadatas"])
                spans = sorted((m["start"], m["end"], m.get("section", "")) for m in got["metadatas"])
                self.sections[doc_id] = spans
        best = ""
        for start, end, section in spans:
            if start <= pos < end:
                return section
            if start <= pos:
                best = section
        return best

    def chunk_count(self) -> int:
        return self.open(create=False)[0].count()


def open_index(settings: Settings, index_dir: Path | None = None) -> Index:
    """The index of the settings (or `index_dir`), with the configured model and store."""
    return Index(
        index_dir or settings.index_dir,
        get_embedder(settings.embedding_model),
        settings.chroma_host,
        settings.chroma_port,
    )
