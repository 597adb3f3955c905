"""What every page shares: settings, the index and assistant (loaded once per
process, shared by all sessions), filters, and safe rendering of document text."""

from __future__ import annotations

import html
import logging
import re
import threading
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from accounts.access import Person
from accounts.gate import Gate
from errors import AppError, IndexMissing
from index.records import DocRecord
from index.store import Index, open_index
from ingest.pipeline import ingest
from ingest.readers import SUPPORTED
from retrieval.assistant import Assistant
from retrieval.chat import make_chat_model
from retrieval.filters import Filters
from settings import Settings
from tools.prepare import keep_facts

SUPPORTED_TEXT = ", ".join(sorted(SUPPORTED))  # the readers' own list


def settings() -> Settings:
    s = Settings()
    logging.basicConfig(level=s.log_level, format="%(levelname)s %(name)s: %(message)s")
    return s


@st.cache_resource(show_spinner="Đang nạp mô hình và chỉ mục…")
def _assistant(index_dir: str, model: str, host: str | None, port: int, llm: tuple) -> Assistant:
    s = settings()  # the arguments are the cache key; the index is opened from the same settings
    helper = Assistant(open_index(s, Path(index_dir)), chat_model=make_chat_model(s), scorer=s.answer_scorer)
    try:  # warm the model, segmenter and BM25 cache so the first question is fast
        helper.ask("khởi động")
    except AppError:
        pass  # no index yet: built on first start
    return helper


def assistant() -> Assistant:
    """One assistant per index and model, shared by every session of the process."""
    s = settings()
    llm = (
        s.answer_scorer,
        s.answer_mode,
        s.llm_provider,
        s.llm_base_url,
        s.llm_model,
        s.llm_timeout,
    )  # cache key; no secret
    return _assistant(str(s.index_dir), s.embedding_model, s.chroma_host, s.chroma_port, llm)


@st.cache_resource(show_spinner=False)
def _gate(index_dir: str, auth: str) -> Gate:
    return Gate(settings())


def gate() -> Gate:
    """Accounts, access and the audit trail (one per process)."""
    s = settings()
    return _gate(str(s.index_dir), s.auth)


def who() -> Person:
    """The person app.py let in on this run."""
    return st.session_state["person"]


def client_ip() -> str | None:
    """The peer's address; None for a loopback peer (Streamlit's choice) or no client at all."""
    value = st.context.ip_address
    return value if isinstance(value, str) else None  # AppTest's stand-in client is no address


def address() -> str:
    """The browser's address: the peer's (Streamlit names a loopback peer None), or behind
    a trusted proxy the one the proxy passes on."""
    peer = client_ip() or "127.0.0.1"
    if peer in settings().trusted_proxies.split(","):
        return st.context.headers.get("X-Real-Ip", "") or peer
    return peer


def on_record(kind: str, name: str, cited: list[str], make: Callable[[], bytes]) -> Callable[[], bytes]:
    """A download's data (`make`, run when its button is clicked), put on record with the
    documents it cites. Who and from where are taken now: the data is made outside the
    page's run, where there is no session state. (The buttons pass on_click="ignore": the
    rerun a click starts could drop the made file before the browser fetched it, under load,
    leaving the button spinning.)"""
    person, where, g, docs = who(), address(), gate(), sorted(set(cited))

    def made() -> bytes:
        data = make()
        g.record(person, "export", name, {"tool": kind, "cited": docs}, where)
        return data

    return made


def whole(index: Index) -> Index:
    """The whole index behind a reader's view: for writes, which the caller checked."""
    return getattr(index, "base", index)


@st.cache_resource(show_spinner=False)
def write_lock() -> threading.Lock:
    """One writer at a time across sessions (first build, uploads)."""
    return threading.Lock()


def ensure_index() -> Assistant | None:
    """The shared assistant, reading only what the person may see; builds the index from
    the corpus on first start. Problems are shown as messages a non-engineer understands."""
    if "person" not in st.session_state:  # a page run without app.py (which signs people in): nobody
        return None
    helper = _ensure_index()
    person = who()
    if helper is None or person.local:
        return helper
    return helper.seen_by(gate().view(helper.index, person))


def _ensure_index() -> Assistant | None:
    try:
        helper = assistant()
    except AppError as e:
        st.error(f"Không khởi động được trợ lý: {plain(str(e))}")
        return None
    lock = write_lock()
    if not lock.acquire(blocking=False):  # another session is writing (an upload being OCR'd, say):
        try:  # read what is committed rather than wait for it
            if helper.index.records():
                return helper
        except AppError:
            pass
        lock.acquire()  # the first build is under way: wait for it
    try:
        return _opened_or_built(helper)
    finally:
        lock.release()


