"""Beyond one machine: one Chroma server, one PostgreSQL for accounts, two app processes
behind nginx with sticky sessions. A document uploaded through one app is answered by the
other; `kill -9` of one app loses nothing, and its browsers are served by the other,
still signed in."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import urllib.request

import pytest

from accounts.directory import Directory
from accounts.store import engine
from deploy.nginx import config
from tests.conftest import CORPUS, ROOT, free_port, start_chroma, wait_http
from tests.support import postgres
from tests.support.browser import ARTIFACTS, ask, launch, start_app

pytestmark = pytest.mark.slow

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HUE = (
    "Báo cáo của Ủy ban nhân dân thành phố Huế ngày 12/3/2024.\n\n"
    "Năm 2023, thành phố Huế đã tổ chức 12 lớp dạy bơi miễn phí cho 480 trẻ em.\n"
).encode()
QUESTION = "Thành phố Huế tổ chức bao nhiêu lớp dạy bơi cho trẻ em?"


def _replica(proxy: str, cookie: str) -> str:
    """The app server nginx sends a browser with this cookie to."""
    request = urllib.request.Request(f"{proxy}/_stcore/health", headers={"Cookie": f"replica={cookie}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["X-Replica"]


PASSWORDS = {"bien-tap": "mat-khau-bien-tap", "doc-gia": "mat-khau-doc-gia"}


def sign_in(page, name: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(PASSWORDS[name])
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.fixture
def deployment(tmp_path):
    """chroma run, PostgreSQL, the bundled corpus ingested by the CLI into a unit, two apps
    with AUTH=local and nginx, all on 127.0.0.1."""
    procs, log = [], (tmp_path / "servers.log").open("w")
    chroma, chroma_port = start_chroma(tmp_path / "data", log)
    procs.append(chroma)
    database, accounts_url, pg_folder = postgres.start()
    directory = Directory(engine(accounts_url))
    directory.add_unit("A", "Đơn vị A")
    directory.add_user("bien-tap", "A", "editor", PASSWORDS["bien-tap"])
    directory.add_user("doc-gia", "A", "reader", PASSWORDS["doc-gia"])
    proxy_port = free_port()
    try:
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        for name in sorted(os.listdir(CORPUS))[:2]:
            shutil.copy(CORPUS / name, corpus)
        server = {
            "CHROMA_HOST": "127.0.0.1",
            "CHROMA_PORT": str(chroma_port),
            "CORPUS_DIR": str(corpus),
            "AUTH": "local",
            "ACCOUNTS_DB_URL": accounts_url,
        }
        out = subprocess.run(
            [sys.executable, "-m", "ingest", str(corpus), "--unit", "A", "--index-dir", str(tmp_path / "cli")],
            cwd=ROOT,
            env=dict(os.environ, HF_HUB_OFFLINE="1", **server),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert out.returncode == 0, out.stderr
        apps = []
        for n in (1, 2):  # each with its own local folders, as on its own machine
            proc, url = start_app(
                dict(server, INDEX_DIR=str(tmp_path / f"app-{n}"), UPLOAD_DIR=str(tmp_path / f"uploads-{n}")), log
            )
            procs.append(proc)
            apps.append((proc, url.removeprefix("http://")))
        run = tmp_path / "nginx"
        run.mkdir()
        (run / "nginx.conf").write_text(config(f"127.0.0.1:{proxy_port}", [a for _, a in apps], run))
        procs.append(
            subprocess.Popen([NGINX, "-c", str(run / "nginx.conf"), "-g", "daemon off;"], stdout=log, stderr=log)
        )
        proxy = f"http://127.0.0.1:{proxy_port}"
        wait_http(f"{proxy}/_stcore/health")
        yield proxy, apps
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=30)
        postgres.stop(database, pg_folder)
        log.close()


def test_two_replicas_serve_the_same_documents_and_survive_a_kill(deployment, tmp_path):
    from playwright.sync_api import sync_playwright

    proxy, apps = deployment
    cookies = {}  # one cookie value per app server
    for value in (f"browser-{n}" for n in range(50)):
        cookies.setdefault(_replica(proxy, value), value)
    assert set(cookies) == {a for _, a in apps}  # nginx spreads browsers over both
    first, second = (cookies[a] for _, a in apps)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        one = launch(p, tmp_path / "one", 1400)
        one.add_cookies([{"name": "replica", "value": first, "url": proxy}])
        page = one.new_page()
        assert page.goto(f"{proxy}/thu-vien").headers["x-replica"] == apps[0][1]
        sign_in(page, "bien-tap")
        page.locator("input[type=file]").wait_for(state="attached", timeout=180_000)  # the page asked for
        page.locator("input[type=file]").set_input_files(
            files=[{"name": "hue.txt", "mimeType": "text/plain", "buffer": HUE}]
        )
        page.get_by_role("button", name="Nạp vào chỉ mục").click()
        page.get_by_text("Đã nạp 1 tệp").wait_for(timeout=120_000)  # uploaded through app 1 (sticky: same server)

        two = launch(p, tmp_path / "two", 1400)
        two.add_cookies([{"name": "replica", "value": second, "url": proxy}])
        other = two.new_page()
        assert other.goto(proxy).headers["x-replica"] == apps[1][1]
        sign_in(other, "doc-gia")
        other.get_by_test_id("stChatInputTextArea").wait_for(timeout=180_000)
        ask(other, QUESTION)  # answered by app 2, which never saw the upload
        assert "12 lớp dạy bơi" in other.locator("div.answer").last.inner_text()
        other.screenshot(path=str(ARTIFACTS / "replica-2.png"), full_page=True)

        apps[0][0].send_signal(signal.SIGKILL)  # app 1 dies mid-session
        apps[0][0].wait(timeout=30)
        served = page.goto(proxy)
        assert served.headers["x-replica"].split(", ")[-1] == apps[1][1]  # app 1 refused: its browser goes to app 2
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=180_000)  # still signed in: no form on app 2
        assert page.get_by_role("button", name="Đăng nhập").count() == 0
        ask(page, QUESTION)
        assert "12 lớp dạy bơi" in page.locator("div.answer").last.inner_text()
        page.locator("[data-testid='stExpander'] summary").filter(has_text="[1]").last.click()
        mark = page.locator("mark.quote").filter(has_text="12 lớp dạy bơi").first
        mark.wait_for(state="visible", timeout=20_000)  # the citation opens on app 2
        page.screenshot(path=str(ARTIFACTS / "replica-failover.png"), full_page=True)
        one.close()
        two.close()
