"""Earlier versions of documents. Before a write replaces a document's text, or a
removal drops it, its record, text and centroid are copied to the `versions`
collection, so nothing an official once cited is lost: it can be shown and restored.
A change of metadata or of the pipeline alone (same cleaned text) keeps no version."""
from __future__ import annotations

import time
from dataclasses import dataclass

from index import chroma
from index.chroma import VERSIONS
from index.records import DocRecord


@dataclass
class Version:
    id: str  # "<document id>@<hash prefix>"
    record: DocRecord
    replaced_at: str

    def label(self) -> str:
        return f"{self.replaced_at.replace('T', ' ')} · {self.record.chars:,} ký tự · mã {self.record.hash[:8]}"


def version_id(record: DocRecord) -> str:
    return f"{record.id}@{record.hash[:16]}"


class Versions:
    """Part of `Index` (kept apart for size): keeping, listing and reading versions."""

    def _versions(self):
        self.open()
        return self._client.get_or_create_collection(
            self._name(VERSIONS), embedding_function=None, metadata={"embedding_model": self.embedder.name},
            configuration={"hnsw": {"space": "cosine"}})

    def _keep_versions(self, replaced: dict[str, str | None]) -> None:
        """Before a write: keep the committed records it replaces (id -> new text hash,
        None when removed), unless the text stays the same."""
        records = self.records()
        self._copy_to_versions(self, {i: records[i] for i, text_hash in replaced.items()
                                      if i in records and records[i].text_hash != text_hash})

    def _copy_to_versions(self, source, records: dict[str, DocRecord]) -> None:
        """Copy these committed documents of `source` (this index or an older one) as versions."""
        if not records:
            return
        _, doc_col = source.open()
        ids, now = list(records), time.strftime("%Y-%m-%dT%H:%M:%S")
        for start in range(0, len(ids), 256):  # few SQL variables per statement
            got = doc_col.get(ids=ids[start:start + 256], include=["documents", "metadatas", "embeddings"])
            self._versions().upsert(
                ids=[version_id(records[i]) for i in got["ids"]], documents=got["documents"],
                embeddings=got["embeddings"], metadatas=[dict(m, doc_id=i, replaced_at=now)
                                                         for i, m in zip(got["ids"], got["metadatas"])])

    def versions(self, doc_id: str) -> list[Version]:
        """A document's earlier versions, newest first (not the one restored as current)."""
        got = self._versions().get(where={"doc_id": doc_id}, include=["metadatas"])
        current = self.records().get(doc_id)
        found = [Version(vid, DocRecord.from_meta(doc_id, m), m.get("replaced_at", ""))
                 for vid, m in zip(got["ids"], got["metadatas"])
                 if current is None or m.get("text_hash") != current.text_hash]
        return sorted(found, key=lambda v: v.replaced_at, reverse=True)

    def version_counts(self) -> dict[str, int]:
        """How many earlier versions each document has (one paged read of the versions)."""
        counts: dict[str, int] = {}
        for _, meta, _ in chroma.paged(self._versions(), ["metadatas"]):
            counts[meta["doc_id"]] = counts.get(meta["doc_id"], 0) + 1
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
        whose text the rebuilt index no longer holds."""
        earlier = old.records()  # IndexMissing when there was no earlier index
        source, offset = old._versions(), 0
        while True:
            got = source.get(include=["metadatas", "documents", "embeddings"], limit=256, offset=offset)
            if not got["ids"]:
                break
            self._versions().upsert(ids=got["ids"], metadatas=got["metadatas"], documents=got["documents"],
                                    embeddings=got["embeddings"])
            offset += len(got["ids"])
        mine = self.records()
        self._copy_to_versions(old, {i: r for i, r in earlier.items()
                                     if i not in mine or mine[i].text_hash != r.text_hash})
