"""Metadata filters (locality by old or new name, years, document type, document)
that select the documents both retrievers may return."""

from __future__ import annotations

from collections import defaultdict
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


def place_keys(record: DocRecord) -> set[str]:
    """Folded names a document answers to: as named, old province, new province."""
    return {fold(name) for name in record.place_keys() if name}


class Facets:
    """The documents under each place, year and type: a filter costs what it selects,
    not a pass over every document."""

    def __init__(self, records: dict[str, DocRecord]) -> None:
        self.ids = set(records)
        self.by_place: dict[str, set[str]] = defaultdict(set)
        self.by_year: dict[int, set[str]] = defaultdict(set)
        self.by_type: dict[str, set[str]] = defaultdict(set)
        for doc_id, record in records.items():
            for key in place_keys(record):
                self.by_place[key].add(doc_id)
            self.by_year[int(record.year or 0)].add(doc_id)
            self.by_type[record.doc_type.lower()].add(doc_id)

    def allowed(self, f: Filters) -> set[str]:
        chosen = []
        if f.localities:
            chosen.append(set().union(*(self.by_place.get(fold(x), set()) for x in f.localities)))
        if f.year_from or f.year_to:
            chosen.append(
                set().union(
                    *(
                        ids
                        for year, ids in self.by_year.items()
                        if year and (not f.year_from or year >= f.year_from) and (not f.year_to or year <= f.year_to)
                    )
                )
            )
        if f.doc_types:
            chosen.append(set().union(*(self.by_type.get(x.lower(), set()) for x in f.doc_types)))
        if f.sources:
            chosen.append(self.ids & set(f.sources))
        chosen.sort(key=len)
        return chosen[0].intersection(*chosen[1:]) if chosen else set(self.ids)


_facets: tuple[dict, Facets] | None = None  # of the records last filtered (a new dict after every change)


def allowed_sources(records: dict[str, DocRecord], filters: Filters | None) -> set[str] | None:
    """Ids of the documents the filters admit; None when no filter is set."""
    global _facets
    if filters is None or not filters.active():
        return None
    cached = _facets
    if cached is None or cached[0] is not records:
        cached = _facets = (records, Facets(records))
    return cached[1].allowed(filters)


def evidence_pool(places: set[str], periods: set[str], passages: list[Passage], size: int, top: int) -> list[Passage]:
    """The first `size` passages about the places asked; none when a year asked is absent
    from the first `top` of them (every year asked must be there)."""
    pool = about_place(places, passages)[:size]
    if any(not any(year in p.context() for p in pool[:top]) for year in periods):
        return []
    return pool


def about_place(places: set[str], passages: list[Passage]) -> list[Passage]:
    """With places named (folded), only the passages about one of them or mentioning it."""
    if not places:
        return passages
    return [p for p in passages if any(place in fold(p.context()) for place in places)]
