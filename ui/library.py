"""Library page: the documents with their metadata, each readable in full; uploads."""
from __future__ import annotations

import streamlit as st

from cli import max_bytes
from errors import AppError
from ingest.pipeline import ingest, safe_name
from ingest.readers import SUPPORTED
from ui.common import SUPPORTED_TEXT, ensure_index, settings, write_lock

COLUMNS = {"title": "Tiêu đề", "locality": "Địa phương", "province_new": "Tỉnh (từ 7/2025)", "date": "Ngày",
           "doc_type": "Loại", "number": "Số hiệu", "issuer": "Cơ quan ban hành", "cites": "Văn bản dẫn chiếu",
           "chunks": "Số đoạn"}


def upload_section(helper) -> None:
    s = settings()
    st.subheader("Tải tài liệu lên")
    st.caption(f"Định dạng: {SUPPORTED_TEXT} (PDF phải có lớp văn bản). Tối đa {s.max_file_mb:g} MB mỗi tệp. "
               "Tài liệu được lập chỉ mục ngay và có thể hỏi đáp được liền sau đó.")
    files = st.file_uploader("Chọn tệp", accept_multiple_files=True, key="uploads")
    if not files or not st.button("Nạp vào chỉ mục", type="primary"):
        return
    s.upload_dir.mkdir(parents=True, exist_ok=True)
    saved, rejected = [], []
    for f in files:
        name = safe_name(f.name)
        if not any(name.lower().endswith(ext) for ext in SUPPORTED):
            rejected.append((f.name, f"Định dạng không được hỗ trợ (chỉ nhận {SUPPORTED_TEXT})."))
            continue
        path = s.upload_dir / name
        path.write_bytes(f.getvalue())
        saved.append(path)
    report = None
    if saved:
        bar = st.progress(0.0, text="Đang nạp…")
        with write_lock():
            try:
                report = ingest(saved, helper.index, max_bytes(s), progress=False,
                                on_progress=lambda d, t, doc: bar.progress(d / max(t, 1), text=f"{d}/{t} {doc}"))
            except AppError as e:
                st.error(f"Không nạp được: {e}")
                return
        for failure in report.failed:
            path = next((p for p in saved if str(p) == failure["path"]), None)
            if path:
                path.unlink(missing_ok=True)  # keep nothing the index refused
                rejected.append((path.name, failure["reason"]))
    if report and report.added + report.updated:
        st.success(f"Đã nạp {report.added + report.updated} tệp; chỉ mục có {report.documents} văn bản.")
    for name, reason in rejected:
        st.error(f"Không nạp tệp “{name}”: {reason}")


def page() -> None:
    st.title("Thư viện văn bản")
    helper = ensure_index()
    if helper is None:
        return
    upload_section(helper)
    try:
        records = helper.index.records()
    except AppError as e:
        st.error(f"Không mở được chỉ mục: {e}")
        return
    st.subheader(f"{len(records)} văn bản")
    rows = [{"Tệp": doc_id, **{label: getattr(r, k) for k, label in COLUMNS.items()}}
            for doc_id, r in sorted(records.items())]
    st.dataframe(rows, use_container_width=True, hide_index=True)
    choice = st.selectbox("Đọc toàn văn", sorted(records), index=None, placeholder="Chọn một văn bản…",
                          key="read-doc")
    if choice:
        r = records[choice]
        st.markdown(f"**{r.title or choice}**")
        st.caption(" · ".join(x for x in (r.locality or "không rõ địa phương", r.date, r.doc_type, r.number) if x))
        st.text(helper.index.document_text(choice))
page()
