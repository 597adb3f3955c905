"""How the app holds up when many people use it at once.

python -m evaluation.load [--sessions 20] [--url URL] [--[no-]upload] [--qa FILE] [--json]

Without --url the app is started on 127.0.0.1 over a temporary copy of the corpus
(its index built first). One headless Chromium opens N sessions (a browser context
each, so N Streamlit sessions); when all are ready they ask their questions at the
same moment, while one more session uploads a document in the library. Prints time
to answer (p50/p95/max) as the browser saw it (Chromium's own rendering shares the
machine) and as the app timed its work, answers holding their key, the upload's time,
and errors: a question with no answer in time, or an error shown on the page.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from cli import command
from index.store import open_index
from ingest.pipeline import ingest
from settings import Settings

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
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
ANSWERED = "document.querySelectorAll('div.answer, div.refused').length > 0"
UPLOAD = (
    "Báo cáo của Ủy ban nhân dân huyện Hòa Vang ngày 5/4/2024.\n\n"
    "Năm 2023, huyện Hòa Vang đã tổ chức 31 lớp dạy bơi miễn phí cho 920 trẻ em.\n"
).encode()


def questions(path: Path, n: int) -> list[dict]:
    """N answerable questions with their keys, repeating the file's when N is larger."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r.get("answerable")]
    return [rows[i % len(rows)] for i in range(n)]


async def ask(browser, url: str, row: dict, ready, start, timeout_ms: int) -> dict:
    context = await browser.new_context()
    page = await context.new_page()
    counted = False
    try:
        await page.goto(url)
        box = page.get_by_test_id("stChatInputTextArea")
        await box.wait_for(timeout=timeout_ms)
        counted = ready()
        await start.wait()
        started = time.perf_counter()
        await box.fill(row["question"])
        await box.press("Enter")
        await page.wait_for_function(ANSWERED, timeout=timeout_ms)
        seconds = time.perf_counter() - started
        text = await page.locator("div.answer, div.refused").last.inner_text()
        timed = re.search(r"Trả lời trong ([\d.]+) giây", await page.locator("body").inner_text())
        shown_errors = (
            await page.get_by_test_id("stException").count()
            + await page.locator("[data-testid='stAlertContentError']").count()
        )
        return {
            "seconds": seconds,
            "server": float(timed.group(1)) if timed else None,
            "hit": any(k in text for k in row["answer_keys"]),
            "error": f"{shown_errors} lỗi trên trang" if shown_errors else "",
        }
    except Exception as e:  # timeouts and crashed pages are what this command counts
        log.warning("session failed: %s", e, exc_info=True)
        return {"seconds": None, "server": None, "hit": False, "error": f"{type(e).__name__}: {str(e)[:120]}"}
    finally:
        if not counted:  # a session that never got ready must not hold the others back
            ready()
        await context.close()


async def upload(browser, url: str, start, timeout_ms: int) -> dict:
    context = await browser.new_context()
    page = await context.new_page()
    try:
        await page.goto(f"{url}/thu-vien")
        await page.locator("input[type=file]").wait_for(state="attached", timeout=timeout_ms)
        name = f"tai-len-{int(time.time())}.txt"
        await page.locator("input[type=file]").set_input_files(
            files=[{"name": name, "mimeType": "text/plain", "buffer": UPLOAD}]
        )
        await start.wait()
        started = time.perf_counter()
        await page.get_by_role("button", name="Nạp vào chỉ mục").click()
        await page.get_by_text("Đã nạp 1 tệp").wait_for(timeout=timeout_ms)
        return {"seconds": time.perf_counter() - started, "error": ""}
    except Exception as e:
        log.warning("upload failed: %s", e, exc_info=True)
        return {"seconds": None, "error": f"{type(e).__name__}: {str(e)[:120]}"}
    finally:
        await context.close()


async def run(url: str, rows: list[dict], timeout_ms: int, with_upload: bool) -> tuple[list[dict], dict]:
    from playwright.async_api import async_playwright

    start, waiting = asyncio.Event(), [len(rows)]

    def ready() -> bool:
        waiting[0] -= 1
        if waiting[0] == 0:
            start.set()
        return True

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", headless=True, args=FLAGS
        )
        uploading = upload(browser, url, start, timeout_ms) if with_upload else _nothing()
        results = await asyncio.gather(uploading, *[ask(browser, url, r, ready, start, timeout_ms) for r in rows])
        await browser.close()
    return results[1:], results[0]


async def _nothing() -> dict:
    return {"seconds": None, "error": ""}


def percentiles(values: list[float]) -> dict:
    """p50, p95 and max of some seconds."""
    values = sorted(values)
    if not values:
        return {"p50": None, "p95": None, "max": None}
    return {
        "p50": round(statistics.median(values), 2),
        "p95": round(values[math.ceil(0.95 * len(values)) - 1], 2),
        "max": round(values[-1], 2),
    }


def summary(answers: list[dict], uploaded: dict) -> dict:
    """Seconds from Enter to the answer on screen (browser), and as the app timed its own work (server)."""
    browser = [a["seconds"] for a in answers if a["seconds"] is not None]
    return {
        "sessions": len(answers),
        "answered": len(browser),
        "key_hit": sum(a["hit"] for a in answers),
        "browser_s": percentiles(browser),
        "server_s": percentiles([a["server"] for a in answers if a["server"] is not None]),
        "upload_s": uploaded["seconds"] and round(uploaded["seconds"], 2),
        "errors": [a["error"] for a in answers if a["error"]] + ([uploaded["error"]] if uploaded["error"] else []),
    }


def serve(settings: Settings, workdir: Path):
    """Build an index over a copy of the corpus and start the app on it; (process, url)."""
    corpus = workdir / "corpus"
    shutil.copytree(settings.corpus_dir, corpus)
    settings = settings.model_copy(update={"chroma_host": None})  # never a shared server's index
    ingest([corpus], open_index(settings, workdir / "index"), settings.max_bytes, progress=False)
    return start_app(workdir / "index", corpus, workdir)


def app_command(port: int) -> list[str]:
    """`streamlit run app.py`, headless, on 127.0.0.1:`port`."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


def start_app(index_dir: Path, corpus: Path, workdir: Path):
    """`streamlit run app.py` on this embedded index, on a free port of 127.0.0.1; (process, url)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(
        {k: v for k, v in os.environ.items() if k != "CHROMA_HOST"},
        INDEX_DIR=str(index_dir),
        CORPUS_DIR=str(corpus),
        UPLOAD_DIR=str(workdir / "uploads"),
        HF_HUB_OFFLINE="1",
    )
    proc = subprocess.Popen(
        app_command(port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "app.log").open("w"),
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            return proc, url
        except OSError:
            time.sleep(1)
    proc.kill()
    raise RuntimeError("the app did not start")


@command
def main(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.load")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--url", help="a running app (default: start one on a copy of the corpus)")
    parser.add_argument("--qa", type=Path, default=ROOT / "evaluation/questions/user_dev.jsonl")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a session may wait")
    parser.add_argument(
        "--upload",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="one session uploads a test document meanwhile (default: only without --url, "
        "since it stays in that app's index)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with_upload = args.upload if args.upload is not None else not args.url
    rows = questions(args.qa, args.sessions)
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        proc, url = (None, args.url) if args.url else serve(settings, Path(tmp))
        try:
            answers, uploaded = asyncio.run(run(url, rows, int(args.timeout * 1000), with_upload))
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    out = summary(answers, uploaded)
    print(json.dumps(out, ensure_ascii=False, indent=None if args.json else 2))
    return 0 if not out["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
