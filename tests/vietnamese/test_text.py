"""The text layer: one tone-mark convention, accent-free keys, place names in any
spelling, headings, and the word lists as matchers."""

from __future__ import annotations

import pytest

from vietnamese.normalize import fold, has_diacritics, match_key, normalize_tones, strip_invisible
from vietnamese.places import places_in_query
from vietnamese.structure import heading_level
from vietnamese.vocabulary import SHORTCOMINGS, TASK_GIVING, folded, words_pattern

pytestmark = pytest.mark.unit


def test_tone_marks_have_one_placement_and_keys_compare():
    assert normalize_tones("hoà bình") == normalize_tones("hòa bình") == "hòa bình"
    assert match_key("Hoà Bình") == match_key("hòa bình") and fold("Đồng Tháp") == "dong thap"
    assert has_diacritics("Cần Thơ") and not has_diacritics("can tho")
    assert strip_invisible("Bỉm\u200b Sơn\u00ad") == "Bỉm Sơn"


def test_places_in_every_spelling_in_one_call():
    assert places_in_query("bim son to chuc", "bỉm sơn tổ chức") == {"bim son"}
    assert places_in_query("Cần Thơ và Đồng Nai") == {"can tho", "dong nai"}
    assert places_in_query("là gì") == set()  # not the town of La Gi


def test_heading_shapes():
    assert heading_level("I. KẾT QUẢ THỰC HIỆN") and heading_level("1. Công tác tuyên truyền")
    assert not heading_level("Năm 2022, thị xã tổ chức 04 lớp học bơi.")


def test_word_lists_match_whole_words_with_their_accents():
    task = words_pattern(TASK_GIVING)
    assert task.search(match_key("Giao Sở Lao động chủ trì"))
    assert not task.search(match_key("ngành giáo dục"))  # "giáo" is not "giao"
    shortcoming = words_pattern(SHORTCOMINGS)
    assert shortcoming.search(match_key("Công tác phối hợp chưa chặt chẽ"))
    assert "khuyet diem" in folded(SHORTCOMINGS).replace("\\ ", " ")
