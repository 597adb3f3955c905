"""Examples finder page for propaganda staff: movements, model cases, activities."""

from __future__ import annotations

import streamlit as st

from tools.examples import find_examples
from ui.citations import show_citation
from ui.common import ensure_index, one_page, plain, sidebar_filters


def page() -> None:
    st.title("Tìm điển hình, phong trào")
    helper = ensure_index()
    if helper is None:
        return
    filters = sidebar_filters(helper.index.records(), "examples")
    query = st.text_input("Tìm trong các điển hình (có dấu hoặc không dấu)", key="examples-query")
    items = find_examples(helper.index, filters, query)
    st.caption(f"{len(items)} mục")
    shown = one_page(sorted(items, key=lambda e: e.kind), "examples")
    for kind in sorted({e.kind for e in shown}):
        st.subheader(kind.capitalize())
        for e in (x for x in shown if x.kind == kind):
            show_citation(
                e.citation,
                helper.index,
                f"[{e.citation.n}] {plain(e.name)} — {plain(e.locality) or 'không rõ địa phương'}",
                lazy=True,
            )


page()
