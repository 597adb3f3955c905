"""Locality comparison page: locality × indicator, every cell cited; CSV and XLSX export."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from tools.compare import INDICATORS, Table, compare
from tools.exports import cell_text, write_table
from ui.citations import show_citation
from ui.common import ensure_index, one_page, place_options, plain


def export(table: Table, suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"so-sanh{suffix}"
        write_table(table, path)
        return path.read_bytes()


def page() -> None:
    st.title("So sánh địa phương")
    helper = ensure_index()
    if helper is None:
        return
    places = place_options(helper.index.records())
    localities = st.multiselect(
        "Địa phương (để trống: tất cả)", places, key="compare-loc", placeholder="Tất cả địa phương"
    )
    labels = {i.label: i.key for i in INDICATORS}
    chosen = st.multiselect(
        "Chỉ tiêu (để trống: tự tìm)", list(labels), key="compare-ind", placeholder="Tất cả chỉ tiêu tìm thấy"
    )
    table = compare(helper.index, localities, [labels[c] for c in chosen])
    if not table.indicators:
        st.info("Không tìm thấy số liệu nào cho lựa chọn này.")
        return
    rows = [
        {"Địa phương": row.locality, **{i.label: cell_text(row.cells.get(i.key, [])) for i in table.indicators}}
        for row in table.rows
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    left, right = st.columns(2)  # files made when clicked: an XLSX of thousands of rows takes seconds
    left.download_button(
        "Tải về CSV", lambda: export(table, ".csv"), file_name="so-sanh-dia-phuong.csv", mime="text/csv"
    )
    right.download_button(
        "Tải về XLSX",
        lambda: export(table, ".xlsx"),
        file_name="so-sanh-dia-phuong.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    st.subheader("Trích dẫn")
    for row, indicator, cell in one_page(table.cells(), "compare-cites"):
        c = cell.citation
        label = f"[{c.n}] {plain(row.locality)} · {indicator.label}: {plain(cell.value)}"
        show_citation(c, helper.index, label, lazy=True)


page()
