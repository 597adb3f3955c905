"""LLM mode in the browser: while the model writes, the user sees progress, never the
unverified draft; a draft with a planted figure is replaced by the extractive answer
with a notice (real Streamlit, real Chromium, a real HTTP model server)."""

from __future__ import annotations

import pytest

from tests.support.browser import ARTIFACTS, ask, launch, start_app
from tests.support.fake_llm import FakeLLM

pytestmark = pytest.mark.slow

PLANTED = "Thị xã Bỉm Sơn đã tổ chức 99 lớp học bơi cho trẻ em trong năm 2017 [1]."


@pytest.fixture
def llm_app(seed_index, tmp_path):
    fake = FakeLLM()
    fake.reply = lambda messages: PLANTED
    fake.delay = 0.15  # about two seconds of streaming
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "server-llm.log").open("w") as log:
        proc, url = start_app(
            {
                "INDEX_DIR": str(seed_index.index_dir),
                "CORPUS_DIR": str(tmp_path / "none"),
                "UPLOAD_DIR": str(tmp_path / "uploads"),
                "ANSWER_MODE": "llm",
                "LLM_BASE_URL": fake.url,
                "LLM_MODEL": "fake",
            },
            log,
        )
        yield url, fake
        proc.terminate()
        proc.wait(timeout=30)
    fake.close()


def test_the_unverified_draft_is_never_shown(llm_app, tmp_path):
    from playwright.sync_api import sync_playwright

    url, fake = llm_app
    seen: list[str] = []
    with sync_playwright() as p:
        context = launch(p, tmp_path, 1200)
        page = context.new_page()
        page.goto(url)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=180_000)
        page.expose_function("record", lambda text: seen.append(text))  # every change of the page's text, as it happens
        page.evaluate("""() => new MutationObserver(() => window.record(document.body.innerText))
                         .observe(document.body, {subtree: true, childList: true, characterData: true})""")
        ask(page, "Bỉm Sơn tổ chức bao nhiêu lớp học bơi cho trẻ em?")
        page.screenshot(path=str(ARTIFACTS / "llm-draft.png"), full_page=True)
        final = page.locator("body").inner_text()
        context.close()
    assert fake.requests and fake.requests[-1]["body"]["stream"] is True
    assert any("Mô hình đang soạn" in text for text in seen)  # progress was shown while it wrote
    assert not any("99 lớp" in text for text in seen)
    assert "không được dùng" in final and "99" in final  # the notice names the unsupported figure
    assert "99 lớp" not in final
