"""Chat page: questions, cited answers, citations opened in context."""

from __future__ import annotations

import html
import io
import time

import streamlit as st

from accounts.conversations import VERDICTS, History, give_feedback, new_key
from errors import AppError
from retrieval.assistant import Ready
from retrieval.conversation import Conversation
from retrieval.question import MAX_QUESTION_CHARS
from retrieval.texts import DocumentTexts
from retrieval.types import Answer
from tools.exports import conversation_docx, conversation_markdown
from ui.citations import short_labels, show_citation
from ui.common import address, ensure_index, gate, on_record, plain, sidebar_filters, who
from vietnamese.numbers import date_vi

EXAMPLES = [
    "Cần Thơ đã giao những nhiệm vụ gì?",
    "bim son tang hoc bong cho bao nhieu em",
    "Những địa phương nào tổ chức dạy bơi cho trẻ em?",
]


def as_markdown(answer: Answer) -> str:
    lines = [answer.answer, ""]
    for c in answer.citations:
        lines.append(f"[{c.n}] {c.label()}: “{c.quote}”")
    return "\n".join(lines)


def comparison_table(answer: Answer) -> str:
    """A comparison as a small table, one row per locality with its citation, and the
    lines around it (what is compared, which is higher); every cell escaped."""
    cell = "border:1px solid #ddd;padding:.3rem .5rem;vertical-align:top"
    rows = "".join(
        f"<tr><td style='{cell};white-space:nowrap'><b>{html.escape(place)}</b></td><td style='{cell}'>{html.escape(value)}"
        f"{f' [{n}]' if n else ''}</td></tr>"
        for place, value, n in answer.rows
    )
    head = f"<tr><th style='{cell};white-space:nowrap'>Địa phương</th><th style='{cell}'>Số liệu</th></tr>"
    lines = [html.escape(line) for line in answer.answer.splitlines() if not line.startswith("- ")]
    table = f"<table style='border-collapse:collapse;margin:.3rem 0'>{head}{rows}</table>"
    return (lines[0] if lines else "") + table + "<br>".join(lines[1:])


GONE = "Câu trả lời này trích từ văn bản nay không còn trong phạm vi bạn được xem, nên không hiển thị lại."


def readable(answer: Answer, index) -> bool:
    """Whether every document an answer (kept from before) cites may still be read: a
    document's visibility may have changed since."""
    shown = index.records()
    return all(c.source in shown for c in [*answer.citations, *answer.related])


def still_readable(conversation: Conversation, index) -> Conversation:
    """The conversation without the turns citing documents no longer readable (for exports)."""
    return Conversation([t for t in conversation.turns if readable(t.answer, index)])


def render_answer(answer: Answer, turn: int, index, seconds: float | None = None, latest: bool = True) -> None:
    """An answer and its citations. The latest turn's citations show their passage at
    once; earlier turns' read their document only when opened (the same widget either
    way, so a citation opened in the latest turn stays open on the next run); each
    document is read once per page run."""
    if not readable(answer, index):
        st.info(GONE)
        return
    if answer.notice:
        st.info(answer.notice)
    if answer.did:
        st.caption(plain(answer.did))
    if answer.refused:
        st.html(
            f"<div class='refused' style='border-left:4px solid #d97706;padding:.5rem .9rem;"
            f"background:#fff7ed;color:#7c2d12'>{html.escape(answer.answer)}</div>"
        )
        if answer.related:
            st.caption("Các đoạn có thể liên quan (không phải trích dẫn, chưa kiểm chứng là câu trả lời):")
            for c in answer.related:
                elsewhere = " (không phải địa phương được hỏi)" if c.elsewhere else ""
                st.text(
                    f"• {c.locality or 'không rõ địa phương'}{elsewhere} — {c.title}, {date_vi(c.date) or 'không rõ ngày'}\n"
                    f"  {c.quote[:280]}…"
                )
        return
    if answer.note:
        st.info(plain(answer.note))
    body = comparison_table(answer) if answer.rows else html.escape(answer.answer).replace("\n", "<br>")
    st.html(f"<div class='answer' style='line-height:1.6'>{body}</div>")
    if seconds is not None:
        st.caption(f"Trả lời trong {seconds:.2f} giây · {len(answer.citations)} trích dẫn")
    doubtful = [f"[{c.n}] trang {c.page}" for c in answer.citations if c.doubtful]
    if doubtful:
        st.warning(f"Trích từ trang bản quét nhận dạng chữ kém ({', '.join(doubtful)}): hãy đối chiếu bản gốc.")
    texts = DocumentTexts(index.document_text)
    labels = short_labels(answer.citations)
    for c in answer.citations:
        show_citation(c, index, labels.get(c.n), key=f"turn{turn}", lazy=not latest, texts=texts, tracked=True)
    with st.expander("Sao chép câu trả lời kèm trích dẫn (Markdown)"):
        st.code(as_markdown(answer), language="markdown")


