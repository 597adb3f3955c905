"""Signing in through the organisation's OpenID Connect provider (AUTH=oidc, `st.login`),
in a real Chromium against a provider on 127.0.0.1: the account is made without access,
an administrator gives it a unit, its documents are then the unit's; an e-mail the provider
has not verified does not name the account."""

from __future__ import annotations

import hashlib
import secrets
import shutil

import pytest
from playwright.sync_api import sync_playwright

from accounts import audit
from accounts.access import LOCAL_ADMIN
from accounts.manage import Manager
from tests.conftest import CORPUS, free_port
from tests.support.browser import ARTIFACTS, ask, launch, start_app
from tests.support.oidc import CLIENT_ID, CLIENT_SECRET, Provider
from tests.support.units import units_copy

pytestmark = pytest.mark.slow

OTHER = "oidc-" + hashlib.sha256(b"auth0|666").hexdigest()[:20]


@pytest.fixture
def provider():
    made = Provider()
    yield made
    made.close()


def test_an_official_signs_in_through_the_provider_and_reads_their_units_documents(seed_index, provider, tmp_path):
    _, gate = units_copy(seed_index, tmp_path / "index")
    shutil.copytree(CORPUS, tmp_path / "corpus")
    port = free_port()
    (tmp_path / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider.url}/.well-known/openid-configuration"\n'
    )
    env = {"AUTH": "oidc", "INDEX_DIR": str(tmp_path / "index"), "CORPUS_DIR": str(tmp_path / "corpus")}
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "server-oidc.log").open("w") as log:
        proc, url = start_app(env, log, port, ("--secrets.files", str(tmp_path / "secrets.toml")))
        try:
            with sync_playwright() as p:
                context = launch(p, tmp_path, 1200)
                page = context.new_page()
                provider.person = {"sub": "u-101", "email": "lan@bimson.gov.vn", "email_verified": True}
                page.goto(url)
                page.get_by_role("button", name="Đăng nhập qua hệ thống định danh của cơ quan").click(timeout=120_000)
                page.get_by_text("Tài khoản chưa được cấp quyền").wait_for(timeout=60_000)  # made, without access
                assert gate.directory.row("lan@bimson.gov.vn").source == "oidc"

                Manager(gate, LOCAL_ADMIN).change_user("lan@bimson.gov.vn", unit="B")
                page.goto(url)
                page.get_by_test_id("stChatInputTextArea").wait_for(timeout=120_000)
                ask(page, "Cần Thơ đã giao những nhiệm vụ gì?")
                assert page.locator("div.refused").count() == 1  # another unit's report
                ask(page, "Bỉm Sơn tổ chức bao nhiêu lớp học bơi?")
                assert "04 lớp học bơi" in page.locator("div.answer").last.inner_text()
                page.screenshot(path=str(ARTIFACTS / "oidc.png"), full_page=True)
                page.get_by_role("button", name="Đăng xuất").click()
                page.get_by_role("button", name="Đăng nhập qua hệ thống định danh của cơ quan").wait_for(timeout=60_000)
                context.close()

                context = launch(p, tmp_path / "other", 1200)  # someone else, whose e-mail is not verified
                page = context.new_page()
                provider.person = {"sub": "auth0|666", "email": "lan@bimson.gov.vn", "email_verified": False}
                page.goto(url)
                page.get_by_role("button", name="Đăng nhập qua hệ thống định danh của cơ quan").click(timeout=120_000)
                page.get_by_text("Tài khoản chưa được cấp quyền").wait_for(timeout=60_000)
                assert OTHER in page.get_by_test_id("stSidebar").inner_text()  # its subject, made a plain name
                Manager(gate, LOCAL_ADMIN).set_disabled(OTHER, True)
                page.reload()
                page.get_by_text("Tài khoản đã bị khóa").wait_for(timeout=60_000)  # the provider's word is not enough
                assert page.get_by_test_id("stChatInputTextArea").count() == 0
                context.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    signed_in = [(r.actor, r.action) for r in audit.rows(gate.db) if r.action in ("sign_in", "user_add")]
    assert signed_in == [
        ("lan@bimson.gov.vn", "user_add"),
        ("lan@bimson.gov.vn", "sign_in"),
        ("lan@bimson.gov.vn", "sign_in"),  # a new page is a new browser session
        (OTHER, "user_add"),
        (OTHER, "sign_in"),
    ]
