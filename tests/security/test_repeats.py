"""A text met again is one passage: a sentence a document repeats fifty times does not push
the answer out of the passages read, and a near copy's passage gives way to the original's."""

from __future__ import annotations

import shutil

import pytest

from index.store import Index
from ingest.pipeline import ingest
from retrieval.assistant import Assistant
from tests.conftest import CORPUS, MAX_BYTES

pytestmark = pytest.mark.integration

BIM_SON = "004_70c20d1112d6ed16.txt"
QUESTION = "Bỉm Sơn tổ chức bao nhiêu lớp học bơi cho trẻ em?"


def _index(tmp_path, embedder, extra: dict[str, str]) -> Index:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / BIM_SON, corpus)
    for name, text in extra.items():
        (corpus / name).write_text(text, encoding="utf-8")
    index = Index(tmp_path / "idx", embedder)
    ingest([corpus], index, MAX_BYTES, progress=False)
    return index


def test_a_sentence_repeated_fifty_times_takes_one_place(tmp_path, embedder):
    index = _index(tmp_path, embedder, {"lap.txt": "Thị xã Bỉm Sơn quan tâm tổ chức lớp học bơi cho trẻ em. " * 50})
    answer = Assistant(index).ask(QUESTION)
    assert not answer.refused and "04 lớp" in answer.answer
    texts = [" ".join(p.text.split()) for p in answer.passages]
    assert len(texts) == len(set(texts))


def test_the_original_is_cited_rather_than_its_near_copy(tmp_path, embedder):
    index = _index(tmp_path, embedder, {})
    later = tmp_path / "sau"  # uploaded later: a near copy of what the index holds
    later.mkdir()
    copy = (CORPUS / BIM_SON).read_text(encoding="utf-8") + "\nBản sao gửi các phòng, ban để biết.\n"
    (later / "ban-sao.txt").write_text(copy, encoding="utf-8")
    ingest([later], index, MAX_BYTES, progress=False)
    assert index.records()["ban-sao.txt"].near_copy_of == BIM_SON
    answer = Assistant(index).ask(QUESTION)
    assert "04 lớp" in answer.answer and {c.source for c in answer.citations} == {BIM_SON}
