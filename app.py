"""The browser face: chat, briefing, locality comparison, examples and the document library."""

import streamlit as st

from errors import AppError
from ui import session
from ui.common import gate, settings

# Page icons are emoji: a ":material/…:" page icon becomes the tab's icon, which the browser
# fetches from fonts.gstatic.com (an offline product must not); emoji are drawn in the page.
st.set_page_config(page_title="Trợ lý văn bản chỉ đạo", layout="wide")
# Streamlit's own English where a style can reach it: the uploader's "Upload" and
# "… MB per file" (the pages say the limit in Vietnamese), the "Running… Stop" corner.
st.html(
    """<style>
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after { content: "Chọn tệp"; }
[data-testid="stStatusWidget"] { visibility: hidden; }
</style>"""
)
try:
    gate().sealing()  # a misconfigured AUDIT_KEY_FILE is said plainly, before anything is recorded
except AppError as e:
    st.error(str(e))
    st.stop()
person = session.person()  # who is asking, before any page is drawn
if person is None:
    st.stop()
st.session_state["person"] = person
session.account_box(person)
audit_page = st.Page("ui/audit.py", title="Nhật ký", icon="🔎", url_path="nhat-ky")
accounts_page = st.Page("ui/accounts.py", title="Tài khoản", icon="👤", url_path="tai-khoan")
own_password = not person.local and settings().auth == "local"  # a local account changes its password
if person.role == "auditor":  # reads the audit trail, nothing else
    pages = [audit_page] + [accounts_page] * own_password
elif not person.unit and not person.admin:
    pages = [st.Page(session.no_access, title="Chưa có quyền", icon="⏳", url_path="cho-cap-quyen")]
    pages += [accounts_page] * own_password
else:
    pages = [
        st.Page("ui/chat.py", title="Hỏi đáp", icon="💬", url_path="hoi-dap", default=True),
        st.Page("ui/briefing.py", title="Tài liệu tóm tắt", icon="📝", url_path="tom-tat"),
        st.Page("ui/compare.py", title="So sánh địa phương", icon="📊", url_path="so-sanh"),
        st.Page("ui/examples.py", title="Điển hình, phong trào", icon="🏆", url_path="dien-hinh"),
        st.Page("ui/library.py", title="Thư viện & tải lên", icon="📚", url_path="thu-vien"),
    ]
    if person.role in ("unit_admin", "admin"):
        pages += [audit_page, accounts_page]
    elif own_password:
        pages.append(accounts_page)
chosen = st.navigation(pages)
wanted = st.session_state.pop("after-sign-in", None)  # the address the browser asked for before signing in
for page in pages:
    if wanted and page.url_path == wanted.rsplit("/", 1)[-1] and page.url_path != chosen.url_path:
        st.switch_page(page)
chosen.run()