def ask(helper, question: str, conversation: Conversation, filters) -> Answer:
    """In LLM mode the model's draft is never shown: only its progress, until the
    answer is verified (or replaced by the extractive one, with a notice)."""
    if helper.chat_model is None:
        return helper.ask(question, conversation, filters)
    streamed = helper.ask_stream(question, conversation, filters)
    if isinstance(streamed, Ready):  # a strategy's answer (a summary, a comparison…): no model draft
        helper.remember(conversation, question, streamed.answer)
        return streamed.answer
    with st.status("Mô hình đang soạn câu trả lời…", expanded=False) as status:
        written, shown = 0, time.monotonic()
        for piece in streamed:
            written += len(piece)
            if time.monotonic() - shown > 0.5:
                status.update(
                    label=f"Mô hình đang soạn câu trả lời… {written} ký tự (chỉ hiện sau khi kiểm chứng với văn bản)"
                )
                shown = time.monotonic()
        verified = streamed.answer.mode == "llm"
        status.update(
            label="Đã kiểm chứng câu trả lời với văn bản"
            if verified
            else "Đã kiểm tra: không dùng câu trả lời của mô hình",
            state="complete",
        )
    helper.remember(conversation, question, streamed.answer)
    return streamed.answer


def kept_conversation() -> tuple[History, str]:
    """The store and this page's conversation key (`?hoi=…` in the address): a reload
    finds the conversation again; a missing, malformed or unknown key, or another
    person's, starts a new one."""
    history = History(gate().db)
    key = st.query_params.get("hoi", "")
    if "conversation" not in st.session_state or st.session_state.get("conversation_key") != key:
        kept = history.load(key, who().name)
        if kept is None:
            if history.owned_by_other(key, who().name):
                gate().record(who(), "denied", f"hoi={key}", {"action": "conversation"}, address())
            key = st.query_params["hoi"] = new_key()
        st.session_state.conversation = kept or Conversation()
        st.session_state.conversation_key = key
        st.session_state.timings = []
    return history, key


def export_buttons(conversation: Conversation) -> None:
    """The conversation with its citations, as Markdown and DOCX, made when clicked."""
    if not conversation.turns:
        return
    st.download_button(
        "Tải cuộc trò chuyện (Markdown)",
        recorded(conversation, "md", lambda: conversation_markdown(conversation).encode("utf-8")),
        file_name="cuoc-tro-chuyen.md",
        mime="text/markdown",
        on_click="ignore",
        width="stretch",
    )
    st.download_button(
        "Tải cuộc trò chuyện (DOCX)",
        recorded(conversation, "docx", lambda: as_docx(conversation)),
        file_name="cuoc-tro-chuyen.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        on_click="ignore",
        width="stretch",
    )


def recorded(conversation: Conversation, kind: str, make):
    """The conversation's download, on record with the documents it cites."""
    cited = [c.source for t in conversation.turns for c in t.answer.citations]
    return on_record("chat", f"cuoc-tro-chuyen.{kind}", cited, make)


def as_docx(conversation: Conversation) -> bytes:
    buffer = io.BytesIO()
    conversation_docx(conversation, buffer)
    return buffer.getvalue()


