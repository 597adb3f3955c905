"""The index: Chroma holds chunks (embeddings, BM25 tokens) and one record per document
(cleaned text, metadata); the BM25 index is a local cache rebuilt from Chroma.

Crash safety: a write lists its documents as pending, writes their chunks, then their
records (the commit point), then deletes their old chunks. Readers trust only chunks whose
`doc_hash` is their record's hash; the next write deletes what a killed one left
(`index/writes.py`: never what another process is still writing).
Freshness: each commit stores a new generation; `refresh()` compares it and drops caches.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path

import numpy as np

from errors import IndexMissing, IndexModelMismatch
from index import chroma, writes
from index.chroma import CHUNKS, DOCUMENTS
from index.embedding import Embedder, get_embedder
from index.freshness import Freshness
from index.lexical import LexicalIndex
from index.records import CHUNK_FACTS, DocRecord, NewDocument, Passage
from index.versions import Versions
from settings import Settings

REBUILD_HINT = "python -m ingest --rebuild"
_BATCH = 256
_WIDEST = 2000  # nearest chunks read unfiltered before a filter falls back to Chroma's `where`


class Index(Freshness, Versions):
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
        self._client = None
        self._store = store  # a fixed store folder (a rebuild's new one); None: the current one
        self._connected = ""  # the store folder the client was opened on
        self._chunks = None
        self._docs = None
        self._records: dict[str, DocRecord] | None = None
        self._stale = False  # records to bring up to date (those committed since `_read_at`)
        self._read_at = self._whole_at = 0.0
        self._fingerprint: str | None = None
        self._lexical: LexicalIndex | None = None
        self._lexical_at = ""  # the fingerprint the lexical index was synced to
        self._generation: str | None = None  # the store's generation the caches were read at
        self._epoch = chroma.epoch
        self._sections: dict[str, list[tuple[int, int, str]]] = {}  # doc id -> chunk spans, for section_at
        self._lock = threading.RLock()

    # -- opening -------------------------------------------------------------
    def _connect(self):
        if self.chroma_host:
            client = chroma.connect(self.index_dir, self.chroma_host, self.chroma_port)
            self._connected = self._store or chroma.remote_store(client)
            return client
        self._connected = self._store or chroma.current_store(self.index_dir)
        return chroma.connect(self.index_dir / self._connected, None, self.chroma_port)

    def _name(self, base: str) -> str:
        """A collection of the store in use (on a server, stores share one namespace)."""
        return chroma.named(self._connected, base) if self.chroma_host else base

    def open(self, create: bool = True):
        """(chunks, documents) collections; with `create`, made when absent."""
        with self._lock:
            if self._epoch != chroma.epoch:  # shared clients dropped since this index connected
                self._client = self._chunks = self._docs = None
                self._epoch = chroma.epoch
            if self._chunks is not None:
                return self._chunks, self._docs
            store = self.index_dir / (self._store or chroma.current_store(self.index_dir))
            if not create and not self.chroma_host and not store.exists():
                raise IndexMissing(f"Chưa có chỉ mục tại {self.index_dir}. Hãy chạy: python -m ingest")
            self._client = self._client or self._connect()
            meta = {"embedding_model": self.embedder.name}
            cols = []
            for name in (CHUNKS, DOCUMENTS):
                col = self._client.get_or_create_collection(
                    self._name(name),
                    embedding_function=None,
                    metadata=meta,
                    configuration={"hnsw": {"space": "cosine"}},
                )
                built_with = (col.metadata or {}).get("embedding_model")
                if built_with != self.embedder.name:
                    raise IndexModelMismatch(
                        f"Chỉ mục được tạo bằng mô hình nhúng '{built_with}', nhưng đang dùng "
                        f"'{self.embedder.name}'. Hãy tạo lại chỉ mục: {REBUILD_HINT}"
                    )
                cols.append(col)
            self._chunks, self._docs = cols
            return self._chunks, self._docs

    def _invalidate(self, keep_records: bool = False) -> None:
        """Drop what a commit made stale; `keep_records`: to bring them up to date, not read again."""
        self._stale = keep_records and self._records is not None
        self._records = self._records if self._stale else None
        self._fingerprint = None
        self._lexical_at = ""
        self._sections = {}

    # -- documents -------------------------------------------------------------
    def _trusted(self, meta: dict) -> bool:
        """A chunk whose document record committed its version."""
        record = self.records().get(meta.get("source"))
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
        self._set_meta(chunk_col, **{key: entry})
        for i in range(0, len(ids), _BATCH):
            chunk_col.upsert(
                ids=ids[i : i + _BATCH],
                embeddings=embeddings[i : i + _BATCH],
                documents=bodies[i : i + _BATCH],
                metadatas=metas[i : i + _BATCH],
            )
        self._keep_versions({d.record.id: d.record.text_hash for d in docs})
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
        self._drop_meta(chunk_col, key)
        writes.finished(key)
        self._committed()

    def remove_document(self, doc_id: str) -> None:
        chunk_col, doc_col = self.open()
        self._keep_versions({doc_id: None})
        doc_col.delete(ids=[doc_id])
        chunk_col.delete(where={"source": doc_id})
        self._committed()

    def collect_garbage(self) -> int:
        """Delete the chunks of interrupted writes' documents that no record owns."""
        chunk_col, _ = self.open()
        stale = writes.abandoned(self._stored_meta(chunk_col.name))
        pending, records = {doc_id for docs in stale.values() for doc_id in docs}, self.records()
        for doc_id in pending:
            record = records.get(doc_id)
            chunk_col.delete(
                where={"source": doc_id}
                if record is None
                else {"$and": [{"source": doc_id}, {"doc_hash": {"$ne": record.hash}}]}
            )
        if stale:
            self._drop_meta(chunk_col, *stale)
        return len(pending)

    # -- search ----------------------------------------------------------------
    def fingerprint(self) -> str:
        """Identity of the committed document set; derived from the records, cached with them."""
        with self._lock:
            if self._fingerprint is None:
                items = sorted((k, v.hash, v.write) for k, v in self.records().items())
                self._fingerprint = hashlib.sha256(repr(items).encode()).hexdigest()[:24]
            return self._fingerprint

    def lexical(self) -> LexicalIndex:
        """The BM25 index, brought up to the committed documents (a cost proportional to what changed)."""
        with self._lock:
            fp = self.fingerprint()
            if self._lexical is not None and self._lexical_at == fp:
                return self._lexical
            self.refresh()  # sync to what is committed now, never to an older reading of it
            fp = self.fingerprint()
            path = self.cache_path("lexical")
            if self._lexical is None or self._lexical.path != path:
                (self.index_dir / "lexical.pkl").unlink(missing_ok=True)  # what earlier versions kept
                if self._lexical is not None:
                    self._lexical.close()
                self._lexical = LexicalIndex(path)
            wanted = {i: r.version for i, r in self.records().items()}
            self._lexical.sync(wanted, self._trusted_chunks)
            self._lexical_at = fp
            return self._lexical

    def cache_path(self, name: str) -> Path:
        """Where something derived from this store is kept: inside the store folder (gone with
        it) when embedded; with a server, a local cache per store."""
        self.open(create=False)
        return self.index_dir / (f"{name}-{self._connected}" if self.chroma_host else f"{self._connected}/{name}")

    def _trusted_chunks(self, doc_ids: list[str]):
        """(chunk id, document id, tokens, text) of the committed chunks of some documents."""
        chunk_col, _ = self.open(create=False)
        where = {"source": {"$in": doc_ids}} if len(doc_ids) > 1 else {"source": doc_ids[0]}
        for cid, m, text in chroma.paged(chunk_col, ["metadatas", "documents"], where=where):
            if self._trusted(m):
                yield cid, m["source"], m.get("tokens", ""), text

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
        where = {"source": {"$in": sorted(sources)}}
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

    def chunks_of(self, doc_id: str) -> list[Passage]:
        """Every stored chunk of a document, in reading order."""
        chunk_col, _ = self.open(create=False)
        got = chunk_col.get(where={"source": doc_id}, include=["documents", "metadatas"])
        found = [self._passage(cid, text, m) for cid, text, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(found, key=lambda p: p.start)

    def section_at(self, doc_id: str, pos: int) -> str:
        """The heading path of the chunk holding character `pos` of a document."""
        with self._lock:
            spans = self._sections.get(doc_id)
            if spans is None:
                chunk_col, _ = self.open(create=False)
                got = chunk_col.get(where={"source": doc_id}, include=["metadatas"])
                spans = sorted((m["start"], m["end"], m.get("section", "")) for m in got["metadatas"])
                self._sections[doc_id] = spans
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
