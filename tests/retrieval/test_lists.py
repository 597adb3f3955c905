"""Lists in a document: "Thứ nhất… Thứ ba" items, dashed items under a lead-in, and the
paragraphs under a heading, each item whole and cited."""

from __future__ import annotations

import pytest

from index.records import DocRecord, Passage
from retrieval.lists import enumeration, lead_in, listed

pytestmark = pytest.mark.unit

ORDINALS = (
    "Để thực hiện tốt Chỉ thị, Ban Thường vụ đề ra các nhiệm vụ sau: "
    "Thứ nhất, tăng cường tuyên truyền. Thứ hai, kiện toàn bộ máy. Thứ ba, bố trí kinh phí."
)
DASHED = "Phạm tội thuộc một trong các trường hợp sau đây:\n- Có tổ chức;\n- Phạm tội nhiều lần;\n- Đối với trẻ em."


def test_ordinal_items_follow_their_lead_in():
    lead, items = enumeration(ORDINALS, ORDINALS.index("Thứ hai"))
    assert lead is not None and ORDINALS[lead[0] : lead[1]].startswith("Để thực hiện")
    assert [ORDINALS[a:b] for a, b in items] == [
        "Thứ nhất, tăng cường tuyên truyền.",
        "Thứ hai, kiện toàn bộ máy.",
        "Thứ ba, bố trí kinh phí.",
    ]


def test_a_dashed_item_knows_the_line_that_introduces_it():
    item = DASHED.index("Phạm tội nhiều lần")
    span = lead_in(DASHED, item)
    assert span is not None and DASHED[span[0] : span[1]].endswith("sau đây:")
    _, items = enumeration(DASHED, 0)
    assert [DASHED[a:b] for a, b in items] == ["Có tổ chức;", "Phạm tội nhiều lần;", "Đối với trẻ em."]


def test_a_list_answer_cites_each_item_once():
    record = DocRecord(id="kh.txt", title="Kế hoạch")
    passage = Passage("c1", ORDINALS, 0, len(ORDINALS), "", record)
    text, citations = listed(lambda source: ORDINALS, [(passage, ORDINALS.index("Thứ hai"))])
    assert [c.n for c in citations] == [1, 2, 3, 4]
    assert all(ORDINALS[c.start : c.end] == c.quote for c in citations)
    assert text.splitlines()[1:] == [
        "- Thứ nhất, tăng cường tuyên truyền. [2]",
        "- Thứ hai, kiện toàn bộ máy. [3]",
        "- Thứ ba, bố trí kinh phí. [4]",
    ]


def test_sentences_a_colon_introduces_inside_a_paragraph_when_it_names_what_is_asked():
    text = (
        "Kế hoạch xác định những mục tiêu cần đạt được đó là: Đẩy mạnh tuyên truyền. "
        "Từng bước giảm khoảng cách chênh lệch giữa các vùng. Hạn chế tình trạng trẻ em bị bạo lực, xâm hại."
    )
    lead, items = enumeration(text, 0, frozenset({"muc", "tieu"}))
    assert lead is not None and text[lead[0] : lead[1]].endswith("đó là:")
    assert [text[a:b] for a, b in items][-1] == "Hạn chế tình trạng trẻ em bị bạo lực, xâm hại."
    assert enumeration(text, 0, frozenset({"luat"}))[1] == []  # a lead-in about something else lists nothing


TASKS = (
    "Để đạt được các mục tiêu đề ra, UBND tỉnh yêu cầu các cấp phải tiếp tục triển khai tốt Luật Trẻ em. "
    "Tăng cường công tác phối hợp liên ngành trong bảo vệ trẻ em. "
    "Các cơ quan, đơn vị cần đẩy mạnh hơn nữa công tác truyền thông về trẻ em. "
    "Truyền thông rộng rãi về Tổng đài 111 để người dân liên hệ khi cần.\n"
    "Năm 2017, toàn tỉnh đã dạy bơi cho 8.400 em."
)


def test_a_paragraph_of_unmarked_tasks_is_listed_sentence_by_sentence():
    from retrieval.lists import task_sentences
    from retrieval.rules import task_paragraph

    items = task_sentences(TASKS, TASKS.index("UBND tỉnh"), task_paragraph)
    assert [TASKS[a:b][:20] for a, b in items] == [
        "Để đạt được các mục ",
        "Tăng cường công tác ",
        "Các cơ quan, đơn vị ",
        "Truyền thông rộng rã",
    ]  # and not the result of the next paragraph
    assert task_sentences(TASKS, TASKS.index("Năm 2017"), task_paragraph) == []


def test_a_clause_is_widened_to_its_sentence_and_no_further_than_its_line():
    from retrieval.evidence import Candidate
    from retrieval.rules import Scored, every_name

    text = "Điều 5. Nhiệm vụ:\na) Rà soát văn bản; sửa đổi chính sách;\nb) Báo cáo kết quả.\n"
    passage = Passage("c1", text, 0, len(text), "", DocRecord(id="luat.txt", title="Luật"))
    start = text.index("Rà soát")
    clause = Candidate(passage, start, text.index(";") + 1, text[start : text.index(";") + 1])
    (whole,) = every_name([Scored(clause, 1.0, 1.0, 2)], lambda source: text)
    assert whole.cand.text == "Rà soát văn bản; sửa đổi chính sách;"  # stops at the line's end
