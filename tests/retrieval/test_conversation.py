"""Follow-ups ("Còn Đồng Nai thì sao?", "… ở đó?") stand for a whole question."""

from __future__ import annotations

import pytest

from retrieval.conversation import Conversation
from retrieval.question import Question
from retrieval.types import Answer

pytestmark = pytest.mark.unit


def talked(first: str) -> Conversation:
    conversation = Conversation()
    conversation.add(first, first, Answer("…", False))
    return conversation


def test_another_place_replaces_the_place_of_the_last_question():
    conversation = talked("Cần Thơ đã giao những nhiệm vụ gì?")
    assert conversation.resolve(Question.read("Còn Đồng Nai thì sao?")) == "Đồng Nai đã giao những nhiệm vụ gì?"


def test_there_means_the_place_asked_before():
    conversation = talked("Cần Thơ tổ chức hội nghị ngày nào?")
    assert conversation.resolve(Question.read("Ai chủ trì hội nghị ở đó?")) == "Ai chủ trì hội nghị ở đó ở Cần Thơ?"


def test_a_new_question_stands_alone():
    conversation = talked("Cần Thơ đã giao những nhiệm vụ gì?")
    question = "Bỉm Sơn tổ chức bao nhiêu lớp học bơi?"
    assert conversation.resolve(Question.read(question)) == question
    assert Conversation().resolve(Question.read("Còn Đồng Nai thì sao?")) == "Còn Đồng Nai thì sao?"
