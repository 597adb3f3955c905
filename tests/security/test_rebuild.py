"""`--rebuild` builds beside the index and switches at the end: `kill -9` at any point
leaves the previous index answering, and a running process follows the switch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from index.store import Index
from ingest.pipeline import ingest
from retrieval.assistant import Assistant
from tests.conftest import CORPUS, MAX_BYTES, ROOT, start_chroma

pytestmark = pytest.mark.slow

QUESTION = "Bỉm Sơn tặng học bổng cho bao nhiêu em?"


def _rebuild(idx, corpus, kill_at: bytes | None, **env) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingest", str(corpus), "--index-dir", str(idx), "--rebuild"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        env=dict(os.environ, PYTHONUNBUFFERED="1", **env),
    )
    if kill_at is None:
        assert proc.wait(timeout=600) == 0
        return
    assert proc.stderr is not None  # stderr=PIPE
    seen, deadline = b"", time.time() + 300
    while kill_at not in seen and time.time() < deadline:
        chunk = os.read(proc.stderr.fileno(), 256)
        if not chunk:
            break
        seen += chunk
    assert kill_at in seen, seen.decode(errors="replace")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def _answers(index: Index) -> None:
    assert len(index.records()) == 10
    answer = Assistant(index).ask(QUESTION)
    assert "122 em" in answer.answer and answer.citations


def _corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for copy in range(2):
        for seed in sorted(CORPUS.iterdir()):
            copy_text = seed.read_bytes() + f"\n\nBản lưu số {copy}.\n".encode()  # not an exact copy
            (corpus / f"{copy}_{seed.name}").write_bytes(copy_text)
    return corpus


def test_killed_rebuild_leaves_the_previous_index_answering(tmp_path, embedder):
    corpus = _corpus(tmp_path)
    idx = tmp_path / "idx"
    running = Index(idx, embedder)
    ingest([corpus], running, MAX_BYTES, progress=False)
    _answers(running)
    for point in (b"1/10", b"8/10"):
        _rebuild(idx, corpus, point)
        _answers(Index(idx, embedder))  # a new process sees the old index, whole

    _rebuild(idx, corpus, None)
    assert [p.name for p in idx.glob("chroma*")] == [(idx / "current").read_text()]  # old and partial stores gone
    assert running.refresh() is True  # the running process follows the switch
    _answers(running)


def test_killed_rebuild_on_a_chroma_server_leaves_the_previous_index_answering(tmp_path, embedder):
    import chromadb

    server, port = start_chroma(tmp_path / "data")
    try:
        corpus, env = _corpus(tmp_path), {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(port)}
        running = Index(tmp_path / "app-1", embedder, chroma_host="127.0.0.1", chroma_port=port)
        ingest([corpus], running, MAX_BYTES, progress=False)
        _answers(running)
        _rebuild(tmp_path / "cli", corpus, b"1/10", **env)
        _answers(Index(tmp_path / "app-2", embedder, chroma_host="127.0.0.1", chroma_port=port))
        _rebuild(tmp_path / "cli", corpus, None, **env)
        assert running.refresh() is True  # the running app follows the switch
        _answers(running)
        names = {c.name for c in chromadb.HttpClient(host="127.0.0.1", port=port).list_collections()}
        stores = {n.rsplit("-", 1)[0] if n.startswith("chroma-") else "chroma" for n in names if n != "current-store"}
        assert len(stores) == 2 and "chroma" in stores  # the partial store is dropped, the one replaced kept
        _rebuild(tmp_path / "cli", corpus, None, **env)  # a second switch drops the first store
        names = {c.name for c in chromadb.HttpClient(host="127.0.0.1", port=port).list_collections()}
        assert len({n.rsplit("-", 1)[0] for n in names if n != "current-store"}) == 2 and "chunks" not in names
        _answers(Index(tmp_path / "app-3", embedder, chroma_host="127.0.0.1", chroma_port=port))
    finally:
        server.terminate()
        server.wait(timeout=30)
