"""The browser face through Streamlit's AppTest: a question gets a cited answer."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def test_chat_answers_with_citations(seed_index, monkeypatch):
    monkeypatch.setenv("INDEX_DIR", str(seed_index.index_dir))
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not app.exception
    app.chat_input[0].set_value("Bỉm Sơn tặng học bổng cho bao nhiêu em?").run()
    assert not app.exception
    assert any("122 em" in m.value for m in app.markdown)
    assert any(e.label.startswith("[1] Báo cáo sơ kết 5 năm") for e in app.expander)
    app.chat_input[0].set_value("Đà Nẵng đã ban hành kế hoạch nào?").run()
    assert any("Không tìm thấy" in w.value for w in app.warning)
