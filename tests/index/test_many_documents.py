"""Past SQLite's variable limit (32,766): 33,000 one-chunk documents, written from one
embedded document without embedding again, are read, searched, filtered, answered from,
collected and added to, as a new process sees them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from index.records import NewDocument
from index.store import Index
from ingest.pipeline import file_hash, ingest, prepare
from retrieval.assistant import Assistant
from retrieval.filters import Filters
from retrieval.retriever import HybridRetriever
from tests.conftest import MAX_BYTES
from tests.support.seeds import HUE

pytestmark = pytest.mark.slow

DOCUMENTS = 33_000  # one more than SQLite's limit would allow in a single IN (…) of ids
COMMUNE = (
    "Báo cáo của Ủy ban nhân dân xã Tân Lập ngày 12/3/2024.\n\n"
    "Năm 2023, xã Tân Lập đã tổ chức 3 lớp dạy bơi cho 90 trẻ em.\n"
)


def test_an_index_past_sqlites_variable_limit_works(tmp_path, embedder):
    source = tmp_path / "xa.txt"
    source.write_text(COMMUNE, encoding="utf-8")
    seed = prepare(source, source.name, file_hash(source), MAX_BYTES).embedded(embedder)
    writer, batch = Index(tmp_path / "index", embedder), []
    for n in range(DOCUMENTS):
        record = replace(seed.record, id=f"{n:06d}_xa.txt", hash=f"copy-{n}")
        batch.append(NewDocument(record, seed.text, seed.chunks, seed.vectors, seed.tokens))
        if len(batch) == 5_000 or n == DOCUMENTS - 1:
            writer.put_documents(batch, replacing=set())
            batch = []

    index = Index(tmp_path / "index", embedder)  # what another process opens
    assert len(index.records()) == DOCUMENTS
    assert len(index.lexical()) == DOCUMENTS == index.chunk_count()
    index.collect_garbage()
    assert index.chunk_count() == DOCUMENTS  # nothing taken for garbage
    answer = Assistant(index).ask("Xã Tân Lập tổ chức bao nhiêu lớp dạy bơi?")
    assert "3 lớp dạy bơi" in answer.answer and answer.citations[0].source.endswith("_xa.txt")

    corpus = tmp_path / "new"
    corpus.mkdir()
    (corpus / "hue.txt").write_text(HUE, encoding="utf-8")
    assert ingest([corpus], index, MAX_BYTES, progress=False).added == 1
    assert len(index.records()) == DOCUMENTS + 1
    hits = HybridRetriever(index=index, k=5).search("lớp dạy bơi", filters=Filters(localities=["Huế"]))
    assert hits and {p.source for p in hits} == {"hue.txt"}
    assert not HybridRetriever(index=index, k=5).search("lớp dạy bơi", filters=Filters(year_from=2025))
    answer = Assistant(index).ask("Huế tổ chức bao nhiêu lớp dạy bơi?")
    assert "12 lớp" in answer.answer and answer.citations[0].source == "hue.txt"
