"""An LLM's draft is checked against the passages it cites: markers, numbers and names."""

from __future__ import annotations

import pytest

from index.records import DocRecord, Passage
from retrieval.types import NOT_FOUND
from retrieval.verify import verify

pytestmark = pytest.mark.unit

TEXT = "Năm 2022, thị xã Bỉm Sơn tổ chức 04 lớp học bơi cho trẻ em."
PASSAGES = [Passage("c1", TEXT, 0, len(TEXT), "", DocRecord(id="bim-son.txt", locality="Bỉm Sơn"))]


def test_a_supported_sentence_is_cited_exactly():
    check = verify("Bỉm Sơn tổ chức 04 lớp học bơi [1].", PASSAGES)
    assert not check.problems and not check.refused
    assert [(c.source, c.quote) for c in check.citations] == [("bim-son.txt", TEXT)]


def test_an_invented_number_a_stray_marker_and_an_uncited_claim_are_problems():
    assert any("99" in p for p in verify("Bỉm Sơn tổ chức 99 lớp [1].", PASSAGES).problems)
    assert any("[3]" in p for p in verify("Bỉm Sơn tổ chức 04 lớp [3].", PASSAGES).problems)
    assert verify("Bỉm Sơn tổ chức 04 lớp.", PASSAGES).problems


def test_a_refusal_is_recognised():
    check = verify(NOT_FOUND, PASSAGES)
    assert check.refused and not check.citations
