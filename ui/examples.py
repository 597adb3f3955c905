"""Examples finder page for propaganda staff: movements, models, activities by locality,
searchable without accents, exportable as CSV or XLSX."""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

import streamlit as st

from tools.examples import Example, find_examples
from tools.exports import write_examples
from ui.citations import show_citation
from ui.common import ensure_index, on_record, one_page, plain, sidebar_filters

_TYPES = {".csv": "text/csv", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def export(items: list[Example], suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"dien-hinh{suffix}"
        write_examples(items, path)
        return path.read_bytes()


def page() -> None:
    st.title("Tìm điển hình, phong trào")
    helper = ensure_index()
    if helper is None:
        return
    filters = sidebar_filters(helper.index.records(), "examples")
    query = st.text_input(
        "Tìm trong các điển hình (có dấu hoặc không dấu, ví dụ: day boi, hoc bong)", key="examples-query"
    )
    items = find_examples(helper.index, filters, query)
    if not items:
        st.info("Không tìm thấy điển hình, phong trào nào cho lựa chọn này.")
        return
    st.caption(f"{len(items)} mục. “(kế hoạch)”: hoạt động mới được đặt ra trong kế hoạch, chưa phải kết quả.")
    left, right = st.columns(2)
    for column, suffix in zip((left, right), (".xlsx", ".csv")):
        column.download_button(
            f"Tải về {suffix[1:].upper()}",
            on_record(
                "examples", f"dien-hinh{suffix}", [e.citation.source for e in items], partial(export, items, suffix)
            ),
            file_name=f"dien-hinh-phong-trao{suffix}",
            mime=_TYPES[suffix],
            on_click="ignore",
        )
    shown = one_page(sorted(items, key=lambda e: e.kind), "examples")
    for kind in sorted({e.kind for e in shown}):
        st.subheader(kind.capitalize())
        for e in (x for x in shown if x.kind == kind):
            place = plain(e.locality) or "chưa rõ địa phương"
            label = f"[{e.citation.n}] {plain(e.name)}{' (kế hoạch)' if e.planned else ''} — {place}"
            show_citation(e.citation, helper.index, label, lazy=True)


page()
