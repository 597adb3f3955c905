"""Citation display shared by the pages: the source passage in context, highlighted."""

from __future__ import annotations

import streamlit as st

from errors import AppError
from retrieval.citation import Citation
from tools.pageview import page_view
from ui.common import address, gate, passage_html, plain, shorten, who
from vietnamese.numbers import date_vi


def short_labels(citations: list[Citation]) -> dict[int, str]:
    """Labels for a list of citations that name a document's title once: a later citation
    of the same document says which one it shares it with, and where it is."""
    first: dict[str, int] = {}
    labels = {}
    for c in citations:
        if c.source in first:
            where = plain(c.section) if c.section else f"ký tự {c.start}–{c.end}"
            page = f" · trang {c.page}" if c.page else ""
            labels[c.n] = (
                f"[{c.n}] cùng văn bản với [{first[c.source]}] · {where}{page}: “{plain(shorten(c.quote, 70))}”"
            )
        else:
            first[c.source] = c.n
    return labels


def show_citation(
    c: Citation,
    index,
    label: str | None = None,
    key: str = "",
    lazy: bool = False,
    texts=None,
    tracked: bool = False,
) -> None:
    """`label`: Markdown whose document-derived parts the caller passed through `plain`;
    `key` (unique on the page) adds the switch that shows the original page; `lazy`
    (pages with hundreds of citations, earlier turns) reads the document only when the
    citation is opened; `texts`: the request's document cache; `tracked`: the open state
    is kept between runs even when not lazy (a chat turn that becomes an earlier one)."""
    title = label or (
        f"[{c.n}] {plain(shorten(c.title))} — {plain(c.locality) or 'không rõ địa phương'}, "
        f"{plain(date_vi(c.date)) or 'không rõ ngày'}"
    )
    if c.page:
        title += f" · trang {c.page}"
    if c.classification:
        title = f"🔒 **{c.classification.upper()}** · {title}"
    box = st.expander(
        title, key=f"cite-{key}-{c.n}-{c.source}-{c.start}-{c.end}", on_change="rerun" if lazy or tracked else "ignore"
    )
    with box:
        if lazy and not box.open:
            st.text(c.quote)
            return
        page = f" · trang {c.page}" if c.page else ""
        st.caption(
            f"Mục: {plain(c.section) or _no_section(c)} · Tệp: {plain(c.source)}{page} · ký tự {c.start}–{c.end}"
        )
        if c.doubtful:
            st.warning(f"Trang {c.page} được nhận dạng chữ (OCR) với chất lượng thấp: hãy đối chiếu bản gốc.")
        try:
            st.html(passage_html((texts or index.document_text)(c.source), c.start, c.end))
        except AppError:
            st.text(c.quote)
        if (
            c.page
            and key
            and st.toggle(f"Xem trang {c.page} của bản gốc", key=f"page-{key}-{c.n}-{c.source}-{c.start}")
        ):
            show_page(c, index)


def _no_section(c: Citation) -> str:
    """A passage outside any heading: the opening of the document, or a document without headings."""
    return "phần đầu văn bản" if c.start < 400 else "văn bản không chia mục"


def show_page(c: Citation, index) -> None:
    """The original page, with the quoted lines marked."""
    record = index.records().get(c.source)  # a reader's view: None for a document they may not read
    image = page_view(record, c.page, c.quote, index.index_dir) if record else None
    if record is not None:
        gate().record(who(), "page_view", c.source, {"page": c.page}, address())
    if image is None:
        st.info("Không còn tệp gốc của văn bản này (đã xóa, hoặc đang dùng một phiên bản trước) để hiển thị trang.")
        return
    st.image(image, caption=f"{plain(c.source)} — trang {c.page} (dòng được trích đánh dấu vàng)")
