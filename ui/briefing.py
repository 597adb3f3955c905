"""Briefing page for trainers: cited bullets by section, exported to DOCX or Markdown."""

from __future__ import annotations

import io

import streamlit as st

from tools.briefing import EMPTY_SECTION, SECTIONS, Briefing, build_briefing
from tools.briefing_llm import rewrite_with_llm
from tools.exports import to_docx, to_markdown
from ui.citations import short_labels, show_citation
from ui.common import address, ensure_index, gate, on_record, sidebar_filters, who


def as_docx(briefing: Briefing) -> bytes:
    out = io.BytesIO()
    to_docx(briefing, out)
    return out.getvalue()


def page() -> None:
    st.title("Tài liệu tóm tắt")
    st.caption("Chọn chủ đề: hệ thống gom các câu nguyên văn từ các văn bản thành bốn phần, mỗi ý đều có trích dẫn.")
    helper = ensure_index()
    if helper is None:
        return
    filters = sidebar_filters(helper.index.records(), "briefing")
    topic = st.text_input("Chủ đề", value="những hạn chế khi thực hiện Chỉ thị 20", key="briefing-topic")
    if st.button("Tạo tài liệu tóm tắt", type="primary") and topic.strip():
        with st.spinner("Đang tổng hợp…"):
            made = build_briefing(helper.index, topic.strip(), filters)
            gate().asked(who(), topic.strip(), [c.source for c in made.citations()], address(), kind="briefing")
            if helper.chat_model is not None:
                made = rewrite_with_llm(made, helper.chat_model)
        st.session_state.briefing = made
    briefing: Briefing | None = st.session_state.get("briefing")
    if briefing is None:
        return
    cited_docs = [c.source for c in briefing.citations()]
    if not set(cited_docs) <= set(helper.index.records()):  # access withdrawn, or a document removed, since
        del st.session_state.briefing
        st.info("Tài liệu tóm tắt trước trích từ văn bản nay không còn trong phạm vi bạn được xem; hãy tạo lại.")
        return
    left, right = st.columns(2)
    left.download_button(
        "Tải về DOCX",
        on_record("briefing", "tai-lieu-tom-tat.docx", cited_docs, lambda: as_docx(briefing)),
        file_name="tai-lieu-tom-tat.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        on_click="ignore",
    )
    right.download_button(
        "Tải về Markdown",
        on_record("briefing", "tai-lieu-tom-tat.md", cited_docs, lambda: to_markdown(briefing).encode("utf-8")),
        file_name="tai-lieu-tom-tat.md",
        mime="text/markdown",
        on_click="ignore",
    )
    places = {b.locality for bullets in briefing.sections.values() for b in bullets if b.locality}
    st.caption(f"{len(briefing.citations())} trích dẫn từ {len(places)} địa phương.")
    for key, title in SECTIONS.items():
        st.subheader(title)
        bullets = briefing.sections.get(key, [])
        if not bullets:
            st.write(EMPTY_SECTION)
        for b in bullets:
            st.text(f"• {b.display()} {''.join(f'[{c.n}]' for c in b.citations)}")
    cited = list({c.n: c for c in briefing.citations()}.values())  # grouped: each passage once, at the end
    if cited:
        st.subheader("Trích dẫn")
        labels = short_labels(cited)
        for c in cited:
            show_citation(c, helper.index, labels.get(c.n), key="brief")


page()
