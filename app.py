"""The browser face: a Vietnamese chat over the indexed documents, with cited answers."""
from __future__ import annotations

import html

import streamlit as st

from errors import AppError
from ingest.embedding import get_embedder
from ingest.pipeline import ingest
from ingest.store import Index
from retrieval.assistant import Assistant
from retrieval.conversation import Conversation
from retrieval.retriever import Filters
from settings import Settings

EXAMPLES = ["Cần Thơ đã giao những nhiệm vụ gì?", "bim son tang hoc bong cho bao nhieu em",
            "Những địa phương nào tổ chức dạy bơi cho trẻ em?"]


@st.cache_resource(show_spinner=False)
def load_assistant() -> Assistant:
    """Model and index, loaded once per process and shared by every session."""
    settings = Settings()
    index = Index(settings.index_dir, get_embedder(settings.embedding_model), settings.chroma_host, settings.chroma_port)
    try:
        empty = not index.records()
    except AppError:
        empty = True
    if empty:
        with st.status("Đang lập chỉ mục lần đầu từ thư mục corpus/…", expanded=True) as status:
            report = ingest([settings.corpus_dir], index, int(settings.max_file_mb * 1e6), progress=False)
            status.update(label=f"Đã nạp {report.documents} tài liệu, {report.chunks} đoạn.", state="complete")
    return Assistant(index)


def render_answer(answer) -> None:
    if answer.refused:
        st.warning(answer.answer)
        if answer.related:
            st.caption("Các đoạn có thể liên quan (không phải trích dẫn):")
            for c in answer.related:
                st.text(f"{c.title} — {c.locality or 'không rõ địa phương'}\n{c.quote[:300]}…")
        return
    st.markdown(html.escape(answer.answer).replace("\n", "  \n"))
    for c in answer.citations:
        with st.expander(f"[{c.n}] {c.title[:90]} — {c.locality or 'không rõ địa phương'}, {c.date or 'không rõ ngày'}"):
            st.caption(f"Mục: {c.section or 'phần đầu'} · {c.source} · ký tự {c.start}–{c.end}")
            st.text(c.quote)


def main() -> None:
    st.set_page_config(page_title="Trợ lý văn bản chỉ đạo", page_icon="📄")
    st.title("Trợ lý văn bản chỉ đạo")
    try:
        assistant = load_assistant()
        records = assistant.index.records()
    except AppError as e:
        st.error(f"Không mở được chỉ mục: {e}")
        return
    with st.sidebar:
        st.header("Bộ lọc")
        places = sorted({r.get("locality") for r in records.values() if r.get("locality")} |
                        {r.get("province_new") for r in records.values() if r.get("province_new")})
        localities = st.multiselect("Địa phương", places)
        years = sorted({int(r["year"]) for r in records.values() if r.get("year")}) or [2000]
        year_range = st.slider("Năm", min(years), max(years), (min(years), max(years))) if len(years) > 1 else None
        types = st.multiselect("Loại văn bản", sorted({r.get("doc_type", "") for r in records.values()} - {""}))
        if st.button("Cuộc trò chuyện mới"):
            st.session_state.pop("conversation", None)
    filters = Filters(localities, *(year_range or (None, None)), types)
    conversation = st.session_state.setdefault("conversation", Conversation())
    if not conversation.turns:
        st.info("Ví dụ câu hỏi: " + " · ".join(EXAMPLES))
    for turn in conversation.turns:
        with st.chat_message("user"):
            st.text(turn.question)
        with st.chat_message("assistant"):
            render_answer(turn.answer)
    question = st.chat_input("Đặt câu hỏi về các văn bản…")
    if question:
        with st.chat_message("user"):
            st.text(question)
        with st.chat_message("assistant"):
            try:
                render_answer(assistant.ask(question, conversation, filters))
            except AppError as e:
                st.error(f"Không trả lời được: {e}")


main()
