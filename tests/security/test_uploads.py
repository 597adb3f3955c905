"""Uploads never replace a document by taking its name, and a refused upload changes nothing."""

from __future__ import annotations

import shutil
import unicodedata

import pytest

from errors import EmptyQuestion
from index.store import Index
from ingest.pipeline import ingest
from ingest.uploads import free_name, save_and_ingest
from retrieval.assistant import Assistant
from tests.conftest import CORPUS, MAX_BYTES

pytestmark = pytest.mark.integration

BIM_SON = "004_70c20d1112d6ed16.txt"
CAN_THO = "000_5594e5f712cf8468.txt"
FAKE = "Thị xã Bỉm Sơn đã tổ chức 99 lớp học bơi cho trẻ em trong năm 2017.\n".encode()


@pytest.fixture()
def library(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / BIM_SON, corpus)
    index = Index(tmp_path / "idx", embedder)
    ingest([corpus], index, MAX_BYTES, progress=False)
    return index, tmp_path / "uploads"


def test_free_name_never_returns_a_taken_name():
    assert free_name("a.txt", set()) == "a.txt"
    assert free_name("a.txt", {"a.txt", "a-2.txt"}) == "a-3.txt"


def test_an_upload_cannot_take_the_name_of_an_indexed_document(library):
    index, uploads = library
    official = index.records()[BIM_SON].hash
    result = save_and_ingest([(BIM_SON, FAKE)], uploads, index, MAX_BYTES)
    stored = BIM_SON.replace(".txt", "-2.txt")
    assert result.renamed == [(BIM_SON, stored)] and not result.rejected
    records = index.records()
    assert len(records) == 2 and records[BIM_SON].hash == official
    assert (uploads / stored).read_bytes() == FAKE and not (uploads / BIM_SON).exists()


def test_a_refused_upload_under_a_used_name_loses_nothing(library):
    index, uploads = library
    first = save_and_ingest([("bao-cao.txt", FAKE)], uploads, index, MAX_BYTES)
    assert first.report.added == 1 and not first.renamed
    second = save_and_ingest([("bao-cao.txt", b"\x00\x01\x02binary" * 100)], uploads, index, MAX_BYTES)
    assert [name for name, _ in second.rejected] == ["bao-cao.txt"]
    assert sorted(p.name for p in uploads.iterdir()) == ["bao-cao.txt"]  # the refused copy is gone, the good one kept
    assert (uploads / "bao-cao.txt").read_bytes() == FAKE and "bao-cao.txt" in index.records()


def test_questions_are_cleaned_before_they_are_asked(seed_index):
    assistant = Assistant(seed_index)
    with pytest.raises(EmptyQuestion):
        assistant.ask(" \u200b ")
    clean = assistant.ask("Bỉm Sơn tổ chức bao nhiêu lớp học bơi cho trẻ em?")
    hidden = assistant.ask("B\u200bỉm Sơn tổ chức bao nhiêu lớp học\u00ad bơi cho trẻ em?")
    assert clean.citations and hidden.answer == clean.answer
    new_style = assistant.ask("Ủy ban nhân dân thị xã Bỉm Sơn tặng học bổng cho bao nhiêu em?")
    old_style = assistant.ask(
        "Uỷ ban nhân dân thị xã Bỉm Sơn tặng học bổng cho bao nhiêu em?"
    )  # tone on the other vowel
    decomposed = assistant.ask(unicodedata.normalize("NFD", "Bỉm Sơn tặng học bổng cho bao nhiêu em?"))
    assert "122 em" in new_style.answer and old_style.answer == new_style.answer
    assert "122 em" in decomposed.answer


def test_an_exact_copy_is_refused_and_a_sentence_is_cited_once(library):
    index, uploads = library
    copy = (CORPUS / BIM_SON).read_bytes()
    result = save_and_ingest([("ban-sao.txt", copy)], uploads, index, MAX_BYTES)
    assert result.rejected and f"trùng với văn bản “{BIM_SON}”" in result.rejected[0][1]
    assert len(index.records()) == 1 and not (uploads / "ban-sao.txt").exists()

    near = copy.decode("utf-8").replace("Bỉm Sơn", "Bỉm Sơn (bản sao)", 1).encode("utf-8")
    assert save_and_ingest([("gan-giong.txt", near)], uploads, index, MAX_BYTES).report.added == 1
    records = index.records()
    assert records["gan-giong.txt"].near_copy_of == BIM_SON and records["gan-giong.txt"].copied_share > 0.9
    assert records[BIM_SON].near_copy_of == ""
    answer = Assistant(index).ask("Bỉm Sơn tặng học bổng cho bao nhiêu em?")
    quotes = [" ".join(c.quote.split()) for c in answer.citations]
    assert answer.citations and len(quotes) == len(set(quotes))


def test_a_near_copy_of_two_reports_is_marked_and_the_readme_example_still_answers(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = Index(tmp_path / "idx", embedder)
    ingest([corpus], index, MAX_BYTES, progress=False)
    both = "\n\n".join((CORPUS / name).read_text(encoding="utf-8") for name in (CAN_THO, BIM_SON))
    (corpus / "tong-hop.txt").write_text("Tổng hợp báo cáo các địa phương\n\n" + both, encoding="utf-8")
    assert ingest([corpus], index, MAX_BYTES, progress=False).added == 1
    record = index.records()["tong-hop.txt"]
    assert set(record.near_copy_of.split("; ")) == {CAN_THO, BIM_SON} and record.copied_share > 0.9
    assert all(not r.near_copy_of for i, r in index.records().items() if i != "tong-hop.txt")
    answer = Assistant(index).ask("Cần Thơ đã giao những nhiệm vụ gì?")
    quotes = [" ".join(c.quote.split()) for c in answer.citations]
    assert not answer.refused and "Thứ nhất" in answer.answer and len(quotes) == len(set(quotes))
