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
    assert conversation.resolve(Question.read("Ai chủ trì hội nghị ở đó?")) == "Ai chủ trì hội nghị ở Cần Thơ?"


def test_a_new_question_stands_alone():
    conversation = talked("Cần Thơ đã giao những nhiệm vụ gì?")
    question = "Bỉm Sơn tổ chức bao nhiêu lớp học bơi?"
    assert conversation.resolve(Question.read(question)) == question
    assert Conversation().resolve(Question.read("Còn Đồng Nai thì sao?")) == "Còn Đồng Nai thì sao?"


def test_a_conversation_is_kept_and_read_back_whole_by_its_owner_only(tmp_path):
    from accounts.conversations import History, new_key
    from accounts.store import engine
    from retrieval.citation import Citation

    conversation = talked("Cần Thơ đã giao những nhiệm vụ gì?")
    cited = Citation(1, "ct.txt", "Sơ kết", "Cần Thơ", "2017-08-31", "", "Thứ nhất, tăng cường…", 10, 31)
    conversation.add("Còn Đồng Nai thì sao?", "Đồng Nai đã giao những nhiệm vụ gì?", Answer("x [1]", False, [cited]))
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    history, key = History(engine(url)), new_key()
    history.save(key, "an", conversation)
    kept = History(engine(url)).load(key, "an")
    assert kept is not None and [t.resolved for t in kept.turns] == [t.resolved for t in conversation.turns]
    assert kept.turns[1].answer.citations == [cited]
    assert history.load(key, "binh") is None and history.owned_by_other(key, "binh")  # a key from the page
    assert [k.title for k in history.listed("an")] == ["Cần Thơ đã giao những nhiệm vụ gì?"]
    assert history.listed("binh") == []
    assert history.load("../../etc/passwd", "an") is None and history.load(new_key(), "an") is None
    history.forget(key, "binh")  # not theirs: nothing happens
    assert history.load(key, "an") is not None
    history.forget(key, "an")
    assert history.load(key, "an") is None
