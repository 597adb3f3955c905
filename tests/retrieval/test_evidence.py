"""Candidate spans of passages: sentences and clauses that slice back from the
document, and lines that hold only a name (a byline)."""

from __future__ import annotations

import pytest

from index.records import DocRecord, Passage
from retrieval.evidence import Signals, candidates
from retrieval.question import Question

pytestmark = pytest.mark.unit

TEXT = "Hội nghị diễn ra ngày 16/6/2022. Đồng chí Nguyễn Văn Hiếu chủ trì hội nghị.\nXuân Thỏa"


def passage() -> Passage:
    return Passage("c1", TEXT, 50, 50 + len(TEXT), "", DocRecord(id="tin.txt"))


def test_candidates_are_sentences_and_a_name_line():
    found = candidates([passage()])
    assert all(c.passage.quote(c.start, c.end) == c.text for c in found)
    assert {"Hội nghị diễn ra ngày 16/6/2022.", "Xuân Thỏa"} <= {c.text for c in found}


def test_signals_mark_the_type_asked():
    cands = candidates([passage()])
    Signals(Question.read("Ai chủ trì hội nghị?"), lambda term: 1.0).lexical(cands)
    by_text = {c.text: c.features for c in cands}
    assert by_text["Đồng chí Nguyễn Văn Hiếu chủ trì hội nghị."]["fit_person"] == 1.0
    assert by_text["Hội nghị diễn ra ngày 16/6/2022."]["fit_person"] == 0.0
