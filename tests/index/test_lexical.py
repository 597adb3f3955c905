"""The on-disk lexical index: one document at a time, crash-safe, rebuilt from Chroma when damaged."""

from __future__ import annotations

import shutil

import pytest

from index.lexical import LexicalIndex
from index.store import Index
from vietnamese.normalize import word_tokens

pytestmark = pytest.mark.integration

TEXTS = {
    "can-tho.txt": ["Thành phố Cần Thơ tổ chức 12 lớp dạy bơi cho trẻ em.", "Cấp 500 thẻ bảo hiểm y tế."],
    "bim-son.txt": ["Thị xã Bỉm Sơn tặng học bổng cho 122 em."],
    "hue.txt": ["Thành phố Huế mở 30 điểm vui chơi cho thiếu nhi."],
}


class Reader:
    """Chunks as Chroma would hand them over, remembering which documents were read."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.asked: list[str] = []
        self.fail_on = fail_on

    def __call__(self, doc_ids: list[str]):
        for doc_id in doc_ids:
            self.asked.append(doc_id)
            if doc_id == self.fail_on:
                raise RuntimeError("killed while reading")
            for n, text in enumerate(TEXTS[doc_id]):
                yield f"{doc_id}#{n}", doc_id, " ".join(word_tokens(text)), text


def _found(lexical: LexicalIndex, query: str) -> set[str]:
    return {cid.split("#")[0] for cid, _ in lexical.search(query, 10)}


def test_adding_and_removing_one_document_reads_only_that_document(tmp_path):
    lexical = LexicalIndex(tmp_path / "lexical")
    first = Reader()
    assert lexical.sync({"can-tho.txt": "a", "bim-son.txt": "a"}, first) == 2
    assert sorted(first.asked) == ["bim-son.txt", "can-tho.txt"]

    second = Reader()
    lexical.sync({"can-tho.txt": "a", "bim-son.txt": "a", "hue.txt": "a"}, second)
    assert second.asked == ["hue.txt"]
    assert _found(lexical, "Huế vui chơi") == {"hue.txt"}
    assert _found(lexical, "hue vui choi") == {"hue.txt"}  # the accent-free twin

    third = Reader()
    lexical.sync({"can-tho.txt": "a", "hue.txt": "a"}, third)
    assert third.asked == [] and "bim-son.txt" not in _found(lexical, "Bỉm Sơn học bổng")
    assert len(lexical) == 3 and lexical.sources(["can-tho.txt#1", "bim-son.txt#0"]) == {"can-tho.txt#1": "can-tho.txt"}


def test_statistics_follow_the_documents(tmp_path):
    lexical = LexicalIndex(tmp_path / "lexical")
    lexical.sync({"can-tho.txt": "a"}, Reader())
    assert lexical.restorer.restore("lop day boi cho tre em") == "lớp dạy bơi cho trẻ em"
    rare = lexical.idf("bơi")
    lexical.sync({"can-tho.txt": "a", "bim-son.txt": "a", "hue.txt": "a"}, Reader())
    assert lexical.idf("bơi") > rare  # one chunk of four holds it now, not one of two
    assert lexical.idf("boi") == lexical.idf("bơi")  # no accent-free "boi" in the corpus


def test_a_write_killed_midway_leaves_the_old_index_and_is_redone(tmp_path):
    lexical = LexicalIndex(tmp_path / "lexical")
    lexical.sync({"can-tho.txt": "a"}, Reader())
    with pytest.raises(RuntimeError):
        lexical.sync({"can-tho.txt": "a", "hue.txt": "a", "bim-son.txt": "a"}, Reader(fail_on="hue.txt"))
    reopened = LexicalIndex(tmp_path / "lexical")  # another process, or the next start
    assert _found(reopened, "Cần Thơ dạy bơi") == {"can-tho.txt"} and len(reopened) == 2
    again = Reader()
    reopened.sync({"can-tho.txt": "a", "hue.txt": "a", "bim-son.txt": "a"}, again)
    assert sorted(again.asked) == ["bim-son.txt", "hue.txt"]  # the pending documents, and only those
    assert len(reopened) == 4 and _found(reopened, "Huế vui chơi") == {"hue.txt"}


def test_pending_documents_are_rewritten_without_duplicates(tmp_path):
    lexical = LexicalIndex(tmp_path / "lexical")
    lexical.sync({"can-tho.txt": "a", "hue.txt": "a"}, Reader())
    lexical._set_meta("pending", "hue.txt")  # killed after tantivy committed, before the manifest did
    again = Reader()
    lexical.sync({"can-tho.txt": "a", "hue.txt": "a"}, again)
    assert again.asked == ["hue.txt"] and len(lexical) == 3
    assert [cid for cid, _ in lexical.search("Huế vui chơi", 10)].count("hue.txt#0") == 1


def test_a_damaged_lexical_index_is_rebuilt_from_chroma(seed_index, tmp_path):
    copy = tmp_path / "idx"
    shutil.copytree(seed_index.index_dir, copy)
    (copy / "chroma" / "lexical" / "tantivy" / "meta.json").write_text("{not json", encoding="utf-8")
    index = Index(copy, seed_index.embedder)
    assert len(index.lexical()) == index.chunk_count()
    assert index.lexical().search("Bỉm Sơn học bơi", 3)


def test_statistics_forget_a_removed_document(tmp_path):
    lexical = LexicalIndex(tmp_path / "lexical")
    lexical.sync({"can-tho.txt": "a", "hue.txt": "a"}, Reader())
    lexical.sync({"can-tho.txt": "a"}, Reader())  # deleted, but tantivy keeps it until a merge
    assert lexical.idf("huế") == lexical.idf("chưa-từng-có") > 0  # as if never seen
    assert "huế" not in lexical.forms("hue")
    assert lexical.restorer.restore("vui choi") == "vui choi"  # no form left from the removed text


def test_a_reader_process_sees_the_statistics_of_another_writer(tmp_path):
    reader = LexicalIndex(tmp_path / "lexical")
    reader.sync({"can-tho.txt": "a"}, Reader())
    assert reader.idf("huế") == reader.idf("chưa-từng-có")
    writer = LexicalIndex(tmp_path / "lexical")  # another process
    writer.sync({"can-tho.txt": "a", "hue.txt": "a"}, Reader())
    assert reader.sync({"can-tho.txt": "a", "hue.txt": "a"}, Reader()) == 0  # nothing to write, caches dropped
    assert reader.idf("huế") < reader.idf("chưa-từng-có")


def test_an_emptied_tantivy_folder_is_not_trusted_by_its_manifest(tmp_path):
    lexical = LexicalIndex(tmp_path / "lexical")
    lexical.sync({"can-tho.txt": "a"}, Reader())
    lexical.close()
    shutil.rmtree(tmp_path / "lexical" / "tantivy")
    again = Reader()
    reopened = LexicalIndex(tmp_path / "lexical")
    reopened.sync({"can-tho.txt": "a"}, again)
    assert again.asked == ["can-tho.txt"] and _found(reopened, "Cần Thơ dạy bơi") == {"can-tho.txt"}
