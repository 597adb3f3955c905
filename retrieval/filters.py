"""Metadata filters (locality by old or new name, years, document type, document)
that select the documents both retrievers may return."""
from __future__ import annotations

from dataclasses import dataclass, field

from index.records import DocRecord, Passage
from vietnamese.normalize import fold


@dataclass
class Filters:
    localities: list[str] = field(default_factory=list)  # old or new names, any accents
    year_from: int | None = None
    year_to: int | None = None
    doc_types: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def active(self) -> bool:
        return bool(self.localities or self.year_from or self.year_to or self.doc_types or self.sources)

    def admits(self, record: DocRecord) -> bool:
        year = int(record.year or 0)
        wanted = {fold(x) for x in self.localities}
        types = {x.lower() for x in self.doc_types}
        if wanted and not (place_keys(record) & wanted):
            return False
        if self.year_from and (not year or year < self.year_from):
            return False
        if self.year_to and (not year or year > self.year_to):
            return False
        if types and record.doc_type.lower() not in types:
            return False
        return not self.sources or record.id in self.sources


def place_keys(record: DocRecord) -> set[str]:
    """Folded names a document answers to: as named, old province, new province."""
    return {fold(name) for name in record.place_keys() if name}


def allowed_sources(records: dict[str, DocRecord], filters: Filters | None) -> set[str] | None:
    """Ids of the documents the filters admit; None when no filter is set."""
    if filters is None or not filters.active():
        return None
    return {doc_id for doc_id, record in records.items() if filters.admits(record)}


def about_place(places: set[str], passages: list[Passage]) -> list[Passage]:
    """With places named (folded), only the passages about one of them or mentioning it."""
    if not places:
        return passages
    return [p for p in passages if any(place in fold(p.context()) for place in places)]
