"""Accounts: a local account changes its own password here; administrators and unit
administrators manage the accounts they answer for (every change is checked again and put
on record by `accounts.manage`), and administrators add units."""

from __future__ import annotations

import streamlit as st

from accounts.access import LEVELS
from accounts.manage import Manager
from errors import AppError
from ui.common import address, gate, settings, who
from ui.session import ROLE_NAMES

SOURCES = {"local": "mật khẩu", "ldap": "thư mục (LDAP)", "proxy": "cổng đăng nhập", "oidc": "định danh (OIDC)"}
CLEARANCES: dict[int, str] = {v: k or "Không" for k, v in LEVELS.items()}


def page() -> None:
    st.title("Tài khoản")
    person = who()
    m = Manager(gate(), person, address())
    if message := st.session_state.pop("accounts-done", None):  # what the last change did
        st.success(message)
    if not person.local and settings().auth == "local":
        own_password(m)
    if person.role not in ("admin", "unit_admin"):
        return
    tree = gate().directory.tree()
    people = m.users()
    st.subheader("Tài khoản do bạn quản lý")
    st.dataframe(
        [
            {
                "Tên đăng nhập": r.name,
                "Đơn vị": tree.name(r.unit) if r.unit else "chưa giao",
                "Vai trò": ROLE_NAMES.get(r.role, r.role),
                "Mức mật": CLEARANCES.get(r.clearance, r.clearance),
                "Đăng nhập qua": SOURCES.get(r.source, r.source),
                "Trạng thái": "đã khóa" if r.disabled else "đang dùng",
            }
            for r in people
        ],
        hide_index=True,
        width="stretch",
    )
    add_user(m, tree)
    change_user(m, tree, people)
    if person.admin:
        add_unit(m, tree)


def done(action, message: str) -> None:
    """Run a change; its message, or the reason it was refused."""
    try:
        action()
    except AppError as e:
        st.error(str(e))
        return
    st.session_state["accounts-done"] = message
    st.rerun()


def own_password(m: Manager) -> None:
    with st.expander("Đổi mật khẩu của bạn"), st.form("own-password", clear_on_submit=True):
        current = st.text_input("Mật khẩu hiện tại", type="password", max_chars=200)
        new = st.text_input("Mật khẩu mới (ít nhất 10 ký tự)", type="password", max_chars=200)
        again = st.text_input("Nhập lại mật khẩu mới", type="password", max_chars=200)
        if st.form_submit_button("Đổi mật khẩu"):
            if new != again:
                st.error("Hai lần nhập mật khẩu mới không khớp.")
                return
            try:
                m.own_password(current, new)
            except AppError as e:
                st.error(str(e))
                return
            st.success("Đã đổi mật khẩu. Mọi phiên đã kết thúc; hãy đăng nhập lại bằng mật khẩu mới.")


def add_user(m: Manager, tree) -> None:
    units = m.units()
    with st.expander("Tạo tài khoản mới"), st.form("add-user", clear_on_submit=True):
        name = st.text_input("Tên đăng nhập", max_chars=100, key="new-name")
        unit = st.selectbox("Đơn vị", [""] * m.actor.admin + units, format_func=lambda c: _unit(tree, c))
        role = st.selectbox("Vai trò", m.roles(), format_func=lambda r: ROLE_NAMES.get(r, r))
        password = st.text_input("Mật khẩu ban đầu (ít nhất 10 ký tự)", type="password", max_chars=200)
        if st.form_submit_button("Thêm tài khoản"):
            done(lambda: m.add_user(name, unit or "", role, password), f"Đã thêm tài khoản {name.strip()}.")


def change_user(m: Manager, tree, people: list) -> None:
    if not people:
        return
    with st.expander("Sửa, khóa hoặc mở lại một tài khoản"):
        name = st.selectbox("Tài khoản", [r.name for r in people], key="edit-name")
        row = next(r for r in people if r.name == name)
        units = [""] * m.actor.admin + m.units()
        roles = m.roles()
        with st.form("change-user", clear_on_submit=True):
            unit = st.selectbox(
                "Đơn vị",
                units,
                index=units.index(row.unit) if row.unit in units else 0,
                format_func=lambda c: _unit(tree, c),
            )
            role = st.selectbox(
                "Vai trò",
                roles,
                index=roles.index(row.role) if row.role in roles else 0,
                format_func=lambda r: ROLE_NAMES.get(r, r),
            )
            clearance = (
                st.selectbox(
                    "Mức mật được đọc", list(CLEARANCES), index=row.clearance, format_func=lambda c: CLEARANCES[c]
                )
                if m.actor.admin
                else None
            )
            password = (
                st.text_input("Đặt mật khẩu mới (bỏ trống: giữ nguyên)", type="password", max_chars=200)
                if row.source == "local"
                else ""
            )
            if st.form_submit_button("Lưu thay đổi"):
                done(lambda: m.change_user(name, unit, role, clearance, password), f"Đã cập nhật tài khoản {name}.")
        if row.disabled:
            if st.button("Mở lại tài khoản", key="enable"):
                done(lambda: m.set_disabled(name, False), f"Đã mở lại tài khoản {name}.")
        elif st.button("Khóa tài khoản (kết thúc mọi phiên)", key="disable"):
            done(lambda: m.set_disabled(name, True), f"Đã khóa tài khoản {name}.")


def add_unit(m: Manager, tree) -> None:
    with st.expander("Đơn vị"):
        st.dataframe(
            [
                {
                    "Mã": c,
                    "Tên": u.name,
                    "Cấp trên": tree.name(u.parent) if u.parent else "",
                    "Đã nhập vào": u.merged_into,
                }
                for c, u in sorted(tree.units.items())
            ],
            hide_index=True,
            width="stretch",
        )
        st.caption("Đổi tên và sáp nhập đơn vị: python -m accounts unit rename | unit merge.")
        with st.form("add-unit", clear_on_submit=True):
            code = st.text_input("Mã đơn vị", max_chars=50)
            name = st.text_input("Tên đơn vị", max_chars=200)
            parent = st.selectbox(
                "Đơn vị cấp trên",
                ["", *tree.live()],
                format_func=lambda c: _unit(tree, c) if c else "(không có)",
            )
            if st.form_submit_button("Thêm đơn vị"):
                done(lambda: m.add_unit(code, name, parent), f"Đã thêm đơn vị {code.strip()}.")


def _unit(tree, code: str) -> str:
    return f"{tree.name(code)} ({code})" if code else "chưa giao đơn vị"


page()
