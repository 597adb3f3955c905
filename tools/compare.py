"""Locality comparison: a table locality × indicator whose every cell holds the
value as written and its citation, blank where the documents say nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.records import DocRecord
from index.store import Index
from retrieval.citation import Citation
from retrieval.filters import Filters, allowed_sources
from retrieval.spans import clauses
from tools.facts import cited, facts, span
from vietnamese.normalize import fold

_QUAL = r"(?:(?:gần|trên|dưới|hơn|khoảng|đạt|còn|xuống dưới|lên)\s+)?"
_PERCENT = re.compile(_QUAL + r"\d+(?:,\d+)?\s*%")
_COUNT = r"\d+(?:\.\d{3})*"
_MONEY = re.compile(_QUAL + r"\d+(?:[.,]\d+)*\s*(?:tỷ đồng|triệu đồng|đồng)")
# A target, not a result: "mục tiêu cụ thể phải đạt được", "phấn đấu", "giảm … xuống dưới".
_TARGET = re.compile(
    r"mục tiêu (?:cụ thể|cần đạt|phải đạt)|phải đạt được|phấn đấu|đặt mục tiêu|"
    r"(?:giảm|tăng)\b[^.;]{0,80}\b(?:xuống|lên)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    context: str  # regex that must occur in the clause
    value: str  # regex of the value


INDICATORS = [
    Indicator("suy_dinh_duong", "Tỷ lệ trẻ dưới 5 tuổi suy dinh dưỡng", r"suy dinh dưỡng", _PERCENT.pattern),
    Indicator("bhyt", "Trẻ em dưới 6 tuổi được cấp thẻ bảo hiểm y tế", r"thẻ bảo hiểm y tế", _PERCENT.pattern),
    Indicator("tiem_chung", "Trẻ em dưới 1 tuổi được tiêm chủng đầy đủ", r"tiêm chủng đầy đủ", _PERCENT.pattern),
    Indicator("tu_vong_1", "Tỷ suất tử vong trẻ em dưới 1 tuổi", r"tử vong trẻ em dưới 0?1 tuổi", _PERCENT.pattern),
    Indicator("tu_vong_5", "Tỷ suất tử vong trẻ em dưới 5 tuổi", r"tử vong trẻ em dưới 0?5 tuổi", _PERCENT.pattern),
    Indicator("tieu_hoc", "Huy động trẻ vào tiểu học", r"vào tiểu học|bậc tiểu học", _PERCENT.pattern),
    Indicator("thcs", "Huy động trẻ vào trung học cơ sở", r"vào trung học cơ sở|bậc trung học cơ sở", _PERCENT.pattern),
    Indicator("hoan_canh", "Trẻ em có hoàn cảnh đặc biệt", r"hoàn cảnh đặc biệt", _PERCENT.pattern),
    Indicator(
        "xa_phu_hop",
        "Xã, phường, thị trấn phù hợp với trẻ em",
        r"phù hợp với trẻ em",
        _COUNT + r"(?:/\d+)?\s+xã, phường, thị trấn",
    ),
    Indicator(
        "khen_thuong",
        "Khen thưởng (Bằng khen)",
        r"Bằng khen",
        _COUNT + r"\s+tập thể(?:\s+và\s+" + _COUNT + r"\s+cá nhân)?",
    ),
    Indicator(
        "boi", "Dạy bơi, lớp học bơi", r"bơi", _COUNT + r"\s+(?:lớp học bơi|học sinh(?: tiểu học| trung học cơ sở)?)"
    ),
    Indicator("tap_huan", "Lượt cán bộ được tập huấn", r"tập huấn", _COUNT + r"\s+lượt cán bộ"),
    Indicator("kinh_phi", "Kinh phí cho công tác trẻ em", r"kinh phí|ngân sách|số tiền|hỗ trợ|chi từ", _MONEY.pattern),
]


@dataclass
class Cell:
    value: str
    kind: str  # "kết quả" or "mục tiêu"
    citation: Citation

    def as_dict(self) -> dict:
        return {"value": self.value, "kind": self.kind, "citation": self.citation.as_dict()}


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
    indicators: list[Indicator]  # those with at least one cell
    rows: list[Row]

    def as_dict(self) -> dict:
        return {
            "indicators": [{"key": i.key, "label": i.label} for i in self.indicators],
            "rows": [row.as_dict() for row in self.rows],
        }

    def cells(self) -> list[tuple[Row, Indicator, Cell]]:
        """Every cell in reading order of the table."""
        return [(row, ind, cell) for row in self.rows for ind in self.indicators for cell in row.cells.get(ind.key, [])]


def _row_name(record: DocRecord) -> str:
    return record.locality or f"Không rõ địa phương ({record.id})"


def compare(index: Index, localities: list[str] | None = None, indicators: list[str] | None = None) -> Table:
    records = index.records()
    allowed = allowed_sources(records, Filters(localities=localities or []))
    chosen = [i for i in INDICATORS if not indicators or i.key in indicators]
    keys = {i.key for i in chosen}
    found = facts(
        index, "compare", [r for d, r in sorted(records.items()) if allowed is None or d in allowed], cells_in
    )
    rows: dict[str, Row] = {}
    for doc_id, items in found.items():
        record = records[doc_id]
        name = _row_name(record)
        row = rows.setdefault(name, Row(name, record.province_new, []))
        row.sources.append(doc_id)
        for item in (x for x in items if x["indicator"] in keys):
            cells = row.cells.setdefault(item["indicator"], [])
            if not any(fold(c.value) == fold(item["value"]) for c in cells):
                cells.append(Cell(item["value"], item["kind"], cited(item, record)))
    used = [i for i in chosen if any(i.key in row.cells for row in rows.values())]
    table = Table(used, list(rows.values()))
    for n, (_, _, cell) in enumerate(table.cells(), 1):  # number citations in reading order of the table
        cell.citation.n = n
    return table


def cells_in(record: DocRecord, text: str, section_at) -> list[dict]:
    """The values one document's clauses hold for every indicator (kept per document version)."""
    found: list[dict] = []
    for a, b in clauses(text):
        clause = text[a:b]
        for ind in INDICATORS:
            if not re.search(ind.context, clause, re.IGNORECASE):
                continue
            for m in re.finditer(ind.value, clause):
                value = m.group(0).strip()
                if any(f["indicator"] == ind.key and fold(f["value"]) == fold(value) for f in found):
                    continue
                para = text[text.rfind("\n", 0, a) + 1 : a]
                kind = "mục tiêu" if _TARGET.search(para + clause) else "kết quả"
                start = a + len(clause) - len(clause.lstrip())
                end = b - (len(clause) - len(clause.rstrip()))
                found.append(
                    {"indicator": ind.key, "value": value, "kind": kind, **span(text, start, end, section_at, record)}
                )
    return found
