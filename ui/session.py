"""Who is using the page. Without AUTH, the single local user, and only when the page is
served on this machine's loopback address; otherwise a signed-in account (a local
password, the organisation's directory, a trusted proxy's header, or OIDC)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from urllib.parse import urlparse

import streamlit as st

from accounts.access import LOCAL_ADMIN, Person
from accounts.directory import valid_name
from accounts.signin import SignInRefused
from ui.common import address, client_ip, gate, settings

LOOPBACK_ONLY = (
    "Trợ lý đang chạy không có đăng nhập nên chỉ phục vụ trên chính máy này (127.0.0.1). "
    "Để cho người khác dùng qua mạng, hãy bật tài khoản: đặt AUTH=local (hoặc ldap, proxy, oidc), "
    "tạo quản trị viên đầu tiên bằng lệnh python -m accounts user add TEN --role admin --password-stdin, "
    "rồi khởi động lại (xem mục Triển khai trong README)."
)


def _loopback(value: str | None) -> bool:
    if value == "localhost":
        return True
    try:
        return ipaddress.ip_address((value or "").split("%")[0]).is_loopback
    except ValueError:  # unset (every address), a host name, a client the server cannot name
        return False


def served_locally() -> bool:
    """Bound to a loopback address, reached from one (Streamlit names a loopback peer None),
    under a loopback name (not a page of another site rebinding its name here), and not
    through a proxy. A run without any request (Streamlit's AppTest) has no network client."""
    headers = st.context.headers
    host = urlparse("//" + headers.get("Host", "")).hostname or ""
    peer = client_ip()
    if not host and peer is None:
        return True
    forwarded = any(h in headers for h in ("X-Forwarded-For", "X-Real-Ip", "Forwarded"))
    return (
        _loopback(st.get_option("server.address"))
        and (peer is None or _loopback(peer))
        and not forwarded
        and (host == "localhost" or _loopback(host))
    )


def person() -> Person | None:
    """The person using this page, or None after drawing what they must do first."""
    auth = settings().auth
    if not auth:
        if served_locally():
            return LOCAL_ADMIN
        st.error(LOOPBACK_ONLY)
        return None
    if auth in ("local", "ldap"):
        return _password_session()
    if auth == "proxy":
        return _proxy()
    return _oidc()


COOKIE = "tro_ly_phien"  # the session token, so a reload or another tab (or server) finds the session


def _password_session() -> Person | None:
    """The session this browser holds: in this page's state, or (after a reload, in a new
    tab, on another app server) in its cookie."""
    cookie = st.context.cookies.get(COOKIE, "")
    token = st.session_state.get("session") or (cookie if isinstance(cookie, str) else "")  # AppTest's is no text
    found = gate().signin.resume(token) if token else None
    if found is not None:
        st.session_state.session = token
        return found
    if st.session_state.pop("session", None):
        st.warning("Phiên làm việc đã kết thúc; hãy đăng nhập lại.")
    if token:  # ended, expired or disabled: the browser forgets it
        _set_cookie("", 0)
    sign_in_form()
    return None


def _set_cookie(token: str, seconds: float) -> None:
    """The token is URL-safe base64 (nothing to escape); SameSite=Strict: no other site's
    page sends it; Secure when the page came over HTTPS. (Set from the page, it cannot be
    HttpOnly: Streamlit sets no cookies of its own.)"""
    st.html(
        f"<script>document.cookie = '{COOKIE}={token}; path=/; max-age={int(seconds)}; SameSite=Strict'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def sign_in_form() -> None:
    if st.session_state.pop("forget", False):  # just signed out
        _set_cookie("", 0)
    st.title("Trợ lý văn bản chỉ đạo")
    with st.form("sign-in"):
        name = st.text_input("Tên đăng nhập", max_chars=100)
        password = st.text_input("Mật khẩu", type="password", max_chars=200)
        if st.form_submit_button("Đăng nhập", type="primary"):
            try:
                found = gate().signin.password(name, password, address())
            except SignInRefused as e:
                st.error(str(e))
                return
            st.session_state.session = token = gate().signin.start(found)
            st.session_state.remember = token
            st.session_state["after-sign-in"] = urlparse(st.context.url or "").path.strip("/")  # the page asked for
            st.rerun()


def _proxy() -> Person | None:
    """The name the reverse proxy vouches for (server.trustedUserHeaders maps its header to
    st.user), accepted only with the shared secret the proxy adds (PROXY_SECRET)."""
    s = settings()
    secret = s.proxy_secret.get_secret_value() if s.proxy_secret else ""
    sent = st.context.headers.get("X-Proxy-Secret", "")
    name = str(st.user.get("name") or "") if secret and hmac.compare_digest(sent, secret) else ""
    return _directory_person(name, "proxy")


def _oidc() -> Person | None:
    if not st.user.is_logged_in:
        st.title("Trợ lý văn bản chỉ đạo")
        st.button("Đăng nhập qua hệ thống định danh của cơ quan", on_click=st.login, type="primary")
        return None
    email = st.user.get("email") if st.user.get("email_verified") is True else None
    name = str(email or st.user.get("sub") or "")
    if name and not valid_name(name):  # a subject such as "auth0|5f…": a stable name of its own
        name = "oidc-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:20]
    return _directory_person(name, "oidc")


def _directory_person(name: str, via: str) -> Person | None:
    """A name another system vouched for: its account (made, without access, the first time)."""
    if not name:
        st.error("Không xác định được người dùng; hãy truy cập qua cổng đăng nhập của cơ quan.")
        gate().record(Person("?"), "sign_in_failed", detail={"via": via}, address=address())
        return None
    g = gate()
    if not valid_name(name):
        st.error("Tên người dùng do hệ thống đăng nhập gửi đến không hợp lệ; hãy báo quản trị.")
        g.record(Person("?"), "sign_in_failed", detail={"via": via}, address=address())
        return None
    if g.directory.row(name) is None:
        g.directory.add_user(name, source=via)
        g.record(Person(name), "user_add", name, {"via": via, "unit": ""}, address())
    row = g.directory.row(name)
    if row is None or row.disabled or row.source != via:  # a local account is not the proxy's to open
        st.error("Tài khoản đã bị khóa hoặc không đăng nhập được theo cách này.")
        g.record(Person(name), "sign_in_failed", detail={"via": via}, address=address())
        return None
    if not st.session_state.get("signed-in-as") == name:  # once per browser session
        st.session_state["signed-in-as"] = name
        g.record(Person(name, row.unit), "sign_in", detail={"via": via}, address=address())
    return g.directory.person(name)


def sign_out() -> None:
    token = st.session_state.pop("session", "")
    if token:
        gate().signin.end(token, address=address())
    st.session_state.clear()
    st.session_state.forget = True
    if settings().auth == "oidc":
        st.logout()


def account_box(who: Person) -> None:
    """Who is signed in, in the sidebar, with the sign-out button."""
    if who.local:
        return
    if "remember" in st.session_state:  # just signed in: the browser keeps the session
        _set_cookie(st.session_state.pop("remember"), gate().signin.limits.absolute)
    with st.sidebar:
        unit = gate().directory.tree().name(who.unit) if who.unit else "chưa được giao đơn vị"
        st.caption(f"Đăng nhập: **{who.name}** · {unit} · {ROLE_NAMES.get(who.role, who.role)}")
        if settings().auth in ("local", "ldap", "oidc"):
            st.button("Đăng xuất", on_click=sign_out, key="sign-out")


ROLE_NAMES = {
    "reader": "người đọc",
    "editor": "biên tập viên",
    "unit_admin": "quản trị đơn vị",
    "auditor": "kiểm soát viên",
    "admin": "quản trị viên",
}


def no_access() -> None:
    st.title("Tài khoản chưa được cấp quyền")
    st.info(
        "Tài khoản của bạn chưa được giao đơn vị nên chưa xem được văn bản nào. "
        "Hãy đề nghị quản trị viên giao đơn vị và vai trò cho tài khoản này."
    )
