"""Feedback on answers: kept with what was cited, and the answers marked wrong exported
as a question file in the evaluation format, by unit."""

from __future__ import annotations

import json

import pytest

from accounts.conversations import give_feedback, wrong_answers
from accounts.store import engine
from evaluation.qa import load_questions
from retrieval.citation import Citation
from retrieval.types import Answer

pytestmark = pytest.mark.unit


def test_wrong_answers_become_questions_of_the_evaluation_format(tmp_path):
    db = engine(f"sqlite:///{tmp_path / 'a.sqlite'}")
    cited = Citation(1, "ct.txt", "Sơ kết", "Cần Thơ", "2017-08-31", "", "Thứ nhất, tăng cường…", 10, 31)
    answer = Answer("Cần Thơ giao 5 nhiệm vụ [1]", False, [cited])
    give_feedback(db, "an", "A", "k" * 22, 0, "Cần Thơ giao mấy nhiệm vụ?", answer, "sai", "thiếu nhiệm vụ thứ sáu")
    give_feedback(db, "an", "A", "k" * 22, 1, "Câu đúng", answer, "đúng", "")
    give_feedback(db, "binh", "B", "m" * 22, 0, "Câu của đơn vị B", answer, "sai", "")
    with pytest.raises(ValueError):
        give_feedback(db, "an", "A", "k" * 22, 2, "x", answer, "có lẽ", "")
    mine = wrong_answers(db, {"A"})
    assert [q["question"] for q in mine] == ["Cần Thơ giao mấy nhiệm vụ?"]
    assert mine[0]["cited"][0]["source"] == "ct.txt" and mine[0]["comment"] == "thiếu nhiệm vụ thứ sáu"
    assert len(wrong_answers(db, None)) == 2
    path = tmp_path / "q.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in mine), encoding="utf-8")
    assert [q["question"] for q in load_questions(path)] == ["Cần Thơ giao mấy nhiệm vụ?"]  # the evaluation reads it
