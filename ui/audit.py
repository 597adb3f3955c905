"""The audit trail for auditors and administrators (a unit administrator sees the rows of
their units' people): filtered, checked, exported as CSV."""

from __future__ import annotations

import datetime
import io
import json
import threading
import time

import streamlit as st

from accounts import audit
from accounts.access import Action, audit_units
from accounts.conversations import wrong_answers
from accounts.export import write_csv
from ui.common import address, ensure_index, gate, on_record, who

ACTIONS = {
    "sign_in": "đăng nhập",
    "sign_in_failed": "đăng nhập sai",
    "sign_in_locked": "đăng nhập bị khóa",
    "sign_out": "đăng xuất",
    "session_expired": "hết phiên",
    "question": "câu hỏi",
    "briefing": "tài liệu tóm tắt",
    "compare": "so sánh",
    "examples": "điển hình",
    "export": "tải về",
    "page_view": "xem văn bản",
    "upload": "tải lên",
    "replace": "thay thế",
    "restore": "khôi phục",
    "remove": "gỡ",
    "visibility": "đổi quyền xem",
    "denied": "bị từ chối",
    "user_add": "thêm tài khoản",
    "user_change": "sửa tài khoản",
    "user_disable": "khóa tài khoản",
    "user_enable": "mở lại tài khoản",
    "unit_add": "thêm đơn vị",
    "unit_rename": "đổi tên đơn vị",
    "unit_merge": "sáp nhập đơn vị",
    "audit_read": "đọc nhật ký",
    "audit_key": "ký nhật ký bằng khóa",
    "feedback": "phản hồi",
}


def page() -> None:
    st.title("Nhật ký hoạt động")
    person, g = who(), gate()
    if not g.may(person, Action.AUDIT, None):
        g.record(person, "denied", "audit", {"action": "audit"}, address())
        st.info("Trang này dành cho kiểm soát viên và quản trị viên.")
        return
    chain(g)
    units = audit_units(person, g.directory.tree())
    left, middle, right = st.columns(3)
    user = left.text_input("Tài khoản", key="audit-user").strip() or None
    chosen = middle.multiselect(
        "Việc", list(ACTIONS), format_func=lambda a: ACTIONS.get(a, a), key="audit-actions", placeholder="Mọi việc"
    )
    since = right.date_input(
        "Từ ngày", value=datetime.date.today() - datetime.timedelta(days=30), key="audit-since", format="DD/MM/YYYY"
    )
    query = (user, since.isoformat() if since else None, units, chosen)
    total = audit.count(g.db, *query)
    rows = audit.rows(g.db, *query, newest=SHOWN)
    st.caption(f"{total} dòng" + (f"; dưới đây {SHOWN} dòng mới nhất, tệp CSV có đủ." if total > SHOWN else "."))
    st.download_button(
        "Tải về CSV",
        on_record("audit", "nhat-ky.csv", [], lambda: _csv(audit.rows(g.db, *query))),
        file_name="nhat-ky.csv",
        mime="text/csv",
        on_click="ignore",
    )
    wrong_answers_download(units)
    st.dataframe(
        [
            {
                "Số": r.id,
                "Lúc": when(r.at),
                "Tài khoản": r.actor,
                "Đơn vị": r.unit,
                "Việc": ACTIONS.get(r.action, r.action),
                "Đối tượng": r.target,
                "Chi tiết": r.detail,
                "Địa chỉ": r.address,
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
    )


SHOWN = 2000  # rows drawn in the page, newest first
FULL_CHECK_SECONDS = 600  # between checks of the whole chain; in between, only the rows added since


@st.cache_resource(show_spinner=False)
def _checked() -> tuple[threading.Lock, dict[str, tuple[float, int, str]]]:
    """Per database, this process's last good check: (when the whole chain was checked, last
    row, its hash); a lock so two pages checking at once cannot put back an older result."""
    return threading.Lock(), {}


def chain(g) -> None:
    """Check the chain: whole at first and every FULL_CHECK_SECONDS (or when asked), else
    from the last row checked on; `accounts audit --verify` always checks it whole."""
    lock, checked = _checked()
    key, asked = str(g.db.url), st.session_state.pop("audit-whole", False)
    with lock:
        now, before = time.time(), checked.get(key)
        whole = before is None or now - before[0] > FULL_CHECK_SECONDS or asked
        found = audit.check(
            g.db, None if whole or before is None else (before[1], before[2]), g.audit_key, g.audit_anchor
        )
        if found.problems:
            checked.pop(key, None)  # the next check is whole again
        else:
            full_at = now if whole or before is None else before[0]
            checked[key] = (full_at, found.last, found.hash)
    if found.problems:
        st.error(f"Nhật ký đã bị sửa hoặc xóa ({len(found.problems)} chỗ): {'; '.join(found.problems[:5])}")
        return
    left, right = st.columns([4, 1])
    left.success(
        f"Chuỗi băm của nhật ký nguyên vẹn (kiểm tra toàn bộ lúc {time.strftime('%H:%M:%S', time.localtime(full_at))},"
        f" đến dòng {found.last})."
    )
    if right.button("Kiểm tra lại toàn bộ", key="audit-check"):
        st.session_state["audit-whole"] = True
        st.rerun()


def wrong_answers_download(units: set[str] | None) -> None:
    """The answers people marked wrong, as a question file in the evaluation format."""
    person = who()
    if person.role not in ("unit_admin", "admin"):
        return
    readable = set(ensure_readable())
    found = [
        q if {c["source"] for c in q["cited"]} <= readable else _without_text(q)
        for q in wrong_answers(gate().db, units)
    ]
    st.download_button(
        f"Tải {len(found)} câu trả lời bị đánh dấu sai (tệp câu hỏi JSONL)",
        on_record("feedback", "cau-hoi-tu-phan-hoi.jsonl", [], lambda: _questions(found)),
        file_name="cau-hoi-tu-phan-hoi.jsonl",
        mime="application/jsonl",
        on_click="ignore",
        disabled=not found,
        help="Mỗi dòng một câu hỏi theo định dạng bộ đánh giá; điền sources và answer_keys trước khi dùng.",
    )


def when(at: str) -> str:
    """ "2026-12-07T22:21:59+0700" as 07/12/2026 22:21:59."""
    return f"{at[8:10]}/{at[5:7]}/{at[:4]} {at[11:19]}" if len(at) >= 19 else at


def ensure_readable() -> dict:
    """The documents the downloader may read (a cited passage of any other stays out)."""
    helper = ensure_index()
    return helper.index.records() if helper is not None else {}


def _without_text(question: dict) -> dict:
    return dict(question, wrong_answer="", cited=[], comment=question["comment"])


def _questions(found: list[dict]) -> bytes:
    return "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in found).encode("utf-8")


def _csv(rows: list[audit.Row]) -> bytes:
    out = io.StringIO()
    write_csv(rows, out)
    return out.getvalue().encode("utf-8-sig")


page()
