"""A real headless Chromium (Debian's package) driven by Playwright, and the app
served on 127.0.0.1 for it."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from playwright.sync_api import expect

from evaluation.load import app_command
from tests.conftest import ROOT, free_port, wait_http

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "screenshots"
INDEX: dict[str, Path] = {}  # the served app's index folder, for tests that write to it from another process


def start_app(env: dict, log, port: int | None = None, args: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on 127.0.0.1 (a free port unless given) with these settings and
    Streamlit options; (process, url)."""
    port = port or free_port()
    proc = subprocess.Popen(
        [*app_command(port), *args],
        cwd=ROOT,
        env=dict(os.environ, HF_HUB_OFFLINE="1", **env),
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    wait_http(f"{url}/_stcore/health")
    return proc, url


def launch(p, tmp_path, height: int, **options):
    """Debian's Chromium, headless, with a fresh profile."""
    return p.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=FLAGS,
        viewport={"width": 1280, "height": height},
        **options,
    )


def ask(page, question: str) -> float:
    """Submit a question; seconds until its answer is on screen."""
    before = page.locator("div.answer, div.refused").count()
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    started = time.perf_counter()
    box.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('div.answer, div.refused').length > {before}", timeout=120_000)
    return time.perf_counter() - started


def settled(page, timeout: int = 60_000) -> None:
    """Wait until the app has finished the run a click started (its status widget is gone)."""
    page.wait_for_timeout(300)  # the run starts after the click's message reaches the server
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=timeout)


def download(page, button) -> Path:
    """Click a download button once the page has settled; the saved file's path. A rerun
    that redraws the button just as it is clicked loses the click; and under load the page
    has been seen holding every widget disabled for over 30 s (its connection to the server
    lost, it seems). So a second try comes after a reload, which the session survives (its
    cookie), with a screenshot of what the first try saw."""
    for attempt in (1, 2):
        settled(page)
        try:
            expect(button).to_be_enabled(timeout=30_000)
            with page.expect_download(timeout=60_000) as info:
                button.click()
            return Path(info.value.path())
        except Exception:
            if attempt == 2:
                raise
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "download-retried.png"), full_page=True)
            page.reload()
            button.wait_for(timeout=120_000)
    raise AssertionError("unreachable")
