"""Locality comparison: a table locality × indicator whose every cell holds the
value as written and its citation, blank where the documents say nothing.

python -m retrieval.compare [--localities …] [--indicators …] [--out FILE.csv|.xlsx] [--index-dir DIR] [--json]
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.store import Index
from ingest.vntext import fold
from retrieval.answer import Citation, cite
from retrieval.retriever import Filters, allowed_sources

_QUAL = r"(?:(?:gần|trên|dưới|hơn|khoảng|đạt|còn|xuống dưới|lên)\s+)?"
_PERCENT = re.compile(_QUAL + r"\d+(?:,\d+)?\s*%")
_COUNT = r"\d+(?:\.\d{3})*"
_MONEY = re.compile(_QUAL + r"\d+(?:[.,]\d+)*\s*(?:tỷ đồng|triệu đồng|đồng)")
# A target, not a result: "mục tiêu cụ thể phải đạt được", "phấn đấu", "giảm … xuống dưới".
_TARGET = re.compile(r"mục tiêu (?:cụ thể|cần đạt|phải đạt)|phải đạt được|phấn đấu|đặt mục tiêu|"
                     r"(?:giảm|tăng)\b[^.;]{0,80}\b(?:xuống|lên)\b", re.IGNORECASE)


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
    Indicator("thcs", "Huy động trẻ vào trung học cơ sở", r"vào trung học cơ sở|bậc trung học cơ sở",
              _PERCENT.pattern),
    Indicator("hoan_canh", "Trẻ em có hoàn cảnh đặc biệt", r"hoàn cảnh đặc biệt", _PERCENT.pattern),
    Indicator("xa_phu_hop", "Xã, phường, thị trấn phù hợp với trẻ em", r"phù hợp với trẻ em",
              _COUNT + r"(?:/\d+)?\s+xã, phường, thị trấn"),
    Indicator("khen_thuong", "Khen thưởng (Bằng khen)", r"Bằng khen",
              _COUNT + r"\s+tập thể(?:\s+và\s+" + _COUNT + r"\s+cá nhân)?"),
    Indicator("boi", "Dạy bơi, lớp học bơi", r"bơi", _COUNT + r"\s+(?:lớp học bơi|học sinh(?: tiểu học| trung học cơ sở)?)"),
    Indicator("tap_huan", "Lượt cán bộ được tập huấn", r"tập huấn", _COUNT + r"\s+lượt cán bộ"),
    Indicator("kinh_phi", "Kinh phí cho công tác trẻ em", r"kinh phí|ngân sách|số tiền|hỗ trợ|chi từ",
              _MONEY.pattern),
]


@dataclass
class Cell:
    value: str
    kind: str  # "kết quả" or "mục tiêu"
    citation: Citation


@dataclass
class Row:
    locality: str
    province_new: str
    sources: list[str]
    cells: dict[str, list[Cell]] = field(default_factory=dict)


def _clauses(text: str):
    """(start, end) of comma/semicolon clauses; "10,7%" keeps its comma."""
    start = 0
    for m in re.finditer(r"[;.](?:\s|$)|,\s|\n", text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _row_name(record: dict, doc_id: str) -> str:
    return record.get("locality") or f"Không rõ địa phương ({doc_id})"


def compare(index: Index, localities: list[str] | None = None, indicators: list[str] | None = None) -> dict:
    records = index.records()
    allowed = allowed_sources(records, Filters(localities=localities or []))
    chosen = [i for i in INDICATORS if not indicators or i.key in indicators]
    rows: dict[str, Row] = {}
    n = 0
    for doc_id in sorted(records):
        if allowed is not None and doc_id not in allowed:
            continue
        r = records[doc_id]
        name = _row_name(r, doc_id)
        row = rows.setdefault(name, Row(name, r.get("province_new", ""), []))
        row.sources.append(doc_id)
        text = index.document_text(doc_id)
        for a, b in _clauses(text):
            clause = text[a:b]
            for ind in chosen:
                if not re.search(ind.context, clause, re.IGNORECASE):
                    continue
                for m in re.finditer(ind.value, clause):
                    value = m.group(0).strip()
                    cells = row.cells.setdefault(ind.key, [])
                    if any(fold(c.value) == fold(value) for c in cells):
                        continue
                    para = text[text.rfind("\n", 0, a) + 1:a]
                    kind = "mục tiêu" if _TARGET.search(para + clause) else "kết quả"
                    n += 1
                    start = a + len(clause) - len(clause.lstrip())
                    end = b - (len(clause) - len(clause.rstrip()))
                    cells.append(Cell(value, kind, cite(n, r, text[start:end], start, end, doc_id,
                                                        index.section_at(doc_id, start))))
    used = [i for i in chosen if any(i.key in row.cells for row in rows.values())]
    n = 0
    for row in rows.values():  # number citations in reading order of the table
        for ind in used:
            for cell in row.cells.get(ind.key, []):
                n += 1
                cell.citation.n = n
    return {"indicators": [{"key": i.key, "label": i.label} for i in used],
            "rows": [{"locality": row.locality, "province_new": row.province_new, "sources": row.sources,
                      "cells": {k: [asdict(c) for c in v] for k, v in row.cells.items()}}
                     for row in rows.values()]}


def cell_text(cells: list[dict]) -> str:
    return "; ".join(f"{c['value']}{' (mục tiêu)' if c['kind'] == 'mục tiêu' else ''} [{c['citation']['n']}]"
                     for c in cells)


def write_table(table: dict, out: Path) -> None:
    header = ["Địa phương", "Tỉnh (từ 7/2025)"] + [i["label"] for i in table["indicators"]]
    body = [[row["locality"], row["province_new"]] + [cell_text(row["cells"].get(i["key"], []))
                                                     for i in table["indicators"]] for row in table["rows"]]
    sources = [[c["citation"]["n"], c["citation"]["source"], c["citation"]["title"], c["citation"]["locality"],
                c["citation"]["date"], c["citation"]["start"], c["citation"]["end"], c["citation"]["quote"]]
               for row in table["rows"] for cells in row["cells"].values() for c in cells]
    sources.sort(key=lambda s: s[0])
    source_header = ["n", "Tệp", "Tiêu đề", "Địa phương", "Ngày", "Từ ký tự", "Đến ký tự", "Trích dẫn"]
    if out.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        book = Workbook()
        sheet = book.active
        sheet.title = "So sánh"
        for line in [header] + body:
            sheet.append(line)
        cited = book.create_sheet("Trích dẫn")
        for line in [source_header] + sources:
            cited.append(line)
        for ws in (sheet, cited):
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for col in ws.columns:
                ws.column_dimensions[col[0].column_letter].width = 28
                for cell in col:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        book.save(out)
        return
    with open(out, "w", newline="", encoding="utf-8-sig") as f:  # BOM: Excel opens UTF-8 correctly
        writer = csv.writer(f)
        writer.writerows([header] + body + [[]] + [source_header] + sources)


def main(argv: list[str] | None = None) -> int:
    from ingest.embedding import get_embedder
    from settings import Settings

    settings = Settings()
    parser = argparse.ArgumentParser(prog="python -m retrieval.compare")
    parser.add_argument("--localities", nargs="*", default=[])
    parser.add_argument("--indicators", nargs="*", default=[], help=", ".join(i.key for i in INDICATORS))
    parser.add_argument("--out", type=Path, help="FILE.csv hoặc FILE.xlsx")
    parser.add_argument("--index-dir", type=Path, default=settings.index_dir)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    index = Index(args.index_dir, get_embedder(settings.embedding_model), settings.chroma_host, settings.chroma_port)
    table = compare(index, args.localities, args.indicators)
    if args.out:
        write_table(table, args.out)
    if args.json:
        print(json.dumps(table, ensure_ascii=False, indent=2))
    elif not args.out:
        for row in table["rows"]:
            print(row["locality"])
            for i in table["indicators"]:
                if row["cells"].get(i["key"]):
                    print(f"  {i['label']}: {cell_text(row['cells'][i['key']])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
