"""AUTH=proxy: nginx authenticates the user and passes the name in X-Remote-User, with the
secret only it knows; Streamlit (server.trustedUserHeaders) puts the header in st.user.
A header forged straight to the app, or through the proxy, gets nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from deploy.nginx import config
from tests.conftest import free_port, wait_http
from tests.support.browser import ARTIFACTS, ask, launch, start_app
from tests.support.units import units_copy

pytestmark = pytest.mark.slow

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SECRET = "khoa-chung-giua-nginx-va-ung-dung"


@pytest.fixture(scope="module")
def proxied(seed_index, tmp_path_factory):
    """(proxy url, app url) for the seed index in units, users ra/rb/rp known to nginx."""
    tmp = tmp_path_factory.mktemp("proxy")
    _, gate = units_copy(seed_index, tmp / "index")
    for name in ("ra", "rb"):  # accounts the proxy vouches for; rp stays a local account, which it never opens
        gate.directory.change(name, source="proxy")
    log = (tmp / "servers.log").open("w")
    app, url = start_app(
        {
            "AUTH": "proxy",
            "PROXY_SECRET": SECRET,
            "STREAMLIT_SERVER_TRUSTED_USER_HEADERS": json.dumps({"X-Remote-User": "name"}),
            "INDEX_DIR": str(tmp / "index"),
            "UPLOAD_DIR": str(tmp / "uploads"),
        },
        log,
    )
    run = tmp / "nginx"
    run.mkdir()
    readable = Path(tempfile.mkdtemp(prefix="htpasswd-"))  # nginx's workers (www-data) read it
    readable.chmod(0o755)
    (readable / "htpasswd").write_text("rb:{PLAIN}mat-khau-rb\nrp:{PLAIN}mat-khau-rp\n")
    port = free_port()
    conf = config(
        f"127.0.0.1:{port}", [url.removeprefix("http://")], run, secret=SECRET, htpasswd=readable / "htpasswd"
    )
    (run / "nginx.conf").write_text(conf)
    nginx = subprocess.Popen([NGINX, "-c", str(run / "nginx.conf"), "-g", "daemon off;"], stdout=log, stderr=log)
    proxy = f"http://127.0.0.1:{port}"
    wait_http(f"{url}/_stcore/health")
    yield proxy, url
    for proc in (nginx, app):
        proc.terminate()
        proc.wait(timeout=30)
    log.close()
    shutil.rmtree(readable)


def test_the_user_nginx_authenticated_is_the_one_signed_in(proxied, tmp_path):
    proxy, _ = proxied
    with sync_playwright() as p:
        context = launch(p, tmp_path, 1200, http_credentials={"username": "rb", "password": "mat-khau-rb"})
        page = context.new_page()
        page.goto(proxy)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=120_000)
        assert "Đăng nhập: rb" in page.get_by_test_id("stSidebar").inner_text()
        ask(page, "Cần Thơ đã giao những nhiệm vụ gì?")
        assert "Không tìm thấy" in page.locator("div.refused").last.inner_text()  # not rb's document
        page.screenshot(path=str(ARTIFACTS / "proxy-user.png"), full_page=True)
        context.close()


def test_a_header_forged_through_the_proxy_is_replaced_by_nginx(proxied, tmp_path):
    proxy, _ = proxied
    with sync_playwright() as p:
        context = launch(
            p,
            tmp_path,
            1000,
            http_credentials={"username": "rb", "password": "mat-khau-rb"},
            extra_http_headers={"X-Remote-User": "ra", "X-Proxy-Secret": SECRET},
        )
        page = context.new_page()
        page.goto(proxy)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=120_000)
        assert "Đăng nhập: rb" in page.get_by_test_id("stSidebar").inner_text()  # not ra
        context.close()
    forged = urllib.request.Request(proxy, headers={"X-Remote-User": "rp", "X-Proxy-Secret": SECRET})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=10)
    assert refused.value.code == 401  # no credentials: nginx lets nothing through


def test_the_proxy_never_opens_a_local_account(proxied, tmp_path):
    proxy, _ = proxied
    with sync_playwright() as p:
        context = launch(p, tmp_path, 1000, http_credentials={"username": "rp", "password": "mat-khau-rp"})
        page = context.new_page()
        page.goto(proxy)
        page.get_by_text("không đăng nhập được theo cách này").wait_for(timeout=120_000)
        assert page.get_by_test_id("stChatInputTextArea").count() == 0
        context.close()


@pytest.mark.parametrize("secret", ["", "doan-khoa-bi-mat"])
def test_a_header_forged_straight_to_the_app_gets_nothing(proxied, tmp_path, secret):
    _, app = proxied
    headers = {"X-Remote-User": "ra", **({"X-Proxy-Secret": secret} if secret else {})}
    with sync_playwright() as p:
        context = launch(p, tmp_path, 1000, extra_http_headers=headers)
        page = context.new_page()
        page.goto(app)
        page.get_by_text("Không xác định được người dùng").wait_for(timeout=120_000)
        assert page.get_by_test_id("stChatInputTextArea").count() == 0
        context.close()
