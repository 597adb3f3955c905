"""Accounts in the real browser (issue 29): a reader of one unit never sees another unit's
document on any page; a forged session, another person's conversation key, a disabled
account and a brute-forced password get nothing; without AUTH the app serves only on
127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from playwright.sync_api import sync_playwright

from accounts import audit
from accounts.directory import Directory
from evaluation.load import app_command
from index.store import Index
from tests.conftest import CORPUS, ROOT, free_port, wait_http
from tests.support.browser import ARTIFACTS, ask, download, launch, settled, start_app
from tests.support.units import BIM_SON, CAN_THO, PASSWORDS, units_copy

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def signed(seed_index, tmp_path_factory):
    """The app with AUTH=local on the seed index in units; (url, index dir, gate)."""
    tmp = tmp_path_factory.mktemp("accounts-app")
    _, gate = units_copy(seed_index, tmp / "index", auth="local")
    shutil.copytree(CORPUS, tmp / "corpus")
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "server-accounts.log").open("w")
    env = {
        "AUTH": "local",
        "INDEX_DIR": str(tmp / "index"),
        "CORPUS_DIR": str(tmp / "corpus"),
        "UPLOAD_DIR": str(tmp / "uploads"),
        "SIGNIN_ACCOUNT_FAILURES": "3",
    }
    proc, url = start_app(env, log)
    yield url, gate
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def sign_in(page, url: str, name: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def main_text(page) -> str:
    return page.get_by_test_id("stMainBlockContainer").inner_text()


def test_a_reader_sees_only_their_units_documents_on_every_page(signed, seed_index, tmp_path):
    url, gate = signed
    can_tho_title = seed_index.records()[CAN_THO].title[:40]
    with sync_playwright() as p:
        context = launch(p, tmp_path, 1400, accept_downloads=True)
        context.add_cookies([{"name": "tro_ly_phien", "value": "gia-mao-phien", "url": url}])
        page = context.new_page()
        page.goto(url)
        page.get_by_role("button", name="Đăng nhập").wait_for(timeout=120_000)  # a forged session is nobody
        assert page.get_by_test_id("stChatInputTextArea").count() == 0

        sign_in(page, url, "rb", "khong-dung-mat-khau")
        page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng.").wait_for(timeout=60_000)
        sign_in(page, url, "rb", PASSWORDS["rb"])
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=120_000)
        ask(page, "Cần Thơ đã giao những nhiệm vụ gì?")
        shown = main_text(page)
        assert "Không tìm thấy" in shown and "Cần Thơ" not in shown.replace("Cần Thơ đã giao", "")
        ask(page, "Bỉm Sơn tổ chức bao nhiêu lớp học bơi?")
        assert "lớp" in page.locator("div.answer").last.inner_text()
        rb_conversation = page.url.split("hoi=")[1]
        page.screenshot(path=str(ARTIFACTS / "accounts-chat.png"), full_page=True)

        page.goto(f"{url}/thu-vien")  # a reload: the session is found again in the cookie
        page.get_by_text("2 văn bản").wait_for(timeout=60_000)
        library = main_text(page)
        assert "Tải tài liệu lên" not in library and can_tho_title not in library  # a reader uploads nothing
        page.get_by_test_id("stSelectbox").filter(has_text="Đọc toàn văn").click()
        assert page.get_by_role("option").count() == 2  # only what rb may read can be chosen
        page.get_by_role("option", name=BIM_SON).click()
        page.get_by_text("Phạm vi xem: Đơn vị và cấp trên").wait_for(timeout=60_000)
        assert page.get_by_text("Gỡ văn bản này khỏi thư viện").count() == 0  # reading is not removing
        assert page.get_by_text("Đổi quyền xem").count() == 0
        page.goto(f"{url}/so-sanh")
        page.get_by_text("Bỉm Sơn").first.wait_for(timeout=60_000)
        settled(page)
        assert "Cần Thơ" not in main_text(page)
        page.goto(f"{url}/dien-hinh")
        page.get_by_text("mục.").first.wait_for(timeout=60_000)
        assert "Cần Thơ" not in main_text(page)
        downloaded = download(page, page.get_by_role("button", name="Tải về CSV"))
        exported = downloaded.read_text("utf-8-sig")
        assert "Bỉm Sơn" in exported and "Cần Thơ" not in exported and CAN_THO not in exported
        page.screenshot(path=str(ARTIFACTS / "accounts-examples.png"), full_page=True)

        index = Index(gate.index_dir, seed_index.embedder)
        index.set_access(BIM_SON, unit="A")  # moved to another unit since rb asked
        page.goto(f"{url}/?hoi={rb_conversation}")
        page.get_by_text("không còn trong phạm vi bạn được xem").first.wait_for(timeout=60_000)
        assert "lớp học bơi" not in main_text(page).replace("Bỉm Sơn tổ chức bao nhiêu lớp học bơi?", "")
        index.set_access(BIM_SON, unit="B")

        page.get_by_role("button", name="Đăng xuất").click()
        page.get_by_role("button", name="Đăng nhập").wait_for(timeout=60_000)
        sign_in(page, url, "ra", PASSWORDS["ra"])
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=120_000)
        page.goto(f"{url}/?hoi={rb_conversation}")  # another person's conversation, by its key
        page.get_by_text("Thử một câu hỏi mẫu").wait_for(timeout=60_000)
        assert "lớp học bơi" not in main_text(page) and rb_conversation not in page.url

        Directory(gate.db).change("ra", disabled=True)  # disabled while signed in
        ask_box = page.get_by_test_id("stChatInputTextArea")
        ask_box.fill("Cần Thơ đã giao những nhiệm vụ gì?")
        ask_box.press("Enter")
        page.get_by_role("button", name="Đăng nhập").wait_for(timeout=60_000)
        assert page.locator("div.answer").count() == 0
        Directory(gate.db).change("ra", disabled=False)
        context.close()
    denied = [r for r in audit.rows(gate.db, actor="ra") if r.action == "denied"]
    assert any(json.loads(r.detail) == {"action": "conversation"} for r in denied)


def test_a_brute_forced_password_locks_the_account_in_the_browser(signed, tmp_path):
    url, gate = signed
    with sync_playwright() as p:
        context = launch(p, tmp_path, 1000)
        page = context.new_page()
        for n in range(3):
            sign_in(page, url, "rp", f"doan-mat-khau-{n}")
            page.get_by_text("không đúng").wait_for(timeout=60_000)
        sign_in(page, url, "rp", PASSWORDS["rp"])
        page.get_by_text("tạm khóa").wait_for(timeout=60_000)
        assert page.get_by_test_id("stChatInputTextArea").count() == 0
        context.close()
    assert [r.action for r in audit.rows(gate.db, actor="rp")][-1] == "sign_in_locked"


def test_without_auth_the_app_refuses_to_serve_beyond_this_machine(tmp_path):
    port = free_port()
    command = app_command(port)
    command[command.index("--server.address") + 1] = "0.0.0.0"
    shutil.copytree(CORPUS, tmp_path / "corpus")
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "INDEX_DIR": str(tmp_path / "index"),
        "CORPUS_DIR": str(tmp_path / "corpus"),
    }
    env.pop("AUTH", None)
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health")
        with sync_playwright() as p:
            context = launch(p, tmp_path, 900)
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{port}")
            page.get_by_text("chỉ phục vụ trên chính máy này").wait_for(timeout=60_000)
            assert page.get_by_test_id("stChatInputTextArea").count() == 0
            assert "AUTH=local" in main_text(page)
            context.close()
        assert not (tmp_path / "index").exists()  # nothing was built for nobody
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_feedback_reaches_the_unit_administrator_and_the_auditor_reads_only_the_trail(signed, tmp_path):
    url, gate = signed
    gate.directory.add_user("qb", "B", "unit_admin", "mat-khau-quan-tri-b")
    gate.directory.add_user("kt", "", "auditor", "mat-khau-kiem-soat")
    with sync_playwright() as p:
        context = launch(p, tmp_path, 1400, accept_downloads=True)
        page = context.new_page()
        sign_in(page, url, "rb", PASSWORDS["rb"])
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=120_000)
        ask(page, "Bỉm Sơn tặng học bổng cho bao nhiêu em?")
        page.get_by_text("Phản hồi về câu trả lời").last.click()
        page.get_by_text("sai", exact=True).last.click()
        page.get_by_label("Nhận xét (không bắt buộc)").last.fill("thiếu số em được tặng")
        page.get_by_role("button", name="Gửi phản hồi").last.click()
        page.get_by_text("Đã ghi nhận phản hồi của bạn").wait_for(timeout=60_000)
        page.get_by_role("button", name="Đăng xuất").click()
        page.get_by_role("button", name="Đăng nhập").wait_for(timeout=60_000)

        sign_in(page, url, "kt", "mat-khau-kiem-soat")
        page.get_by_text("Nhật ký hoạt động").wait_for(timeout=120_000)
        page.get_by_text("Chuỗi băm của nhật ký nguyên vẹn").wait_for(timeout=60_000)
        nav = page.get_by_test_id("stSidebar").inner_text()
        assert "Hỏi đáp" not in nav and "Thư viện" not in nav  # an auditor reads no document
        downloaded = download(page, page.get_by_role("button", name="Tải về CSV"))
        trail = downloaded.read_text("utf-8-sig")
        assert "Bỉm Sơn tặng học bổng cho bao nhiêu em?" in trail and "feedback" in trail
        assert "mat-khau" not in trail
        page.screenshot(path=str(ARTIFACTS / "accounts-audit.png"), full_page=True)
        page.get_by_role("button", name="Đăng xuất").click()
        page.get_by_role("button", name="Đăng nhập").wait_for(timeout=60_000)

        sign_in(page, f"{url}/nhat-ky", "qb", "mat-khau-quan-tri-b")  # back to the page asked for after signing in
        wrong = page.get_by_role("button", name="câu trả lời bị đánh dấu sai")
        wrong.wait_for(timeout=120_000)
        downloaded = download(page, wrong)
        rows = [json.loads(line) for line in downloaded.read_text("utf-8").splitlines()]
        assert [(r["question"], r["reported_by"], r["comment"]) for r in rows] == [
            ("Bỉm Sơn tặng học bổng cho bao nhiêu em?", "rb", "thiếu số em được tặng")
        ]
        assert set(rows[0]) >= {"id", "question", "answerable", "sources", "answer_keys"}
        context.close()
