"""Citation display shared by the pages: the source passage in context, highlighted."""
from __future__ import annotations

import streamlit as st

from errors import AppError
from retrieval.citation import Citation
from ui.common import passage_html, plain, shorten


def show_citation(c: Citation, index, label: str | None = None) -> None:
    """`label`: Markdown whose document-derived parts the caller passed through `plain`."""
    title = label or (f"[{c.n}] {plain(shorten(c.title))} — {plain(c.locality) or 'không rõ địa phương'}, "
                      f"{plain(c.date) or 'không rõ ngày'}")
    with st.expander(title):
        st.caption(f"Mục: {plain(c.section) or 'phần đầu văn bản'} · Tệp: {plain(c.source)} · ký tự {c.start}–{c.end}")
        try:
            st.html(passage_html(index.document_text(c.source), c.start, c.end))
        except AppError:
            st.text(c.quote)