def kept_list(history: History, current: str) -> None:
    """The person's own conversations; one chosen opens in this page."""
    kept = [k for k in history.listed(who().name) if k.title]
    if not kept:
        return
    st.caption("Các cuộc trò chuyện của bạn")
    for k in kept[:15]:
        label = ("▸ " if k.key == current else "") + plain(k.title[:60])
        if st.button(label, key=f"kept-{k.key}", width="stretch", type="tertiary"):
            st.query_params["hoi"] = k.key
            st.session_state.pop("conversation", None)
            st.rerun()


def feedback_box(turn, n: int, key: str) -> None:
    """Đúng / sai on an answer, with a comment; kept with the answer for the unit's administrators."""
    done = st.session_state.setdefault("feedback-done", set())
    if (key, n) in done:
        st.caption("Đã ghi nhận phản hồi của bạn. Cảm ơn!")
        return
    with st.popover("Phản hồi về câu trả lời"):
        verdict = st.radio("Câu trả lời này", VERDICTS, horizontal=True, key=f"fb-verdict-{key}-{n}", index=None)
        comment = st.text_area("Nhận xét (không bắt buộc)", key=f"fb-comment-{key}-{n}", max_chars=2000)
        if st.button("Gửi phản hồi", key=f"fb-send-{key}-{n}", disabled=verdict is None) and verdict:
            give_feedback(gate().db, who().name, who().unit, key, n, turn.resolved, turn.answer, verdict, comment)
            gate().record(who(), "feedback", f"hoi={key}#{n}", {"verdict": verdict}, address())
            done.add((key, n))
            st.rerun()


def page() -> None:
    st.title("Hỏi đáp văn bản chỉ đạo")
    helper = ensure_index()
    if helper is None:
        return
    try:
        records = helper.index.records()
    except AppError as e:
        st.error(f"Không mở được chỉ mục: {plain(str(e))}")
        return
    filters = sidebar_filters(records, "chat")
    history, key = kept_conversation()
    with st.sidebar:
        if st.button("Cuộc trò chuyện mới", icon=":material/add_comment:", width="stretch"):
            key = st.query_params["hoi"] = new_key()
            st.session_state.conversation = Conversation()
            st.session_state.conversation_key = key
            st.session_state.timings = []
        kept_list(history, key)
    conversation = st.session_state.conversation
    timings = st.session_state.setdefault("timings", [])
    with st.sidebar:
        export_buttons(still_readable(conversation, helper.index))
    pending = st.chat_input("Đặt câu hỏi (có dấu hoặc không dấu)…", max_chars=MAX_QUESTION_CHARS)
    if not conversation.turns and not pending:
        st.write(f"Hỏi về {len(records)} văn bản đã nạp. Thử một câu hỏi mẫu:")
        for i, example in enumerate(EXAMPLES):
            if st.button(example, key=f"example-{i}"):
                pending = example
    for i, turn in enumerate(conversation.turns):
        with st.chat_message("user"):
            st.text(turn.question)
        with st.chat_message("assistant"):
            render_answer(turn.answer, i, helper.index, timings[i] if i < len(timings) else None, latest=False)
            feedback_box(turn, i, key)
    if pending:
        with st.chat_message("user"):
            st.text(pending)
        with st.chat_message("assistant"):
            started = time.perf_counter()
            try:
                answer = ask(helper, pending, conversation, filters)
            except AppError as e:
                st.error(f"Không trả lời được câu hỏi: {plain(str(e))}")
                return
            timings.append(time.perf_counter() - started)
            history.save(key, who().name, conversation)
            gate().asked(who(), pending, [c.source for c in answer.citations], address())
            if answer.question != pending.strip():
                st.caption(f"Hiểu câu hỏi là: “{plain(answer.question)}”")
            render_answer(answer, len(conversation.turns) - 1, helper.index, timings[-1])
            feedback_box(conversation.turns[-1], len(conversation.turns) - 1, key)


page()
