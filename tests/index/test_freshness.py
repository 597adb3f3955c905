"""Reads are paged, and a process sees what another process committed without restarting."""
from __future__ import annotations

import shutil
import subprocess
import sys

from index import chroma
from index.store import Index
from ingest.pipeline import ingest
from retrieval.assistant import Assistant
from tests.conftest import CORPUS, MAX_BYTES, ROOT

HUE = ("Báo cáo của Ủy ban nhân dân thành phố Huế ngày 12/3/2024.\n\n"
       "Năm 2023, thành phố Huế đã tổ chức 12 lớp dạy bơi miễn phí cho 480 trẻ em "
       "có hoàn cảnh khó khăn tại các phường ven sông Hương.\n")


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
    out = subprocess.run([sys.executable, "-m", "ingest", str(corpus / "hue.txt"), "--index-dir", str(idx)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr

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
    index._set_meta(chunks, pending='["ghost.txt"]')
    vector = embedder.embed_query("x").tolist()
    chunks.upsert(ids=["ghost-1", "ghost-2"], embeddings=[vector, vector], documents=["a", "b"],
                  metadatas=[{"source": "ghost.txt", "doc_hash": "h", "start": 0, "end": 1}] * 2)
    assert index.chunk_count() == committed + 2
    assert Index(tmp_path / "idx", embedder).collect_garbage() == 1
    assert index.chunk_count() == committed
    assert Index(tmp_path / "idx", embedder).collect_garbage() == 0
