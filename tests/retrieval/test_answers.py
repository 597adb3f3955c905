"""Retrieval and answers on the seed index: exact citations, refusal, filters,
unaccented queries, follow-ups, and the JSON shapes of the three commands."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from retrieval.assistant import Assistant
from retrieval.conversation import Conversation
from retrieval.filters import Filters, allowed_sources
from retrieval.retriever import HybridRetriever
from retrieval.types import NOT_FOUND
from tests.conftest import ROOT
from tests.support.oracles import admits
from tests.support.seeds import BIM_SON, CAN_THO, CITATION_KEYS, DONG_NAI, TIEN_GIANG, UNNAMED, assert_exact

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def assistant(seed_index):
    return Assistant(seed_index)


@pytest.mark.parametrize(
    "question,key,source",
    [
        ("Năm 2017 Cần Thơ huy động trẻ vào trung học cơ sở đạt tỷ lệ bao nhiêu?", "94,3%", CAN_THO),
        ("Bỉm Sơn hỗ trợ bao nhiêu học sinh có hoàn cảnh khó khăn?", "133 em học sinh", BIM_SON),
        ("Tỉnh đặt mục tiêu giảm tỷ suất tử vong trẻ em dưới 1 tuổi xuống bao nhiêu?", "dưới 5%", UNNAMED),
    ],
)
def test_answers_quote_the_source_exactly(seed_index, assistant, question, key, source):
    answer = assistant.ask(question)
    assert not answer.refused and key in answer.answer
    assert answer.citations[0].source == source
    assert answer.citations[0].title and answer.citations[0].date
    assert_exact(seed_index, answer)


def test_unanswerable_is_refused_with_related_passages(assistant):
    for question in (
        "Thành phố Đà Nẵng đã ban hành kế hoạch nào để thực hiện Chỉ thị 20?",
        "Ngân sách trung ương cấp cho việc thực hiện Chỉ thị 20 năm 2020 là bao nhiêu?",
    ):
        answer = assistant.ask(question)
        assert answer.refused and answer.answer == NOT_FOUND
        assert answer.citations == [] and answer.related


def test_unaccented_question_finds_the_accented_passage(seed_index, assistant):
    answer = assistant.ask("bim son tang hoc bong cho bao nhieu em")
    assert "122 em" in answer.answer and answer.citations[0].source == BIM_SON
    assert_exact(seed_index, answer)
    retriever = HybridRetriever(index=seed_index, k=3)
    assert retriever.read("bim son to chuc lop hoc boi").restored.startswith(("bỉm sơn", "bìm sơn"))


def test_filters_apply_to_both_sides(seed_index):
    for mode in ("bm25", "dense", "hybrid"):
        retriever = HybridRetriever(index=seed_index, k=5, mode=mode)
        by_new_province = retriever.search("trẻ em", filters=Filters(localities=["Đồng Tháp"]))
        assert by_new_province and {d.source for d in by_new_province} == {TIEN_GIANG}
        reports = retriever.search("trẻ em", filters=Filters(doc_types=["báo cáo"]))
        assert {d.source for d in reports} == {BIM_SON}
        recent = retriever.search("trẻ em", k=10, filters=Filters(year_from=2018, year_to=2019))
        assert {d.source for d in recent} <= {UNNAMED, TIEN_GIANG}
        assert retriever.search("trẻ em", filters=Filters(localities=["Đà Nẵng"])) == []


def test_facets_select_what_each_record_admits(seed_index):
    import itertools

    records = seed_index.records()
    places = ["Cần Thơ", "can tho", "Đồng Tháp", "Thanh Hóa", "Đà Nẵng"]
    cases = [Filters(localities=[p]) for p in places] + [
        Filters(localities=a, year_from=y, doc_types=t)
        for a, y, t in itertools.product([[], ["Bỉm Sơn", "Đồng Nai"]], [None, 2018], [[], ["Báo cáo"]])
    ]
    cases += [Filters(year_to=2017), Filters(sources=[BIM_SON, "khong-co.txt"])]
    for f in cases:
        expected = {i for i, r in records.items() if admits(f, r)} if f.active() else None
        assert allowed_sources(records, f) == expected, f


def test_named_locality_is_favoured(seed_index):
    retriever = HybridRetriever(index=seed_index, k=3)
    docs = retriever.invoke("Kết quả công tác tuyên truyền ở Bỉm Sơn")
    assert docs[0].metadata["source"] == BIM_SON
    assert docs[0].metadata["rank"] == 0 and docs[0].metadata["score"] > 0


def test_follow_up_asks_the_same_about_another_locality(seed_index, assistant):
    conversation = Conversation()
    first = assistant.ask("Cần Thơ tặng Bằng khen cho bao nhiêu tập thể?", conversation)
    assert "13 tập thể" in first.answer
    second = assistant.ask("Còn Đồng Nai thì sao?", conversation)
    assert conversation.turns[-1].resolved == "Đồng Nai tặng Bằng khen cho bao nhiêu tập thể?"
    assert "40 tập thể" in second.answer and second.citations[0].source == DONG_NAI
    assert_exact(seed_index, second)
    third = assistant.ask("con bim son thi sao", conversation)
    assert conversation.turns[-1].resolved.startswith("Bỉm Sơn tặng Bằng khen")
    assert len(conversation.turns) == 3 and third.question == conversation.turns[-1].resolved


def _run(*args) -> dict:
    out = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_ask_json_shape(seed_index):
    data = _run(
        "retrieval", "ask", "Bỉm Sơn tổ chức bao nhiêu lớp học bơi?", "--index-dir", str(seed_index.index_dir), "--json"
    )
    assert set(data) == {
        "answer",
        "refused",
        "mode",
        "notice",
        "kind",
        "confidence",
        "did",
        "note",
        "rows",
        "citations",
        "related",
    }
    assert data["did"].startswith("Trích 1 đoạn từ Bỉm Sơn")
    assert data["mode"] == "extractive" and data["notice"] == ""
    assert "04 lớp học bơi" in data["answer"]
    assert set(data["citations"][0]) == CITATION_KEYS
    refused = _run("retrieval", "ask", "Đà Nẵng đã làm gì?", "--index-dir", str(seed_index.index_dir), "--json")
    assert refused["refused"] is True and refused["citations"] == [] and refused["related"]


def test_eval_json_shape(seed_index, tmp_path):
    qa = tmp_path / "qa.jsonl"
    qa.write_text(
        "\n".join(
            json.dumps(q, ensure_ascii=False)
            for q in [
                {
                    "id": "a",
                    "question": "Đồng Nai tặng Bằng khen cho bao nhiêu cá nhân?",
                    "answerable": True,
                    "sources": [DONG_NAI],
                    "answer_keys": [["51 cá nhân", "năm mươi mốt"]],
                },
                {
                    "id": "b",
                    "question": "Hà Giang đã khen thưởng bao nhiêu tập thể?",
                    "answerable": False,
                    "sources": [],
                    "answer_keys": [],
                },
            ]
        ),
        encoding="utf-8",
    )
    data = _run(
        "evaluation.qa",
        "--qa",
        str(qa),
        "--corpus",
        str(ROOT / "corpus"),
        "--index-dir",
        str(seed_index.index_dir),
        "--json",
    )
    metrics = data["metrics"]
    for name in (
        "source_recall@1",
        "source_recall@3",
        "source_recall@5",
        "source_recall@10",
        "evidence_recall@1",
        "evidence_recall@3",
        "evidence_recall@5",
        "mrr@10",
        "mean_passage_chars",
        "answer_key_hit",
        "answer_chars_median",
        "citation_precision",
        "refusal_accuracy",
        "false_refusal_rate",
    ):
        assert name in metrics
    assert metrics["answer_key_hit"] == 1.0 and metrics["refusal_accuracy"] == 1.0
    assert [q["id"] for q in data["questions"]] == ["a", "b"]
    assert data["questions"][0]["retrieved"][0]["source"] == DONG_NAI


def test_bench_json_shape(tmp_path):
    beir = tmp_path / "beir"
    beir.mkdir()
    passages = {
        "luat-d1": "Trẻ em dưới 6 tuổi được cấp thẻ bảo hiểm y tế miễn phí.",
        "luat-d2": "Người lao động được nghỉ phép năm 12 ngày làm việc.",
        "luat-d3": "Hộ nghèo được hỗ trợ học phí cho con em đi học.",
    }
    (beir / "corpus.jsonl").write_text(
        "\n".join(
            json.dumps({"id": k, "title": "Luật – " + k, "text": v}, ensure_ascii=False) for k, v in passages.items()
        ),
        encoding="utf-8",
    )
    (beir / "queries.jsonl").write_text(
        "\n".join(
            json.dumps(q, ensure_ascii=False)
            for q in [
                {"id": "q1", "text": "Trẻ em dưới 6 tuổi có được cấp thẻ bảo hiểm y tế không?"},
                {"id": "q2", "text": "Người lao động được nghỉ phép bao nhiêu ngày?"},
            ]
        ),
        encoding="utf-8",
    )
    (beir / "qrels.tsv").write_text("query-id\tcorpus-id\tscore\nq1\tluat-d1\t1\nq2\tluat-d2\t1\n", encoding="utf-8")
    data = _run(
        "evaluation.retrieval_bench",
        "--beir",
        str(beir),
        "--index-dir",
        str(tmp_path / "idx"),
        "--strip-diacritics",
        "--json",
    )
    assert set(data["results"]) == {"bm25", "dense", "hybrid"} and data["queries"] == 2
    for result in data["results"].values():
        assert {"ndcg@10", "recall@1", "recall@10", "recall@100", "mrr@10", "latency_ms_p50", "latency_ms_p95"} <= set(
            result
        )
    assert data["results"]["hybrid"]["recall@1"] == 1.0


def test_enumerations_are_answered_as_lists(seed_index, assistant):
    answer = assistant.ask("Cần Thơ đã giao những nhiệm vụ gì?")
    items = [line for line in answer.answer.splitlines() if line.startswith("- Thứ ")]
    assert [line.split(",")[0] for line in items] == [
        "- Thứ nhất",
        "- Thứ hai",
        "- Thứ ba",
        "- Thứ tư",
        "- Thứ năm",
        "- Thứ sáu",
    ]
    assert "nhiệm vụ trọng tâm sau" in answer.citations[0].quote
    assert all(c.source == CAN_THO for c in answer.citations)
    assert_exact(seed_index, answer)
    weak = assistant.ask("Những hạn chế khi thực hiện Chỉ thị 20 ở Bỉm Sơn là gì?")
    assert "Những tồn tại, hạn chế" in weak.citations[0].quote and len(weak.citations) >= 3
    assert_exact(seed_index, weak)


def test_a_task_is_quoted_whole_through_its_semicolons(seed_index, assistant):
    """A task sentence of several ";" clauses is quoted whole, and ends where its paragraph does."""
    answer = assistant.ask("Ban Cán sự Đảng UBND tỉnh Đồng Nai được yêu cầu làm gì?")
    assert "sửa đổi, bổ sung" in answer.answer and "cụ thể hóa" in answer.answer
    assert all("\n" not in c.quote for c in answer.citations)  # not the next paragraph's task
    assert_exact(seed_index, answer)


def test_every_figure_a_sentence_lists_is_given(seed_index, assistant):
    answer = assistant.ask("Các chương trình mục tiêu về trẻ em của Cần Thơ đạt những tỷ lệ nào?")
    for figure in ("10,7%", "94,3%", "hơn 75%", "85/85"):
        assert figure in answer.answer
    assert_exact(seed_index, answer)
