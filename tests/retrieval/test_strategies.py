"""The chat's strategies on the seed documents: complete lists, every name, summaries
covering a report's parts, comparisons per locality, inventories, and "nothing of that
kind" — each claim cited exactly."""

from __future__ import annotations

import pytest

from retrieval.assistant import Assistant
from retrieval.conversation import Conversation
from retrieval.filters import Filters
from tests.support.seeds import BIM_SON, CAN_THO, DONG_NAI, assert_exact

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def assistant(seed_index):
    return Assistant(seed_index)


def test_a_list_is_complete_and_each_item_whole(seed_index, assistant):
    conversation = Conversation()
    answer = assistant.ask("Cần Thơ đã giao những nhiệm vụ gì?", conversation)
    items = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    assert [item[2:11] for item in items] == [
        "Thứ nhất,",
        "Thứ hai, ",
        "Thứ ba, t",
        "Thứ tư, t",
        "Thứ năm, ",
        "Thứ sáu, ",
    ]
    assert "củng cố, kiện toàn tổ chức bộ máy" in items[2]  # past the first ";"
    assert answer.did.startswith("Danh sách 6 mục") and {c.source for c in answer.citations} == {CAN_THO}
    assert_exact(seed_index, answer)
    follow = assistant.ask("Còn Đồng Nai thì sao?", conversation)
    assert "Ban Cán sự Đảng UBND" in follow.answer and "Đảng đoàn Ủy ban MTTQ" in follow.answer
    assert "40 tập thể" not in follow.answer  # the result after the tasks is no task
    assert_exact(seed_index, follow)


def test_every_name_the_sentence_gives(seed_index, assistant):
    conversation = Conversation()
    assistant.ask("Cần Thơ tổ chức hội nghị sơ kết ngày nào?", conversation)
    answer = assistant.ask("Ai chủ trì hội nghị ở đó?", conversation)
    assert all(name in answer.answer for name in ("Trần Quốc Trung", "Phạm Văn Hiểu", "Lê Văn Tâm"))
    units = assistant.ask("Tỉnh Đồng Tháp đã giám sát việc thực hiện Chỉ thị 20 ở những đơn vị nào?")
    assert all(u in units.answer for u in ("Bình Phú", "Cai Lậy", "Lương Hòa Lạc", "Chợ Gạo"))
    assert "Hình" not in units.answer  # photo captions are no answer
    assert_exact(seed_index, answer)
    assert_exact(seed_index, units)


def test_a_summary_covers_the_reports_parts(seed_index, assistant):
    answer = assistant.ask("Tóm tắt báo cáo của Bỉm Sơn")
    assert not answer.refused and answer.did == "Tóm tắt 1 văn bản"
    assert all(f"- {part}:" in answer.answer for part in ("Kết quả", "Hạn chế", "Nhiệm vụ"))
    assert 4 <= len(answer.citations) <= 8 and {c.source for c in answer.citations} == {BIM_SON}
    assert_exact(seed_index, answer)
    assert assistant.ask("Tóm tắt báo cáo thực hiện Chỉ thị 20 của tỉnh Hà Giang").refused


def test_a_comparison_gives_each_localitys_figure_or_says_it_has_none(seed_index, assistant):
    answer = assistant.ask("So sánh kết quả khen thưởng của Cần Thơ và Đồng Nai")
    rows = answer.answer.splitlines()
    assert answer.did == "So sánh 2 địa phương"
    assert any(r.startswith("- Cần Thơ:") and "13 tập thể" in r for r in rows)
    assert any(r.startswith("- Đồng Nai:") and "40 tập thể" in r for r in rows)
    assert [c.source for c in answer.citations] == [CAN_THO, DONG_NAI]
    assert [(place, n) for place, _, n in answer.rows] == [("Cần Thơ", 1), ("Đồng Nai", 2)]
    assert_exact(seed_index, answer)
    partial = assistant.ask("So sánh số lớp dạy bơi của Bỉm Sơn và Đồng Nai")
    assert "- Đồng Nai: không có số liệu" in partial.answer and "Đồng Nai" in partial.note
    assert ("Đồng Nai", "không có số liệu", 0) in partial.rows
    assert [c.source for c in partial.citations] == [BIM_SON]
    assert assistant.ask("So sánh số hội nghị quán triệt Chỉ thị 20 của Cần Thơ và Đồng Nai").refused


def test_an_inventory_lists_and_cites_the_documents(seed_index, assistant):
    every = assistant.ask("Có những văn bản nào trong hệ thống?")
    assert every.did == "Liệt kê 5 văn bản" and len({c.source for c in every.citations}) == 5
    assert "141/BC-UBND" in every.answer
    drowning = assistant.ask("Văn bản nào nói về phòng chống đuối nước?")
    assert drowning.citations and all("đuối nước" in c.quote for c in drowning.citations)
    assert BIM_SON in {c.source for c in drowning.citations}
    assert_exact(seed_index, every)
    assert_exact(seed_index, drowning)


def test_a_document_that_lists_no_shortcomings_is_said_to(seed_index, assistant):
    answer = assistant.ask("Những hạn chế trong thực hiện Chỉ thị 20 là gì?", filters=Filters(localities=["Đồng Tháp"]))
    assert answer.refused and not answer.citations
    assert "không nêu hạn chế" in answer.answer and "Tiền Giang" in answer.answer
    conversation = Conversation()
    listed = assistant.ask("Những mặt yếu kém ở Bỉm Sơn là gì?", conversation)
    assert not listed.refused and {c.source for c in listed.citations} == {BIM_SON}
    causes = assistant.ask("Nguyên nhân của những hạn chế đó?", conversation)
    assert causes.did.startswith("Danh sách 6 mục") and causes.answer.count("Nguyên nhân:") == 1
    assert "phó mặc" in causes.answer and "mặt trái cơ chế thị trường" in causes.answer
    assert_exact(seed_index, causes)


def test_every_recipient_listed_between_semicolons(seed_index, assistant):
    answer = assistant.ask("Thị xã Bỉm Sơn quán triệt Chỉ thị 20 đến những ai?")
    for who in ("Ban Chấp hành Đảng bộ thị xã", "Mặt trận Tổ quốc", "Bí thư các Đảng bộ", "Thủ trưởng các cơ quan"):
        assert who in answer.answer
    assert_exact(seed_index, answer)
