"""One request reads its question once and each document's text at most once."""

from __future__ import annotations

import pytest

from index.store import Index
from retrieval.assistant import Assistant
from retrieval.conversation import Conversation
from retrieval.question import clean
from tests.support.calls import recorded
from vietnamese.places import places_in_query
from vietnamese.restore import DiacriticRestorer

pytestmark = pytest.mark.integration

QUESTIONS = [
    "bim son tang hoc bong cho bao nhieu em",  # typed without accents: restored
    "Cần Thơ đã giao những nhiệm vụ gì?",  # with accents: tone marks checked; a list across chunks
    "Những mặt yếu kém ở Bỉm Sơn là gì?",  # a list under its heading
    "Ai viết bài về hội nghị của Thành ủy Cần Thơ?",  # a byline
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_question_is_cleaned_corrected_and_searched_for_places_once(seed_index, question):
    assistant = Assistant(seed_index)
    assistant.ask("khởi động")  # models and caches loaded
    watched = (clean, DiacriticRestorer.correct, DiacriticRestorer.restore, places_in_query, Index.document_text)
    with recorded(*watched) as calls:
        answer = assistant.ask(question)
    assert not answer.refused
    assert calls["clean"] == [question]
    read = calls["DiacriticRestorer.correct"] + calls["DiacriticRestorer.restore"]
    assert read.count(question) == 1  # (correcting reads the folded text in context: not the question)
    assert sum(question in texts for texts in calls["places_in_query"]) == 1
    fetched = calls["Index.document_text"]
    assert fetched and len(fetched) == len(set(fetched))  # each document's text at most once


def test_a_follow_up_is_read_again_only_once_resolved(seed_index):
    assistant, conversation = Assistant(seed_index), Conversation()
    assistant.ask("Cần Thơ đã giao những nhiệm vụ gì?", conversation)
    with recorded(clean, DiacriticRestorer.correct, DiacriticRestorer.restore) as calls:
        answer = assistant.ask("Còn Đồng Nai thì sao?", conversation)
    assert answer.question == "Đồng Nai đã giao những nhiệm vụ gì?"
    assert calls["clean"] == ["Còn Đồng Nai thì sao?", "Đồng Nai đã giao những nhiệm vụ gì?"]
    assert calls["DiacriticRestorer.correct"][:1] == ["Còn Đồng Nai thì sao?"]
    assert calls["DiacriticRestorer.correct"].count("Đồng Nai đã giao những nhiệm vụ gì?") == 1


def test_a_follow_up_naming_a_place_with_a_wrong_tone_mark_is_resolved(seed_index):
    assistant, conversation = Assistant(seed_index), Conversation()
    assistant.ask("Cần Thơ đã giao những nhiệm vụ gì?", conversation)
    answer = assistant.ask("Còn Hué thì sao?", conversation)
    assert answer.question == "Huế đã giao những nhiệm vụ gì?"
