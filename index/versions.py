"""Earlier versions of documents. Before a write replaces a document's text, or a
removal drops it, its record and text are copied to the `versions` collection, so
nothing an official once cited is lost: it can be shown and restored. A change of
metadata or of the pipeline alone (same cleaned text) keeps no version. Versions are
never searched: they carry a one-number placeholder vector, so they outlive a change
of embedding model."""

from __future__ import annotations

import time
from dataclasses import dataclass

from index import chroma
from index.chroma import DOCUMENTS, VERSIONS
from index.records import DocRecord

_PLACEHOLDER = [1.0]


@dataclass
class Version:
    id: str  # "<document id>@<hash prefix>"
    record: DocRecord
    replaced_at: str

    def label(self) -> str:
        return f"{self.replaced_at.replace('T', ' ')} · {self.record.chars:,} ký tự · mã {self.record.hash[:8]}"


def version_id(doc_id: str, meta: dict) -> str:
    return f"{doc_id}@{meta.get('hash', '')[:16]}"


class Versions:
    """Part of `Index` (kept apart for size): keeping, listing and reading versions."""

    def _collection(self, base: str):
        """A collection of this index's store, read without the embedding-model check."""
        with self._lock:
            self._client = self._client or self._connect()
        return self._client.get_or_create_collection(self._name(base), embedding_function=None)

    def _versions(self):
        return self._collection(VERSIONS)

    def _keep_versions(self, replaced: dict[str, str | None]) -> None:
        """Before a write: keep the committed documents it replaces (id -> new text hash,
        None when removed), unless the text stays the same. Reads only those documents."""
        self._copy_to_versions(self, list(replaced), lambda i, m: m.get("text_hash") != replaced[i])

    def _copy_to_versions(self, source, ids: list[str], keep=lambda i, m: True) -> None:
        """Copy the committed documents of `source` (this index or an older one) with these ids."""
        docs, now = source._collection(DOCUMENTS), time.strftime("%Y-%m-%dT%H:%M:%S")
        for start in range(0, len(ids), 256):  # few SQL variables per statement
            got = docs.get(ids=ids[start : start + 256], include=["documents", "metadatas"])
            rows = [(i, m, text) for i, m, text in zip(got["ids"], got["metadatas"], got["documents"]) if keep(i, m)]
            if rows:
                self._versions().upsert(
                    ids=[version_id(i, m) for i, m, _ in rows],
                    documents=[t for *_, t in rows],
                    embeddings=[_PLACEHOLDER] * len(rows),
                    metadatas=[dict(m, doc_id=i, replaced_at=now) for i, m, _ in rows],
                )

    def versions(self, doc_id: str) -> list[Version]:
        """A document's earlier versions, newest first (not the text it holds now)."""
        got = self._versions().get(where={"doc_id": doc_id}, include=["metadatas"])
        current = self.records().get(doc_id)
        found = [
            Version(vid, DocRecord.from_meta(doc_id, m), m.get("replaced_at", ""))
            for vid, m in zip(got["ids"], got["metadatas"])
            if current is None or m.get("text_hash") != current.text_hash
        ]
        return sorted(found, key=lambda v: v.replaced_at, reverse=True)

    def version_counts(self) -> dict[str, int]:
        """Earlier versions per document id (removed documents included), as `versions` lists them."""
        records, counts = self.records(), {}
        for _, meta, _ in chroma.paged(self._versions(), ["metadatas"]):
            doc_id = meta["doc_id"]
            if doc_id not in records or meta.get("text_hash") != records[doc_id].text_hash:
                counts[doc_id] = counts.get(doc_id, 0) + 1
        return counts

    def version(self, vid: str) -> tuple[Version, str]:
        """A version and its cleaned text."""
        from errors import IndexMissing

        got = self._versions().get(ids=[vid], include=["metadatas", "documents"])
        if not got["ids"]:
            raise IndexMissing(f"Không có phiên bản '{vid}' trong chỉ mục.")
        meta = got["metadatas"][0]
        return Version(vid, DocRecord.from_meta(meta["doc_id"], meta), meta.get("replaced_at", "")), got["documents"][0]

    def adopt_versions(self, old) -> None:
        """For a rebuild: carry over `old`'s versions, and keep as versions its documents
        whose text the rebuilt index no longer holds (whatever model built `old`)."""
        rows = list(chroma.paged(old._versions(), ["metadatas", "documents"]))
        for start in range(0, len(rows), 256):
            part = rows[start : start + 256]
            self._versions().upsert(
                ids=[r[0] for r in part],
                metadatas=[r[1] for r in part],
                documents=[r[2] for r in part],
                embeddings=[_PLACEHOLDER] * len(part),
            )
        mine = self.records()
        earlier = [(i, m) for i, m, _ in chroma.paged(old._collection(DOCUMENTS), ["metadatas"])]
        self._copy_to_versions(old, [i for i, m in earlier if i not in mine or mine[i].text_hash != m.get("text_hash")])
