"""Reads are paged, and a process sees what another process committed without restarting."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

from index import chroma, freshness, writes
from index.store import Index
from ingest.pipeline import ingest
from retrieval.assistant import Assistant
from tests.conftest import CORPUS, MAX_BYTES, ROOT
from tests.support.seeds import HUE

pytestmark = pytest.mark.integration


def test_whole_collection_reads_are_paged(seed_index, tmp_path, monkeypatch):
    whole = {k: v.hash for k, v in seed_index.records().items()}
    chunks = len(seed_index.lexical())
    copy = tmp_path / "idx"
    shutil.copytree(seed_index.index_dir, copy)
    shutil.rmtree(copy / "chroma" / "lexical")  # rebuilt from Chroma, page by page
    monkeypatch.setattr(chroma, "PAGE", 3)  # 5 documents and ~60 chunks: many pages each
    paged = Index(copy, seed_index.embedder)
    assert {k: v.hash for k, v in paged.records().items()} == whole
    assert len(paged.lexical()) == chunks == paged.chunk_count()


def test_a_running_process_sees_a_document_another_process_added(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "001_d717fc30ee347d63.txt", corpus)
    idx = tmp_path / "idx"
    running = Index(idx, embedder)
    ingest([corpus], running, MAX_BYTES, progress=False)
    assistant = Assistant(running)
    before = assistant.ask("Huế tổ chức bao nhiêu lớp dạy bơi cho trẻ em?")
    assert not before.citations and running.refresh() is False

    (corpus / "hue.txt").write_text(HUE, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "ingest", str(corpus / "hue.txt"), "--index-dir", str(idx)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr

    kept = (
        sqlite3.connect(running.cache_path("facts.sqlite"))
        .execute("SELECT kind FROM facts WHERE doc_id = 'hue.txt' ORDER BY kind")
        .fetchall()
    )
    assert kept == [("examples",), ("figures",)]  # the pages' facts were found at ingest

    after = assistant.ask("Huế tổ chức bao nhiêu lớp dạy bơi cho trẻ em?")  # same objects, no restart
    assert "hue.txt" in running.records()
    assert after.citations and after.citations[0].source == "hue.txt" and "12 lớp" in after.answer
    hits = running.dense_search(embedder.embed_query("lớp dạy bơi ở Huế"), 3)
    assert "hue.txt" in {p.source for p in running.passages([h[0] for h in hits])}


def test_an_interrupted_write_is_collected_from_its_pending_list(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "001_d717fc30ee347d63.txt", corpus)
    index = Index(tmp_path / "idx", embedder)
    ingest([corpus], index, MAX_BYTES, progress=False)
    chunks, _ = index.open()
    committed = index.chunk_count()
    # what put_documents leaves when killed after writing chunks, before the record commits
    key, entry = writes.begin({"ghost.txt"})
    writes.finished(key)  # this process's write is over (killed)
    index.connection.set_meta(chunks, **{key: entry})
    vector = embedder.embed_query("x").tolist()
    chunks.upsert(
        ids=["ghost-1", "ghost-2"],
        embeddings=[vector, vector],
        documents=["a", "b"],
        metadatas=[{"source": "ghost.txt", "doc_hash": "h", "start": 0, "end": 1}] * 2,
    )
    assert index.chunk_count() == committed + 2
    assert Index(tmp_path / "idx", embedder).collect_garbage() == 1
    assert index.chunk_count() == committed
    assert Index(tmp_path / "idx", embedder).collect_garbage() == 0


def test_a_write_under_way_elsewhere_is_not_taken_for_garbage(tmp_path, embedder):
    """Two replicas on one store: one collecting garbage must not delete the chunks
    another is writing; it collects them once that writer is gone."""
    index = Index(tmp_path / "idx", embedder)
    chunks, _ = index.open()
    vector = embedder.embed_query("x").tolist()
    chunks.upsert(
        ids=["w-1"],
        embeddings=[vector],
        documents=["a"],
        metadatas=[{"source": "writing.txt", "doc_hash": "h", "start": 0, "end": 1}],
    )
    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        key, entry = writes.begin({"writing.txt"})
        writes.finished(key)
        entry = entry.replace(f'"pid": {os.getpid()}', f'"pid": {writer.pid}')
        index.connection.set_meta(chunks, **{key: entry})
        assert Index(tmp_path / "idx", embedder).collect_garbage() == 0  # its writer is alive
        elsewhere = entry.replace(socket.gethostname(), "replica-2").replace(f'"pid": {writer.pid}', '"pid": 1')
        index.connection.set_meta(chunks, **{key: elsewhere})
        assert Index(tmp_path / "idx", embedder).collect_garbage() == 0  # another machine, recent
        assert index.chunk_count() == 1
    finally:
        writer.kill()
        writer.wait()
    index.connection.set_meta(chunks, **{key: entry})
    assert Index(tmp_path / "idx", embedder).collect_garbage() == 1  # its writer died
    assert index.chunk_count() == 0
    old = json.loads(elsewhere) | {"at": time.time() - 2 * writes.STALE_SECONDS}
    index.connection.set_meta(chunks, **{key: json.dumps(old)})
    assert Index(tmp_path / "idx", embedder).collect_garbage() == 1  # another machine, long ago
    assert not writes.abandoned(index.connection.stored_meta(chunks.name))


def test_after_a_commit_elsewhere_only_the_new_records_are_read(seed_index, tmp_path, embedder, monkeypatch):
    copy = tmp_path / "idx"
    shutil.copytree(seed_index.index_dir, copy)
    running = Index(copy, embedder)
    before = dict(running.records())
    read = []
    paged = chroma.paged

    def counted(col, include, where=None):
        for row in paged(col, include, where):
            read.append(row[0])
            yield row

    monkeypatch.setattr(chroma, "paged", counted)
    monkeypatch.setattr(freshness, "CLOCK_MARGIN", 0)  # the fixture's records were committed moments ago
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "hue.txt").write_text(HUE, encoding="utf-8")
    ingest([tmp_path / "new"], Index(copy, embedder), MAX_BYTES, progress=False)  # another writer
    read.clear()
    assert running.refresh() is True
    assert set(running.records()) == set(before) | {"hue.txt"} and read == ["hue.txt"]  # not every record again

    Index(copy, embedder).remove_document("hue.txt")
    read.clear()
    assert running.refresh() is True
    assert running.records().keys() == before.keys() and sorted(read) == sorted(before)  # a removal: all read again
