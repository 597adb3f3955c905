"""Prompt templates load with exactly the variables they name."""

from __future__ import annotations

import pytest

from prompts import PromptError, fields, load

pytestmark = pytest.mark.unit


def test_a_template_takes_exactly_its_variables():
    assert fields("answer_user") == {"passages", "question"}
    text = load("answer_user", passages="[1] đoạn", question="Ai chủ trì?")
    assert "[1] đoạn" in text and "Ai chủ trì?" in text


@pytest.mark.parametrize("values", [{}, {"passages": "x"}, {"passages": "x", "question": "y", "extra": "z"}])
def test_missing_or_unknown_variables_are_refused(values):
    with pytest.raises(PromptError):
        load("answer_user", **values)


def test_an_unknown_template_is_refused():
    with pytest.raises(PromptError):
        load("no_such_prompt")
