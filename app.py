"""The browser face: pages for the chat and the document library."""
import streamlit as st

st.set_page_config(page_title="Trợ lý văn bản chỉ đạo", layout="wide")
st.navigation([
    st.Page("ui/chat.py", title="Hỏi đáp", icon=":material/forum:", url_path="hoi-dap", default=True),
    st.Page("ui/library.py", title="Thư viện & tải lên", icon=":material/library_books:", url_path="thu-vien"),
]).run()
