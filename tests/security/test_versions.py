"""Documents are never overwritten without a trace: every change, removal, confirmed
replacement and rebuild keeps the earlier text as a version that can be restored."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from index.store import Index
from ingest.pipeline import ingest
from ingest.uploads import clashes, save_and_ingest
from ingest.versions import restore
from retrieval.assistant import Assistant
from tests.conftest import CORPUS, MAX_BYTES, ROOT
from tests.support.oracles import chunks_of

pytestmark = pytest.mark.integration

BIM_SON = "004_70c20d1112d6ed16.txt"
CAN_THO = "000_5594e5f712cf8468.txt"
QUESTION = "Bỉm Sơn tặng học bổng cho bao nhiêu em?"
FAKE = "Thị xã Bỉm Sơn tặng học bổng cho 999 em có hoàn cảnh khó khăn trong năm 2017.\n".encode()


def _library(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (BIM_SON, CAN_THO):
        shutil.copy(CORPUS / name, corpus)
    index = Index(tmp_path / "idx", embedder)
    ingest([corpus], index, MAX_BYTES, progress=False)
    return index, corpus


def test_a_changed_file_keeps_its_earlier_version_which_can_be_restored(tmp_path, embedder):
    index, corpus = _library(tmp_path, embedder)
    original = index.document_text(BIM_SON)
    first_ids = {p.id for p in chunks_of(index, BIM_SON)}
    assert index.versions(BIM_SON) == []
    edited = (corpus / BIM_SON).read_text(encoding="utf-8").replace("122 em", "123 em")
    (corpus / BIM_SON).write_text(edited, encoding="utf-8")
    assert ingest([corpus], index, MAX_BYTES, progress=False).updated == 1
    assert "123 em" in Assistant(index).ask(QUESTION).answer
    [earlier] = index.versions(BIM_SON)
    assert index.version(earlier.id)[1] == original and earlier.replaced_at

    restored = restore(index, earlier.id)
    assert restored.restored_over and index.document_text(BIM_SON) == original
    assert not first_ids & {p.id for p in chunks_of(index, BIM_SON)}  # ids Chroma deleted are never reused
    assert "122 em" in Assistant(index).ask(QUESTION).answer
    [edit] = index.versions(BIM_SON)  # the edited text is now the earlier version
    assert "123 em" in index.version(edit.id)[1]
    report = ingest([corpus], index, MAX_BYTES, progress=False)  # the file did not change again:
    assert report.unchanged == 2 and index.document_text(BIM_SON) == original  # the restore stands
    (corpus / BIM_SON).write_text(edited.replace("123 em", "124 em"), encoding="utf-8")
    ingest([corpus], index, MAX_BYTES, progress=False)  # a new change of the file wins, nothing lost
    assert "124 em" in index.document_text(BIM_SON) and len(index.versions(BIM_SON)) == 2


def test_a_metadata_only_change_keeps_no_version_and_a_removal_keeps_one(tmp_path, embedder):
    index, corpus = _library(tmp_path, embedder)
    (corpus / (CAN_THO + ".meta.json")).write_text('{"doc_type": "Báo cáo"}', encoding="utf-8")
    assert ingest([corpus], index, MAX_BYTES, progress=False).updated == 1
    assert index.versions(CAN_THO) == []
    (corpus / CAN_THO).unlink()
    ingest([corpus], index, MAX_BYTES, prune=True, progress=False)
    assert CAN_THO not in index.records() and index.version_counts() == {CAN_THO: 1}
    [kept] = index.versions(CAN_THO)  # a removed document's text stays readable and restorable
    assert restore(index, kept.id).id == CAN_THO and "Cần Thơ" in index.document_text(CAN_THO)


def test_a_confirmed_replace_keeps_the_old_text_and_a_refused_one_changes_nothing(tmp_path, embedder):
    index, corpus = _library(tmp_path, embedder)
    uploads = corpus / "uploads"
    assert clashes([BIM_SON, "moi.txt"], index) == [BIM_SON]
    official = (corpus / BIM_SON).read_bytes()

    refused = save_and_ingest([(BIM_SON, b"\x00\x01binary" * 50)], uploads, index, MAX_BYTES, replace=True)
    assert refused.rejected and not refused.replaced
    assert (corpus / BIM_SON).read_bytes() == official and list(uploads.iterdir()) == []
    assert index.versions(BIM_SON) == [] and "122 em" in Assistant(index).ask(QUESTION).answer

    result = save_and_ingest([(BIM_SON, FAKE)], uploads, index, MAX_BYTES, replace=True)
    assert result.replaced == [BIM_SON] and not result.renamed
    # the corpus file is never written over: the upload is kept beside the others, in its place
    assert (corpus / BIM_SON).read_bytes() == official and (uploads / BIM_SON).read_bytes() == FAKE
    assert len(index.records()) == 2 and "999 em" in Assistant(index).ask(QUESTION).answer
    [earlier] = index.versions(BIM_SON)
    assert "122 em" in index.version(earlier.id)[1]
    again = ingest([corpus], index, MAX_BYTES, progress=False)  # the app's start: the corpus (and its uploads)
    assert again.unchanged == 3 and not again.failed and "999 em" in Assistant(index).ask(QUESTION).answer
    second = save_and_ingest([(BIM_SON, FAKE + b"Lan thu hai.\n")], uploads, index, MAX_BYTES, replace=True)
    assert second.replaced == [BIM_SON] and (corpus / BIM_SON).read_bytes() == official
    third = ingest([corpus], index, MAX_BYTES, progress=False)
    assert third.unchanged == 3 and not third.failed and "999 em" in Assistant(index).ask(QUESTION).answer


def test_rebuild_carries_versions_and_the_cli_lists_and_restores(tmp_path, embedder):
    index, corpus = _library(tmp_path, embedder)
    (corpus / BIM_SON).write_text(
        (corpus / BIM_SON).read_text(encoding="utf-8").replace("122 em", "123 em"), encoding="utf-8"
    )
    ingest([corpus], index, MAX_BYTES, progress=False)
    ingest([corpus], index, MAX_BYTES, rebuild=True, progress=False)
    [earlier] = index.versions(BIM_SON)
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    run = [sys.executable, "-m", "ingest", "--index-dir", str(index.index_dir)]
    listed = subprocess.run(
        run + ["--versions", BIM_SON], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert listed.returncode == 0 and earlier.id in listed.stdout, listed.stderr
    done = subprocess.run(
        run + ["--restore", earlier.id], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 and "Đã khôi phục" in done.stdout, done.stderr
    index.refresh()
    assert "122 em" in index.document_text(BIM_SON)
    missing = subprocess.run(
        run + ["--restore", "khong-co@1"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert missing.returncode == 2 and "Không có phiên bản" in missing.stderr


def test_a_removed_document_stays_removed_until_restored_and_its_corpus_file_is_untouched(tmp_path, embedder):
    index, corpus = _library(tmp_path, embedder)
    official = (corpus / BIM_SON).read_bytes()
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    run = [sys.executable, "-m", "ingest", "--index-dir", str(index.index_dir)]
    gone = subprocess.run(run + ["--remove", BIM_SON], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert gone.returncode == 0 and "Đã gỡ" in gone.stdout, gone.stderr
    index.refresh()
    assert BIM_SON not in index.records() and (corpus / BIM_SON).read_bytes() == official
    assert "122 em" not in Assistant(index).ask(QUESTION).answer
    again = ingest([corpus], index, MAX_BYTES, progress=False)  # the corpus read again does not bring it back
    assert again.left_out == 1 and BIM_SON not in index.records()
    [kept] = index.versions(BIM_SON)
    restore(index, kept.id)
    assert "122 em" in Assistant(index).ask(QUESTION).answer
    assert ingest([corpus], index, MAX_BYTES, progress=False).unchanged == 2  # back for good

    uploads = tmp_path / "uploads"  # an uploaded document's file goes with it
    save_and_ingest([("bo-sung.txt", FAKE)], uploads, index, MAX_BYTES)
    from ingest.removal import remove

    remove(index, "bo-sung.txt", uploads)
    assert list(uploads.iterdir()) == [] and "bo-sung.txt" not in index.records()
