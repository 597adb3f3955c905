"""Two units, two readers and a province reader: on every path the other unit's document
never appears, and the province reader sees both (issue 29)."""

from __future__ import annotations

import json

import pytest

from accounts.access import Action, Person
from errors import IndexMissing
from retrieval.assistant import Assistant
from retrieval.conversation import Conversation
from tests.support.units import BIM_SON, CAN_THO, PLAN, READS, TIEN_GIANG, units_copy
from tools.briefing import build_briefing
from tools.compare import compare
from tools.examples import find_examples
from tools.exports import comparison_docx, to_markdown, write_examples, write_table

pytestmark = pytest.mark.integration

QUESTIONS = [
    "bim son tang hoc bong cho bao nhieu em",
    "Tóm tắt báo cáo của Bỉm Sơn",
    "So sánh kết quả khen thưởng của Cần Thơ và Bỉm Sơn",
    "Có những văn bản nào trong hệ thống?",
    "Những hạn chế khi thực hiện Chỉ thị 20 ở Bỉm Sơn là gì?",
    "Cần Thơ đã giao những nhiệm vụ gì?",
]


def view_of(units, name: str):
    index, gate = units
    return gate.view(index, gate.person(name))


def sources_of(answer) -> set[str]:
    return {c.source for c in answer.citations} | {c.source for c in answer.related}


def test_each_reader_sees_exactly_their_units_documents(units):
    for name, expected in READS.items():
        assert set(view_of(units, name).records()) == expected, name
    index, gate = units
    assert set(gate.view(index, gate.person(None)).records()) == set(index.records())  # the local administrator


def test_answers_related_passages_and_citations_stay_in_the_readers_documents(units):
    cited_by_province = set()
    for name in ("ra", "rb", "rp"):
        helper = Assistant(view_of(units, name))
        for question in QUESTIONS:
            answer = helper.ask(question)
            assert sources_of(answer) <= READS[name], (name, question)
            assert {p.source for p in answer.passages} <= READS[name]
            if name == "rp":
                cited_by_province |= sources_of(answer)
    assert {CAN_THO, BIM_SON} <= cited_by_province  # the province reader reads both units


def test_the_answer_text_never_carries_another_units_document(units):
    index, _ = units
    title = index.records()[BIM_SON].title
    answer = Assistant(view_of(units, "ra")).ask("Có những văn bản nào trong hệ thống?")
    assert title[:40] not in answer.answer and "Bỉm Sơn" not in answer.answer
    assert "Bỉm Sơn" in Assistant(view_of(units, "rp")).ask("Có những văn bản nào trong hệ thống?").answer


def test_a_follow_up_cannot_reach_another_units_document(units):
    helper, conversation = Assistant(view_of(units, "ra")), Conversation()
    helper.ask("Cần Thơ đã giao những nhiệm vụ gì?", conversation)
    answer = helper.ask("Còn Bỉm Sơn thì sao?", conversation)
    assert answer.question != "Còn Bỉm Sơn thì sao?"  # read as a whole question
    assert BIM_SON not in sources_of(answer) and sources_of(answer) <= READS["ra"]


def test_a_chosen_id_is_missing_as_if_it_did_not_exist(units):
    """Texts, passages, sections and versions by id (what a page or a command might pass)."""
    index, _ = units
    view = view_of(units, "ra")
    with pytest.raises(IndexMissing) as hidden:
        view.document_text(BIM_SON)
    with pytest.raises(IndexMissing) as absent:
        view.document_text("khong-co.txt")
    assert str(hidden.value).replace(BIM_SON, "X") == str(absent.value).replace("khong-co.txt", "X")
    chunk_ids = [p.id for p in index.passages(_chunk_ids(index, BIM_SON))]
    assert chunk_ids and view.passages(chunk_ids) == []
    assert view.section_at(BIM_SON, 3000) == "" and index.section_at(BIM_SON, 3000)
    assert view.within(None) == READS["ra"] and view.within({BIM_SON, PLAN}) == {PLAN}
    assert view.nearest_documents(index.embedder.embed_query("học bơi"), 5) == [
        i for i in index.nearest_documents(index.embedder.embed_query("học bơi"), 5) if i in READS["ra"]
    ]


def _chunk_ids(index, doc_id: str) -> list[str]:
    chunks, _ = index.open(create=False)
    return chunks.get(where={"source": doc_id}, include=[])["ids"][:5]


