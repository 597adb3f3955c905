"""Locality comparison: a table locality × measure whose every cell holds the figures a
document reports for that measure, each with its citation, whether it is a result or a
target, and its year; blank where the documents say nothing. Figures come from
tools.figures, which leaves out a number whose own words name no measure."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.records import DocRecord
from index.store import Index
from retrieval.citation import Citation
from retrieval.filters import Filters, allowed_sources
from tools.facts import cited, facts, span
from tools.figures import TARGET, figures_in
from tools.measures import BY_KEY, MEASURES, Measure
from vietnamese.normalize import fold
from vietnamese.numbers import date_vi

Indicator = Measure  # the page's word for a measure


@dataclass
class Cell:
    value: str
    kind: str  # "kết quả" or "mục tiêu"
    citation: Citation
    number: float = 0.0
    unit: str = ""
    year: str = ""
    counts: str = ""  # the words that say what the figure counts

    @property
    def is_target(self) -> bool:
        return self.kind == TARGET

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "kind": self.kind,
            "number": self.number,
            "unit": self.unit,
            "year": self.year,
            "counts": self.counts,
            "citation": self.citation.as_dict(),
        }


@dataclass
class Row:
    locality: str
    province_new: str
    sources: list[str]
    cells: dict[str, list[Cell]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "locality": self.locality,
            "province_new": self.province_new,
            "sources": self.sources,
            "cells": {k: [c.as_dict() for c in v] for k, v in self.cells.items()},
        }


@dataclass
class Table:
    indicators: list[Measure]  # those with at least one cell, in catalogue order
    rows: list[Row]

    def as_dict(self) -> dict:
        return {
            "indicators": [{"key": i.key, "label": i.label, "unit": i.unit} for i in self.indicators],
            "rows": [row.as_dict() for row in self.rows],
        }

    def cells(self) -> list[tuple[Row, Measure, Cell]]:
        """Every cell in reading order of the table (measure by measure, as the page shows it)."""
        return [(row, ind, cell) for ind in self.indicators for row in self.rows for cell in row.cells.get(ind.key, [])]


def row_name(record: DocRecord) -> str:
    """A locality, or for a document that names none, what a reader knows it by: the first
    words of its title and its date (never its file name)."""
    if record.locality:
        return record.locality
    words = record.title.split()
    title = " ".join(words[:8]).rstrip(",;:") + ("…" if len(words) > 8 else "")
    day = date_vi(record.date)
    return f"Chưa rõ địa phương: «{title}»" + (f", {day}" if day else "")


def compare(index: Index, localities: list[str] | None = None, indicators: list[str] | None = None) -> Table:
    records = index.records()
    allowed = allowed_sources(records, Filters(localities=localities or []))
    keys = set(indicators or BY_KEY)
    found = facts(
        index, "figures", [r for d, r in sorted(records.items()) if allowed is None or d in allowed], cells_in
    )
    rows: dict[str, Row] = {}
    for doc_id, items in found.items():
        record = records[doc_id]
        name = row_name(record)
        row = rows.setdefault(name, Row(name, record.province_new, []))
        row.sources.append(doc_id)
        for item in (x for x in items if x["measure"] in keys):
            cells = row.cells.setdefault(item["measure"], [])
            if not any(fold(c.value) == fold(item["value"]) and c.kind == item["kind"] for c in cells):
                cells.append(
                    Cell(
                        item["value"],
                        item["kind"],
                        cited(item, record),
                        item["number"],
                        item["unit"],
                        item["year"],
                        item["counts"],
                    )
                )
    used = [m for m in MEASURES if any(m.key in row.cells for row in rows.values())]
    table = Table(used, list(rows.values()))
    for n, (_, _, cell) in enumerate(table.cells(), 1):  # number citations in reading order of the table
        cell.citation.n = n
    return table


def cells_in(record: DocRecord, text: str, section_at) -> list[dict]:
    """The figures of one document (kept per document version by tools.facts)."""
    return [
        {**f.as_dict(), "measure": f.measure, **span(text, f.start, f.end, section_at, record)}
        for f in figures_in(text)
    ]
