"""The answer every answerer returns, and a refusal's related passages."""

from __future__ import annotations

import pytest

from index.records import DocRecord, Passage
from retrieval.question import Question
from retrieval.types import NOT_FOUND, refusal

pytestmark = pytest.mark.unit


def passage(locality: str, province: str = "") -> Passage:
    text = "Tỷ lệ trẻ dưới 5 tuổi suy dinh dưỡng giảm còn 10,7%."
    return Passage(
        locality or "x", text, 0, len(text), "", DocRecord(id=f"{locality}.txt", locality=locality, province=province)
    )


def test_a_refusal_cites_nothing_and_marks_another_localitys_passages():
    q = Question.read("Tỷ lệ trẻ em suy dinh dưỡng của Đồng Nai là bao nhiêu?")
    answer = refusal(q, [passage("Cần Thơ", "Cần Thơ"), passage("Đồng Nai", "Đồng Nai"), passage("")])
    assert answer.refused and answer.answer == NOT_FOUND and not answer.citations
    assert [c.elsewhere for c in answer.related] == [True, False, False]  # an unknown place is not said to be another
    assert set(answer.as_dict()) >= {"did", "note", "related"}
    unplaced = refusal(Question.read("Tỷ lệ suy dinh dưỡng là bao nhiêu?"), [passage("Cần Thơ", "Cần Thơ")])
    assert not unplaced.related[0].elsewhere
