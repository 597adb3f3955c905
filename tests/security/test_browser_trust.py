"""Trust in the browser (real app, real Chromium): an upload under a document's name is
stored beside it unless a replacement is confirmed, which keeps the old text as a
version that can be restored; Markdown in a title or file name stays text and the
browser requests nothing a document names."""

from __future__ import annotations

import pytest

from tests.conftest import free_port
from tests.support.browser import ARTIFACTS, ask, launch

pytestmark = pytest.mark.slow


def test_browser_hostile_upload_neither_replaces_nor_reaches_out(server, tmp_path):
    """An upload under an official document's name is stored beside it; Markdown in a
    title or file name is shown as text and the browser requests nothing it names."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    from playwright.sync_api import sync_playwright

    hits = []

    class Tracker(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    tracker = ThreadingHTTPServer(("127.0.0.1", free_port()), Tracker)
    Thread(target=tracker.serve_forever, daemon=True).start()
    bait = f"http://127.0.0.1:{tracker.server_port}/t.png"
    hostile = (
        f"![x]({bait}) Báo cáo __đậm__ về hội thi bơi lội\n\n"
        "Năm 2017 Thị xã Bỉm Sơn đã tổ chức hội thi bơi lội cho 77 em học sinh.\n"
    ).encode()
    fake = "Thị xã Bỉm Sơn đã tổ chức 99 lớp học bơi cho trẻ em.\n".encode()
    requests = []
    with sync_playwright() as p:
        context = launch(p, tmp_path, 1400)
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{server}/thu-vien")
        page.locator("input[type=file]").wait_for(state="attached", timeout=180_000)
        page.locator("input[type=file]").set_input_files(
            files=[
                {"name": "004_70c20d1112d6ed16.txt", "mimeType": "text/plain", "buffer": fake},
                {"name": "__dam__.txt", "mimeType": "text/plain", "buffer": hostile},
            ]
        )
        page.get_by_role("button", name="Nạp vào chỉ mục").click()
        page.get_by_text("Đã nạp 2 tệp").wait_for(timeout=60_000)
        page.get_by_text("lưu thành “004_70c20d1112d6ed16-2.txt”").wait_for()
        page.get_by_test_id("stSelectbox").filter(has_text="Đọc toàn văn").click()
        page.get_by_role("option", name="__dam__.txt").click()
        title = page.locator("[data-testid='stMarkdownContainer'] strong").filter(
            has_text=f"![x]({bait}) Báo cáo __đậm__"
        )
        title.wait_for(timeout=20_000)  # the document's title, as text

        page.goto(server)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=60_000)
        ask(page, "Hội thi bơi lội ở Bỉm Sơn có bao nhiêu em học sinh?")
        assert "77 em" in page.locator("div.answer").last.inner_text()
        page.locator("[data-testid='stExpander'] summary").filter(has_text="![x](").first.wait_for()  # as text
        page.screenshot(path=str(ARTIFACTS / "hostile.png"), full_page=True)
        context.close()
    tracker.shutdown()
    assert hits == [] and not [u for u in requests if str(tracker.server_port) in u]


def test_browser_replace_needs_confirmation_and_the_old_text_can_be_restored(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    first = "Báo cáo của xã Tân Phú năm 2023.\n\nXã Tân Phú đã tổ chức 15 lớp dạy bơi cho trẻ em.\n".encode()
    second = "Báo cáo của xã Tân Phú năm 2023.\n\nXã Tân Phú đã tổ chức 16 lớp dạy bơi cho trẻ em.\n".encode()
    with sync_playwright() as p:
        context = launch(p, tmp_path, 1600)
        page = context.new_page()
        page.goto(f"{server}/thu-vien")
        upload = page.locator("input[type=file]")
        upload.wait_for(state="attached", timeout=180_000)
        upload.set_input_files(files=[{"name": "tan-phu.txt", "mimeType": "text/plain", "buffer": first}])
        page.get_by_role("button", name="Nạp vào chỉ mục").click()
        page.get_by_text("Đã nạp 1 tệp").wait_for(timeout=60_000)

        page.goto(f"{server}/thu-vien")
        upload.wait_for(state="attached", timeout=60_000)
        upload.set_input_files(files=[{"name": "tan-phu.txt", "mimeType": "text/plain", "buffer": second}])
        page.get_by_text("Thay thế văn bản đã có").click()
        button = page.get_by_role("button", name="Nạp vào chỉ mục")
        expect(button).to_be_disabled()  # not before the confirmation
        page.get_by_text("Tôi xác nhận thay thế 1 văn bản").click()
        expect(button).to_be_enabled()
        button.click()
        page.get_by_text("Đã thay thế văn bản “tan-phu.txt”").wait_for(timeout=60_000)

        page.goto(server)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=60_000)
        ask(page, "Xã Tân Phú tổ chức bao nhiêu lớp dạy bơi?")
        assert "16 lớp" in page.locator("div.answer").last.inner_text()

        page.goto(f"{server}/thu-vien")
        page.get_by_test_id("stSelectbox").filter(has_text="Đọc toàn văn").click()
        page.get_by_role("option", name="tan-phu.txt").click()
        page.get_by_test_id("stSelectbox").filter(has_text="1 phiên bản trước").click()
        page.get_by_role("option").filter(has_text="Phiên bản lưu lúc").click()
        # the earlier text, as its difference from the text in use
        page.get_by_text("-Xã Tân Phú đã tổ chức 15 lớp dạy bơi cho trẻ em.").wait_for(timeout=20_000)
        page.get_by_text("+Xã Tân Phú đã tổ chức 16 lớp dạy bơi cho trẻ em.").wait_for()
        page.get_by_role("button", name="Khôi phục phiên bản này").click()
        page.get_by_text("Đã khôi phục phiên bản lưu lúc").wait_for(timeout=60_000)
        # the page drawn again: the difference with the version restored is gone, its text is read
        page.get_by_text("-Xã Tân Phú đã tổ chức 15 lớp dạy bơi cho trẻ em.").wait_for(state="detached", timeout=60_000)
        page.get_by_text("Xã Tân Phú đã tổ chức 15 lớp").wait_for(timeout=20_000)
        page.screenshot(path=str(ARTIFACTS / "versions.png"), full_page=True)

        page.goto(server)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=60_000)
        ask(page, "Xã Tân Phú tổ chức bao nhiêu lớp dạy bơi?")
        assert "15 lớp" in page.locator("div.answer").last.inner_text()
        context.close()
