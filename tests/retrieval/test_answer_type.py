"""Table-driven: what a question asks and which sentences are of the type it expects,
from data files a linguist can read and extend (`tests/retrieval/data/`)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from retrieval.answer_type import fit
from retrieval.question import Question

pytestmark = pytest.mark.unit

DATA = Path(__file__).with_name("data")


def rows(name: str) -> list[list[str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [r for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]


@pytest.mark.parametrize(("question", "kind", "expects"), rows("question_kinds.tsv"), ids=lambda x: x[:40])
def test_question_kind_and_expected_type(question, kind, expects):
    q = Question.read(question)
    assert (q.kind, q.expects) == (kind, expects)


@pytest.mark.parametrize(("question", "sentence", "level"), rows("sentence_types.tsv"), ids=lambda x: x[:40])
def test_sentence_fits_the_type_asked(question, sentence, level):
    assert fit(Question.read(question), sentence) == int(level)


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("Các chương trình mục tiêu của Cần Thơ đạt những tỷ lệ nào?", True),
        ("Tỷ lệ trẻ em suy dinh dưỡng của Cần Thơ là bao nhiêu?", False),
        ("Cần Thơ đã giao những nhiệm vụ gì?", True),
    ],
)
def test_a_plural_which_asks_for_every_item(question, wanted):
    assert Question.read(question).wants_list is wanted