def test_comparison_examples_briefing_and_their_exports_stay_in_the_readers_documents(units, tmp_path):
    view = view_of(units, "ra")
    table = compare(view)
    assert {cell.citation.source for _, _, cell in table.cells()} <= READS["ra"]
    assert not any("Bỉm Sơn" in row.locality for row in table.rows)
    items = find_examples(view)
    assert items and {e.citation.source for e in items} <= READS["ra"]
    briefing = build_briefing(view, "những hạn chế khi thực hiện Chỉ thị 20")
    assert briefing.citations() and {c.source for c in briefing.citations()} <= READS["ra"]
    write_table(table, tmp_path / "t.csv")
    write_examples(items, tmp_path / "e.csv")
    comparison_docx(table, tmp_path / "t.docx")
    exported = (tmp_path / "t.csv").read_text("utf-8") + (tmp_path / "e.csv").read_text("utf-8") + to_markdown(briefing)
    assert "Bỉm Sơn" not in exported and BIM_SON not in exported
    province = compare(view_of(units, "rp"))
    assert {CAN_THO, BIM_SON} <= {cell.citation.source for _, _, cell in province.cells()}


def test_the_decision_depends_on_the_action(units):
    """Reading is not changing or sharing (Open WebUI CVE-2026-45671's pattern)."""
    index, gate = units
    records = index.records()
    editor, unit_admin = Person("ea", "A", "editor"), Person("qa", "A", "unit_admin")
    reader, auditor = gate.person("ra"), Person("kt", "", "auditor")
    assert gate.may(reader, Action.READ, records[CAN_THO]) and not gate.may(reader, Action.CHANGE, records[CAN_THO])
    assert gate.may(editor, Action.CHANGE, records[CAN_THO]) and not gate.may(editor, Action.SHARE, records[CAN_THO])
    assert not gate.may(editor, Action.CHANGE, records[BIM_SON]) and not gate.may(editor, Action.CHANGE, records[PLAN])
    assert gate.may(unit_admin, Action.SHARE, records[CAN_THO]) and not gate.may(
        unit_admin, Action.SHARE, records[PLAN]
    )
    assert not any(gate.may(auditor, Action.READ, r) for r in records.values())
    assert gate.may(auditor, Action.AUDIT, None) and not gate.may(reader, Action.AUDIT, None)
    assert not gate.may(gate.person("rp"), Action.READ, records[TIEN_GIANG])  # no unit yet: administrators only
    assert gate.may(gate.person(None), Action.READ, records[TIEN_GIANG])


def test_a_denied_action_is_recorded_and_looks_like_a_missing_document(units):
    index, gate = units
    reader = gate.person("ra")
    with pytest.raises(IndexMissing):
        gate.check(reader, Action.CHANGE, index.records()[CAN_THO], CAN_THO)
    from accounts.audit import rows

    last = rows(gate.db)[-1]
    assert (last.actor, last.action, last.target, json.loads(last.detail)) == (
        "ra",
        "denied",
        CAN_THO,
        {"action": "change"},
    )


def test_grants_visibility_and_a_merger_change_who_reads(units, tmp_path):
    from accounts.gate import Gate
    from settings import Settings

    other, gate = units_copy(units[0], tmp_path / "index")
    copy = other.index_dir
    other.set_access(BIM_SON, grants="A")
    assert BIM_SON in Gate(Settings(index_dir=copy)).view(other, gate.person("ra")).records()
    other.set_access(BIM_SON, grants="", visibility="all")
    assert BIM_SON in gate.view(other, gate.person("ra")).records()
    other.set_access(BIM_SON, visibility="unit")
    gate.directory.add_unit("C", "Đơn vị C", "B")
    gate.directory.add_user("rc", "C", "reader", "mat-khau-cua-c-01")
    assert set(gate.view(other, gate.person("rc")).records()) == {PLAN}  # a report does not travel down
    gate.directory.merge_unit("A", "B")  # A joins B: its people and documents with it
    assert gate.person("ra").unit == "B"
    assert set(gate.view(other, gate.person("ra")).records()) == {CAN_THO, BIM_SON, PLAN}
    assert gate.directory.tree().above("C") == ["B", "P"]


def test_earlier_versions_are_read_as_the_document_is_now(units, tmp_path):
    other, gate = units_copy(units[0], tmp_path / "index")
    other.set_access(BIM_SON, visibility="all")
    other.kept.keep({BIM_SON: None})  # a version kept while everyone could read it

    def kept_visibility() -> set[str]:
        return {m["visibility"] for m in other.kept.collection().get(where={"doc_id": BIM_SON})["metadatas"]}

    assert kept_visibility() == {"all"}
    other.set_access(BIM_SON, visibility="unit")  # narrowed: so are its versions
    assert kept_visibility() == {"unit"}
    other.remove_document(BIM_SON)
    assert gate.view(other, gate.person("ra")).versions(BIM_SON) == []
    assert gate.view(other, gate.person("rb")).versions(BIM_SON)
