"""The browser face: chat, briefing, locality comparison, examples and the document library."""

import streamlit as st

st.set_page_config(page_title="Trợ lý văn bản chỉ đạo", layout="wide")
st.navigation(
    [
        st.Page("ui/chat.py", title="Hỏi đáp", icon=":material/forum:", url_path="hoi-dap", default=True),
        st.Page("ui/briefing.py", title="Tài liệu tóm tắt", icon=":material/summarize:", url_path="tom-tat"),
        st.Page("ui/compare.py", title="So sánh địa phương", icon=":material/table_chart:", url_path="so-sanh"),
        st.Page("ui/examples.py", title="Điển hình, phong trào", icon=":material/emoji_events:", url_path="dien-hinh"),
        st.Page("ui/library.py", title="Thư viện & tải lên", icon=":material/library_books:", url_path="thu-vien"),
    ]
).run()