def _opened_or_built(helper: Assistant) -> Assistant | None:
    """Under the write lock: the assistant on a fresh view of the index, built first if empty."""
    try:
        helper.index.refresh()  # documents added by another process appear without a restart
        if helper.index.records():
            return helper
    except IndexMissing:
        pass
    except AppError as e:
        st.error(f"Không mở được chỉ mục: {plain(str(e))}")
        return None
    s = settings()
    with st.status("Lần đầu khởi động: đang lập chỉ mục từ thư mục tài liệu…", expanded=True) as status:
        bar = st.progress(0.0)

        def step(done: int, total: int, doc_id: str) -> None:
            bar.progress(min(done / max(total, 1), 1.0), text=f"{int(done)}/{total} {plain(doc_id)}")

        try:
            report = ingest(
                [s.corpus_dir],
                helper.index,
                s.max_bytes,
                progress=False,
                on_progress=step,
                allow_classified=s.allow_classified,
            )
            keep_facts(helper.index)
        except AppError as e:
            status.update(label="Không lập được chỉ mục", state="error")
            st.error(f"Không lập được chỉ mục: {plain(str(e))}")
            return None
        status.update(label=f"Đã nạp {report.documents} tài liệu, {report.chunks} đoạn.", state="complete")
    return helper


def place_options(records: dict[str, DocRecord]) -> list[str]:
    """Localities and new provinces to filter by."""
    return sorted({name for r in records.values() for name in (r.locality, r.province_new) if name})


def sidebar_filters(records: dict[str, DocRecord], key: str) -> Filters:
    with st.sidebar:
        st.subheader("Bộ lọc")
        places = place_options(records)
        localities = st.multiselect(
            "Địa phương (tên cũ hoặc mới)", places, key=f"{key}-loc", placeholder="Tất cả địa phương"
        )
        years = sorted({int(r.year) for r in records.values() if r.year})
        year_range = None
        if len(years) > 1:
            year_range = st.slider(
                "Năm", years[0], years[-1], (years[0], years[-1]), key=f"{key}-year-{years[0]}-{years[-1]}"
            )  # new bounds: a new full range
            if year_range == (years[0], years[-1]):
                year_range = None
        types = st.multiselect(
            "Loại văn bản",
            sorted({r.doc_type for r in records.values()} - {""}),
            key=f"{key}-type",
            placeholder="Tất cả loại văn bản",
        )
    year_from, year_to = year_range or (None, None)
    return Filters(localities=localities, year_from=year_from, year_to=year_to, doc_types=types)


def passage_html(text: str, start: int, end: int, context: int = 500) -> str:
    """The passage around [start, end) with the quoted span highlighted; all text escaped."""
    a, b = max(0, start - context), min(len(text), end + context)
    if a > 0:  # cut the context at word boundaries
        a = min(start, text.find(" ", a) + 1 or start)
    if b < len(text):
        b = max(end, text.rfind(" ", end, b))
    before = ("…" if a else "") + text[a:start]
    after = text[end:b] + ("…" if b < len(text) else "")
    quote = text[start:end]
    body = f"{_escaped(before)}<mark class='quote'>{_escaped(quote)}</mark>{_escaped(after)}"
    return f"<div class='passage' style='white-space:pre-wrap;line-height:1.55'>{body}</div>"


def _escaped(text: str) -> str:
    """Text for inside an HTML block: escaped, no link, and newlines as entities, since a
    blank line would end the block and hand what follows to the Markdown parser."""
    return html.escape(unlinked(text)).replace("\n", "&#10;")


# What a Markdown renderer turns into a link by itself (GFM's autolink literals): "http://",
# "www." and e-mail addresses. An invisible space breaks each; the text reads the same.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)(?=[\w-])")


def unlinked(text: str) -> str:
    return _AUTOLINK.sub("\u200b", text)


_MARKDOWN = re.compile(r"[\\`*_()<>!~|$#]|:(?=//|[\w/-]+[\[:])")  # emphasis, links, images, HTML, directives


def plain(text: str) -> str:
    """Document-derived text (titles, sections, file names) for widgets that render
    Markdown: what could format, link, embed or colour is escaped, so `![x](http://…)`
    stays text and the browser requests nothing a document asked for."""
    return _MARKDOWN.sub(lambda m: "\\" + m.group(), unlinked(" ".join(str(text).split())))


def shorten(text: str, limit: int = 90) -> str:
    """Cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def one_page(items: list, key: str, size: int = 50) -> list:
    """The items of the page chosen below a long list (the rest are not drawn)."""
    pages = max(1, -(-len(items) // size))
    if pages == 1:
        return items
    page = st.number_input(f"Trang (1–{pages}, {size} mục mỗi trang)", 1, pages, 1, key=f"{key}-page")
    return items[(page - 1) * size : page * size]
