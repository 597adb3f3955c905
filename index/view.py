"""The index as one person may see it. Everything that reads documents takes an index;
given this view, it finds only the documents the person may read: records, texts,
passages, searches, sections and versions. The decision itself is the caller's
(`sees(record)`, from `accounts.access`); a document the person may not read is missing,
with the same message as one that does not exist."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from errors import IndexMissing
from index.records import DocRecord, Passage
from index.store import Index
from index.versions import Version


class ReaderView(Index):
    """Reads through `base`, limited to the documents `sees` admits; writes and the rest
    go to `base` (writes are checked where they are asked for)."""

    def __init__(self, base: Index, sees: Callable[[DocRecord], bool]) -> None:  # no super(): all state is base's
        self.base = base
        self.sees = sees
        self._seen: tuple[dict[str, DocRecord], dict[str, DocRecord]] | None = None

    def __getattr__(self, name: str):  # index_dir, embedder, connection…
        return getattr(self.base, name)

    def records(self) -> dict[str, DocRecord]:
        """The readable records; one dict per reading of the base's (filters cache by it)."""
        every = self.base.records()
        seen = self._seen
        if seen is None or seen[0] is not every:
            seen = self._seen = (every, {i: r for i, r in every.items() if self.sees(r)})
        return seen[1]

    def within(self, sources: set[str] | None) -> set[str]:
        readable = set(self.records())
        return readable if sources is None else sources & readable

    def _readable(self, doc_id: str) -> bool:
        return doc_id in self.records()

    def document_text(self, doc_id: str) -> str:
        if not self._readable(doc_id):
            raise IndexMissing(f"Không có tài liệu '{doc_id}' trong chỉ mục.")
        return self.base.document_text(doc_id)

    def passages(self, ids: list[str]) -> list[Passage]:
        readable = self.records()
        return [p for p in self.base.passages(ids) if p.source in readable]

    def dense_search(self, vector: np.ndarray, k: int, sources: set[str] | None = None) -> list[tuple[str, float]]:
        return self.base.dense_search(vector, k, self.within(sources))

    def nearest_documents(self, vector: np.ndarray, k: int) -> list[str]:
        readable = self.records()
        return [i for i in self.base.nearest_documents(vector, k) if i in readable]

    def section_at(self, doc_id: str, pos: int) -> str:
        return self.base.section_at(doc_id, pos) if self._readable(doc_id) else ""

    def versions(self, doc_id: str) -> list[Version]:
        """Earlier versions of a readable document, or of a removed one whose versions it may read."""
        current = self.base.records().get(doc_id)
        if current is not None and not self.sees(current):
            return []
        return [v for v in self.base.versions(doc_id) if self.sees(v.record)]

    def version_counts(self) -> dict[str, int]:
        every, readable = self.base.records(), self.records()
        counts = self.base.version_counts()
        return {i: n for i, n in counts.items() if i in readable or (i not in every and self.versions(i))}

    def version(self, vid: str) -> tuple[Version, str]:
        doc_id = vid.rpartition("@")[0]
        if not any(v.id == vid for v in self.versions(doc_id)):
            raise IndexMissing(f"Không có phiên bản '{vid}' trong chỉ mục.")
        return self.base.version(vid)


def _delegate(name: str):
    def call(self, *args, **kwargs):
        return getattr(self.base, name)(*args, **kwargs)

    call.__name__ = name
    return call


# Every other method of the index runs on the base itself (its state is there, not here).
for _name, _value in list(vars(Index).items()):
    if callable(_value) and not _name.startswith("__") and _name not in vars(ReaderView):
        setattr(ReaderView, _name, _delegate(_name))
