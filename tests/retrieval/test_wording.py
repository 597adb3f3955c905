"""Questions in the words users type: a misspelt tone mark, an acronym the document
uses for a name the question spells out, a classifier before what is counted, a
byline with its newsroom, activities listed in one sentence between ";", and a
"who" question naming an office that only a person holding it answers."""

from __future__ import annotations

import pytest

from retrieval.assistant import Assistant
from retrieval.question import Question
from retrieval.spans import spelled_out
from tests.support.seeds import BIM_SON, CAN_THO, assert_exact

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def assistant(seed_index):
    return Assistant(seed_index)


def test_a_misspelt_tone_mark_is_read_as_the_corpus_spells_it(seed_index, assistant):
    restorer = seed_index.lexical().restorer
    assert restorer.correct("chính sách an sinh xã hôi") == "chính sách an sinh xã hội"
    assert restorer.correct("lên kế hoach") == "lên kế hoạch"  # a forgotten tone mark
    assert restorer.correct("Tụi nhỏ có khá lên không") == "Tụi nhỏ có khá lên không"  # absent, not wrong
    # no Vietnamese syllable ends in a stop without sắc or nặng, even where the corpus lacks the pair
    assert restorer.correct("Luật có hiệu lưc từ ngày nào") == "Luật có hiệu lực từ ngày nào"
    answer = assistant.ask("Cần Thơ ưu tiên chính sách an sinh xã hôi cho trẻ em thuộc nhóm nào?")
    assert not answer.refused and "vùng dân tộc thiểu số" in answer.answer
    assert {c.source for c in answer.citations} == {CAN_THO}


def test_an_acronym_stands_for_the_name_the_question_spells_out(seed_index, assistant):
    assert (
        spelled_out("Sở Lao động - Thương binh và Xã hội gửi công văn", "Công văn số: 2500/SLĐTBXH-BVCSTE")
        == "Sở Lao động Thương binh Xã hội"
    )
    assert spelled_out("ai ban hành", "UBND tỉnh đã ban hành") == ""
    answer = assistant.ask(
        "Sở Lao động - Thương binh và Xã hội gửi công văn yêu cầu Bỉm Sơn sơ kết Chỉ thị 20 vào ngày nào?"
    )
    assert not answer.refused and "02/8/2017" in answer.answer
    assert_exact(seed_index, answer)


def test_a_classifier_is_not_what_is_counted(assistant):
    assert Question.read("Bỉm Sơn tặng bao nhiêu chiếc xe đạp?").unit == "xe dap"
    answer = assistant.ask("bim son tang bao nhieu chiec xe dap cho hoc sinh ngheo vuot kho")
    assert not answer.refused and "70 xe đạp" in answer.answer


def test_a_byline_with_its_newsroom_answers_who_wrote(assistant):
    answer = assistant.ask("bai viet ve ke hoach 2153 cua ubnd tinh do ai viet")
    assert answer.answer.startswith("Xuân Thỏa - Văn phòng Tỉnh ủy")


def test_activities_listed_between_semicolons_come_as_bullets(seed_index, assistant):
    answer = assistant.ask("Hằng năm UBND thị xã Bỉm Sơn lên kế hoach những hoạt động gì cho thiếu nhi?")
    assert "Tháng hành động vì trẻ em" in answer.answer and "giải bóng đá" in answer.answer
    assert len(answer.citations) >= 3 and answer.answer.count("\n- ") == len(answer.citations) - 1
    assert {c.source for c in answer.citations} == {BIM_SON}
    assert "Nơi nhận" not in answer.answer  # the recipients are no list of activities
    assert_exact(seed_index, answer)


@pytest.mark.parametrize(
    "question",
    [
        "Ai là Giám đốc Sở Lao động - Thương binh và Xã hội tỉnh Thanh Hóa?",  # the report's signer holds no such office
        "Đồng chí nào làm Bí thư Thị ủy Bỉm Sơn lúc báo cáo sơ kết năm 2017?",
    ],
)
def test_a_who_question_naming_an_office_needs_its_holder(assistant, question):
    assert assistant.ask(question).refused


def test_the_documents_own_number_does_not_answer_where_it_was_sent(assistant):
    answer = assistant.ask("Báo cáo 141/BC-UBND của thị xã Bỉm Sơn được gửi tới cơ quan nào?")
    assert "Số: 141" not in answer.answer  # the body the question names is no answer to it


def test_a_sum_of_money_is_not_answered_with_a_count_of_days(assistant):
    answer = assistant.ask("XÃ BÌNH PHÚ Ở ĐỒNG THÁP CHI BAO NHIÊU TIỀN CHO CÔNG TÁC TRẺ EM NĂM 2018?")
    assert answer.refused  # the report gives "02 ngày làm việc" there, and no sum
    spent = assistant.ask("Mùa hè Bỉm Sơn tốn bao nhiêu tiền cho thiếu nhi?")
    assert not spent.refused and "đồng" in spent.answer


def test_accented_content_words_are_not_taken_for_question_words():
    from retrieval.spans import syllables

    words = syllables("Các trường làm tốt những khâu vệ sinh nào ở thị xã về bảo vệ?", accented=True)
    assert {"vệ", "thị", "bảo"} <= set(words) and not {"về", "nào", "những", "các"} & set(words)
    assert "ve" not in syllables("ve sinh", accented=False)  # typed without accents, "ve" may be "về"


def test_who_took_the_photograph_is_the_photo_credit(assistant):
    answer = assistant.ask("ai chup anh hoi nghi so ket chi thi 20 cua thanh uy can tho")
    assert answer.answer.startswith("Ảnh: Ngọc Quy") and answer.citations[0].source == CAN_THO
    assert assistant.ask("Ai viết bài về hội nghị của Thành ủy Cần Thơ?").answer.startswith("Hoàng Oanh")


@pytest.mark.parametrize(
    "question",
    [
        "Thành ủy Cần Thơ ra kế hoạch số mấy để triển khai Chỉ thị 20?",  # "Chỉ thị 20" is the question's own number
        "Bỉm Sơn họp cán bộ chủ chốt quán triệt Chỉ thị 20 vào ngày nào?",  # "5 năm qua" is no day
        "ty le tre em bim son duoc tiem chung day du la bao nhieu",  # Cần Thơ's figure is not Bỉm Sơn's
    ],
)
def test_near_misses_in_other_words_are_refused(assistant, question):
    assert assistant.ask(question).refused
