"""Earlier versions of documents. Before a write replaces a document's text, or a
removal drops it, its record and text are copied to the `versions` collection, so
nothing an official once cited is lost: it can be shown and restored. A change of
metadata or of the pipeline alone (same cleaned text) keeps no version. Versions are
never searched: they carry a one-number placeholder vector, so they outlive a change
of embedding model."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from errors import IndexMissing
from index import chroma
from index.chroma import DOCUMENTS, VERSIONS
from index.connection import Connection
from index.records import DocRecord
from vietnamese.numbers import number_vi

_PLACEHOLDER = [1.0]


@dataclass
class Version:
    id: str  # "<document id>@<hash prefix>"
    record: DocRecord
    replaced_at: str

    def label(self) -> str:
        return (
            f"{self.replaced_at.replace('T', ' ')} · {number_vi(self.record.chars)} ký tự · mã {self.record.hash[:8]}"
        )


def version_id(doc_id: str, meta: dict) -> str:
    return f"{doc_id}@{meta.get('hash', '')[:16]}"


class Versions:
    """Keeping, listing and reading the earlier versions of one connection's documents."""

    def __init__(self, conn: Connection, records: Callable[[], dict[str, DocRecord]]) -> None:
        self.conn = conn
        self.records = records

    def collection(self):
        return self.conn.collection(VERSIONS)

    def keep(self, replaced: dict[str, str | None]) -> None:
        """Before a write: keep the committed documents it replaces (id -> new text hash,
        None when removed), unless the text stays the same. Reads only those documents."""
        self.copy_from(self.conn, list(replaced), lambda i, m: m.get("text_hash") != replaced[i])

    def copy_from(self, source: Connection, ids: list[str], keep=lambda i, m: True) -> None:
        """Copy the committed documents of `source` (this store or an older one) with these ids."""
        docs, now = source.collection(DOCUMENTS), time.strftime("%Y-%m-%dT%H:%M:%S")
        for start in range(0, len(ids), 256):  # few SQL variables per statement
            got = docs.get(ids=ids[start : start + 256], include=["documents", "metadatas"])
            rows = [(i, m, text) for i, m, text in zip(got["ids"], got["metadatas"], got["documents"]) if keep(i, m)]
            if rows:
                self.collection().upsert(
                    ids=[version_id(i, m) for i, m, _ in rows],
                    documents=[t for *_, t in rows],
                    embeddings=[_PLACEHOLDER] * len(rows),
                    metadatas=[dict(m, doc_id=i, replaced_at=now) for i, m, _ in rows],
                )

    def set_access(self, doc_id: str, change: dict) -> None:
        """Who may read the document's versions: as the document now (`Index.set_access`)."""
        got = self.collection().get(where={"doc_id": doc_id}, include=["metadatas"])
        if got["ids"]:
            self.collection().update(ids=got["ids"], metadatas=[dict(m, **change) for m in got["metadatas"]])

    def of(self, doc_id: str) -> list[Version]:
        """A document's earlier versions, newest first (not the text it holds now)."""
        got = self.collection().get(where={"doc_id": doc_id}, include=["metadatas"])
        current = self.records().get(doc_id)
        found = [
            Version(vid, DocRecord.from_meta(doc_id, m), m.get("replaced_at", ""))
            for vid, m in zip(got["ids"], got["metadatas"])
            if current is None or m.get("text_hash") != current.text_hash
        ]
        return sorted(found, key=lambda v: v.replaced_at, reverse=True)

    def counts(self) -> dict[str, int]:
        """Earlier versions per document id (removed documents included), as `of` lists them."""
        records = self.records()
        counts: dict[str, int] = {}
        for _, meta, _ in chroma.paged(self.collection(), ["metadatas"]):
            doc_id = meta["doc_id"]
            if doc_id not in records or meta.get("text_hash") != records[doc_id].text_hash:
                counts[doc_id] = counts.get(doc_id, 0) + 1
        return counts

    def get(self, vid: str) -> tuple[Version, str]:
        """A version and its cleaned text."""
        got = self.collection().get(ids=[vid], include=["metadatas", "documents"])
        if not got["ids"]:
            raise IndexMissing(f"Không có phiên bản '{vid}' trong chỉ mục.")
        meta = got["metadatas"][0]
        return Version(vid, DocRecord.from_meta(meta["doc_id"], meta), meta.get("replaced_at", "")), got["documents"][0]

    def adopt(self, old: Versions) -> None:
        """For a rebuild: carry over `old`'s versions, and keep as versions its documents
        whose text the rebuilt index no longer holds (whatever model built `old`)."""
        rows = list(chroma.paged(old.collection(), ["metadatas", "documents"]))
        for start in range(0, len(rows), 256):
            part = rows[start : start + 256]
            self.collection().upsert(
                ids=[r[0] for r in part],
                metadatas=[r[1] for r in part],
                documents=[r[2] for r in part],
                embeddings=[_PLACEHOLDER] * len(part),
            )
        mine = self.records()
        earlier = [(i, m) for i, m, _ in chroma.paged(old.conn.collection(DOCUMENTS), ["metadatas"])]
        self.copy_from(old.conn, [i for i, m in earlier if i not in mine or mine[i].text_hash != m.get("text_hash")])
