"""The browser face: chat, briefing, locality comparison, examples and the document library."""

import streamlit as st

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
st.navigation(
    [
        st.Page("ui/chat.py", title="Hỏi đáp", icon="💬", url_path="hoi-dap", default=True),
        st.Page("ui/briefing.py", title="Tài liệu tóm tắt", icon="📝", url_path="tom-tat"),
        st.Page("ui/compare.py", title="So sánh địa phương", icon="📊", url_path="so-sanh"),
        st.Page("ui/examples.py", title="Điển hình, phong trào", icon="🏆", url_path="dien-hinh"),
        st.Page("ui/library.py", title="Thư viện & tải lên", icon="📚", url_path="thu-vien"),
    ]
).run()
