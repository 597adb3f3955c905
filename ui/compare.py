"""Locality comparison page: measures × localities, every figure cited, a chart per measure
whose bars open their citation, and CSV, XLSX, DOCX, PNG and SVG downloads."""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

import streamlit as st

from tools.charts import SELECT, chart, chart_image
from tools.compare import Table, compare
from tools.exports import cell_text, comparison_docx, write_table
from ui.citations import show_citation
from ui.common import ensure_index, on_record, one_page, place_options, plain

_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def cited(table: Table) -> list[str]:
    return [cell.citation.source for _, _, cell in table.cells()]


def export(table: Table, suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"so-sanh{suffix}"
        if suffix == ".docx":
            comparison_docx(table, path)
        else:
            write_table(table, path)
        return path.read_bytes()


def grid(table: Table) -> list[dict]:
    """Measures as rows and localities as columns while localities are fewer (the table
    then fits the page), else the other way round."""
    if len(table.rows) <= len(table.indicators):
        return [
            {
                "Chỉ tiêu": i.label,
                "Đơn vị": i.unit,
                **{r.locality: cell_text(r.cells.get(i.key, [])) for r in table.rows},
            }
            for i in table.indicators
        ]
    return [
        {"Địa phương": r.locality, **{i.label: cell_text(r.cells.get(i.key, [])) for i in table.indicators}}
        for r in table.rows
    ]


def page() -> None:
    st.title("So sánh địa phương")
    helper = ensure_index()
    if helper is None:
        return
    places = place_options(helper.index.records())
    localities = st.multiselect(
        "Địa phương (tên cũ hoặc mới; để trống: tất cả)", places, key="compare-loc", placeholder="Tất cả địa phương"
    )
    whole = compare(helper.index, localities)
    labels = {i.label: i.key for i in whole.indicators}  # exactly the table's measures
    chosen = st.multiselect(
        "Chỉ tiêu (để trống: mọi chỉ tiêu có số liệu)", list(labels), key="compare-ind", placeholder="Tất cả chỉ tiêu"
    )
    table = compare(helper.index, localities, [labels[c] for c in chosen]) if chosen else whole
    if not table.indicators:
        st.info("Các văn bản đã chọn không có số liệu nào thuộc các chỉ tiêu đã biết.")
        return
    st.caption(
        f"{len(table.indicators)} chỉ tiêu, {len(table.rows)} địa phương. Mỗi ô là số liệu nguyên văn kèm số "
        "trích dẫn; “(mục tiêu)” là chỉ tiêu kế hoạch, không phải kết quả."
    )
    st.dataframe(grid(table), hide_index=True, width="stretch")
    buttons = st.columns(3)
    for column, suffix in zip(buttons, (".xlsx", ".csv", ".docx")):
        column.download_button(  # files made when clicked: an XLSX of thousands of rows takes seconds
            f"Tải về {suffix[1:].upper()}",
            on_record("compare", f"so-sanh{suffix}", cited(table), partial(export, table, suffix)),
            file_name=f"so-sanh-dia-phuong{suffix}",
            mime=_TYPES[suffix],
            on_click="ignore",
        )
    show_chart(table, helper.index)
    st.subheader("Trích dẫn")
    for row, indicator, cell in one_page(table.cells(), "compare-cites"):
        c = cell.citation
        label = f"[{c.n}] {plain(row.locality)} · {plain(indicator.label)}: {plain(cell.value)}"
        show_citation(c, helper.index, label, lazy=True)


def show_chart(table: Table, index) -> None:
    st.subheader("Biểu đồ")
    names = {i.label: i.key for i in table.indicators}
    spread = sorted(names, key=lambda n: -sum(names[n] in r.cells for r in table.rows))  # most localities first
    label = st.selectbox("Chỉ tiêu của biểu đồ", spread, key="compare-chart-ind", placeholder="Chọn chỉ tiêu")
    key = names[label]
    event = st.altair_chart(chart(table, key, selectable=True), on_select="rerun", key=f"compare-chart-{key}")
    left, right = st.columns(2)
    left.download_button(
        "Tải biểu đồ PNG",
        on_record("chart", f"bieu-do-{key}.png", cited(table), lambda: chart_image(table, key, "png")),
        file_name=f"bieu-do-{key}.png",
        mime="image/png",
        on_click="ignore",
    )
    right.download_button(
        "Tải biểu đồ SVG",
        on_record("chart", f"bieu-do-{key}.svg", cited(table), lambda: chart_image(table, key, "svg")),
        file_name=f"bieu-do-{key}.svg",
        mime="image/svg+xml",
        on_click="ignore",
    )
    picked = _picked(event)
    cells = {cell.citation.n: (row, cell) for row, ind, cell in table.cells() if ind.key == key}
    if picked in cells:
        row, cell = cells[picked]
        c = cell.citation
        show_citation(c, index, f"[{c.n}] {plain(row.locality)}: {plain(cell.value)}", key="chart")
    else:
        st.caption("Bấm vào một cột để xem đoạn văn bản của số liệu đó.")


def _picked(event) -> int | None:
    """The citation number of the clicked bar, if any."""
    try:
        points = event["selection"][SELECT]
    except (KeyError, TypeError):
        return None
    points = points if isinstance(points, list) else [points]
    for point in points:
        if isinstance(point, dict) and "Trích dẫn" in point:
            return int(point["Trích dẫn"])
    return None


page()
