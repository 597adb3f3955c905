"""What the answerer reads off a question and how that shapes the answer: the answer
type a "who" or "how many" question expects, near misses refused, one bullet per
locality for questions across documents, follow-ups that keep the question's kind,
shortcomings asked in other words, and the opt-in learned scorer's parameters."""

from __future__ import annotations

import pytest

from retrieval.assistant import Assistant
from retrieval.conversation import Conversation
from retrieval.evidence import candidates
from retrieval.params import PARAMS
from retrieval.question import Question
from retrieval.scorer import default_scorer
from tests.support.oracles import chunks_of
from tests.support.seeds import BIM_SON, CAN_THO, DONG_NAI, TIEN_GIANG, UNNAMED, assert_exact

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def assistant(seed_index):
    return Assistant(seed_index)


@pytest.mark.parametrize(
    "text,kind,expects",
    [
        ("Ai trao bằng khen cho các cá nhân ở Cần Thơ?", "who", "person"),
        ("Cơ quan nào chủ trì?", "who", "organisation"),
        ("Bộ nào chịu trách nhiệm bảo vệ an ninh mạng?", "who", "organisation"),
        ("Hội nghị diễn ra ngày nào?", "when", "date"),
        ("bim son to chuc bao nhieu lop hoc boi", "number", "number"),
        ("Tỷ lệ trẻ được cấp thẻ bảo hiểm y tế là bao nhiêu?", "number", "share"),
        ("Vì sao trẻ em bỏ học?", "why", "reason"),
        ("Cần Thơ đã giao những nhiệm vụ gì?", "tasks", "list"),
        ("Báo cáo sơ kết Chỉ thị 20 của UBND thị xã Bỉm Sơn số bao nhiêu?", "document", "document"),
        ("Bài về đợt giám sát được đăng ngày nào?", "when", "posted"),
        ("bai giam sat dang ngay nao", "when", "posted"),
        ("Đảng ủy họp ngày nào?", "when", "date"),  # "Đảng" is not "đăng"
    ],
)
def test_question_kind_and_answer_type(text, kind, expects):
    q = Question.read(text)
    assert (q.kind, q.expects) == (kind, expects)


def test_across_and_unit_are_read():
    assert Question.read("Các địa phương đã làm gì để phòng chống đuối nước cho trẻ em?").across
    assert not Question.read("Cần Thơ đã làm gì để phòng chống đuối nước?").across
    assert Question.read("Bỉm Sơn tổ chức bao nhiêu lớp học bơi?").unit.startswith("lop")


def test_who_answer_names_the_person_on_the_line_before(seed_index, assistant):
    answer = assistant.ask("Ai trao bằng khen cho các cá nhân ở Cần Thơ?")
    assert not answer.refused and answer.kind == "who"
    assert "Phạm Văn Hiểu" in answer.answer and answer.citations[0].source == CAN_THO
    assert_exact(seed_index, answer)


def test_how_many_answer_holds_a_number(seed_index, assistant):
    answer = assistant.ask("Bỉm Sơn tổ chức bao nhiêu lớp học bơi cho trẻ em?")
    assert "04 lớp học bơi" in answer.answer and answer.citations[0].source == BIM_SON


@pytest.mark.parametrize(
    "question",
    [
        "Đồng Nai tổ chức bao nhiêu lớp học bơi cho trẻ em?",  # only Bỉm Sơn reports swimming classes
        "Bỉm Sơn có bao nhiêu cơ sở bảo trợ xã hội ngoài công lập?",  # only the province plan counts them
        "Đồng Nai hỗ trợ bao nhiêu xe đạp cho học sinh nghèo?",  # no document counts bicycles
        "Tỷ lệ hộ nghèo ở Bỉm Sơn năm 2017 là bao nhiêu?",  # the report's year is there, a poverty rate is not
    ],
)
def test_near_misses_are_refused_with_related_passages(assistant, question):
    answer = assistant.ask(question)
    assert answer.refused and answer.citations == [] and answer.related
    assert answer.confidence < PARAMS.evidence_threshold


def test_how_many_answer_counts_what_is_asked(assistant):
    answer = assistant.ask("Bỉm Sơn đã tổ chức bao nhiêu hội nghị quán triệt Chỉ thị 20?")
    assert "9 hội nghị" in answer.answer and answer.citations[0].source == BIM_SON


def test_shortcomings_asked_in_other_words_list_the_section(seed_index, assistant):
    answer = assistant.ask("Những mặt yếu kém ở Bỉm Sơn là gì?")
    assert not answer.refused and answer.kind == "limits"
    assert "Những tồn tại, hạn chế" in answer.citations[0].quote and len(answer.citations) >= 3
    assert all(c.source == BIM_SON for c in answer.citations)
    assert_exact(seed_index, answer)


def test_which_document_question_quotes_a_document_number(assistant):
    answer = assistant.ask("Công văn nào yêu cầu thị xã Bỉm Sơn báo cáo sơ kết 5 năm Chỉ thị 20?")
    assert answer.kind == "document" and "2500/SLĐTBXH" in answer.answer


def test_question_across_documents_answers_per_locality(seed_index, assistant):
    answer = assistant.ask("Các địa phương đã làm gì để phòng chống đuối nước cho trẻ em?")
    sources = [c.source for c in answer.citations]
    assert {BIM_SON, UNNAMED} <= set(sources) and len(sources) == len(set(sources))
    assert answer.answer.startswith("- Bỉm Sơn: ") and answer.answer.count("\n- ") == len(sources) - 1
    assert_exact(seed_index, answer)


def test_follow_up_keeps_the_kind_of_question(assistant):
    conversation = Conversation()
    first = assistant.ask("Cần Thơ đã giao những nhiệm vụ gì?", conversation)
    follow = assistant.ask("Còn Đồng Nai thì sao?", conversation)
    assert first.kind == follow.kind == "tasks"
    assert "Đồng Nai" in follow.question and "nhiệm vụ" in follow.question
    assert not follow.refused and all(c.source == DONG_NAI for c in follow.citations)
    assert "yêu cầu các cấp ủy Đảng" in follow.answer  # the conclusion's tasks, not a word match


def test_a_sentence_wrapped_over_two_lines_is_one_candidate(seed_index):
    passages = [p for p in chunks_of(seed_index, CAN_THO) if "trao Bằng khen cho các cá nhân" in p.text]
    texts = [c.text for c in candidates(passages)]
    assert any(t.startswith("Đồng chí Phạm Văn Hiểu") and "trao Bằng khen cho các cá nhân" in t for t in texts)


def test_scorer_parameters_are_fitted_and_consistent():
    scorer = default_scorer()
    for model in (scorer.prune, scorer.sentence, scorer.answerable):
        assert len(model.features) == len(model.coef) == len(model.mean) == len(model.scale)
        assert any(abs(w) > 0.05 for w in model.coef)
    assert "dense" in scorer.sentence.features and "dense" not in scorer.prune.features
    assert 0.0 < scorer.threshold < 1.0


def test_training_script_refits_from_its_committed_data(tmp_path):
    import json
    import subprocess
    import sys

    from evaluation.train_scorer import DATA
    from tests.conftest import ROOT

    out = tmp_path / "scorer.json"
    run = subprocess.run(
        [sys.executable, "-m", "evaluation.train_scorer", "--from-data", "--data", str(DATA), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    assert "span top-1" in run.stdout and "refusal threshold" in run.stdout
    fitted = json.loads(out.read_text())
    assert fitted["sentence"]["features"] == default_scorer().sentence.features


def test_learned_scorer_stays_available(seed_index):
    answer = Assistant(seed_index, scorer="learned").ask("Bỉm Sơn tổ chức bao nhiêu lớp học bơi cho trẻ em?")
    assert "04 lớp học bơi" in answer.answer and 0.0 < answer.confidence <= 1.0


@pytest.mark.parametrize(
    "question,name,source",
    [
        ("Ai viết bài về hội nghị của Thành ủy Cần Thơ?", "Hoàng Oanh", CAN_THO),  # the byline, not a delegate
        ("Ở Thanh Hóa, ai ký báo cáo sơ kết 5 năm Chỉ thị 20 của UBND thị xã?", "Mai Đình Lâm", BIM_SON),
    ],
)
def test_author_questions_quote_the_signature(seed_index, assistant, question, name, source):
    answer = assistant.ask(question)
    assert answer.kind == "author" and answer.answer.startswith(name)
    assert [c.source for c in answer.citations] == [source] and answer.citations[0].quote == name
    assert_exact(seed_index, answer)


@pytest.mark.parametrize(
    "question",
    [
        "Tin về đợt giám sát Chỉ thị 20 của Tỉnh Đoàn Tiền Giang được đăng ngày nào?",
        "bai tinh doan tien giang giam sat chi thi 20 dang ngay nao",
    ],
)
def test_posting_date_is_the_date_line_under_the_title(seed_index, assistant, question):
    answer = assistant.ask(question)
    assert [(c.source, c.quote) for c in answer.citations] == [(TIEN_GIANG, "13/11/2018")]
    assert_exact(seed_index, answer)


def test_a_heading_that_names_what_is_asked_is_listed(seed_index, assistant):
    answer = assistant.ask("Bỉm Sơn kiến nghị tỉnh những gì?")  # "* Kiến nghị", not the wider heading over it
    assert answer.citations[0].quote.strip("* ") == "Kiến nghị"
    assert "mở lớp tập huấn" in answer.answer and "thù lao" in answer.answer
    assert len(answer.citations) == 3  # the heading and its two items; not the closing line nor "Nơi nhận"
    assert all(c.source == BIM_SON for c in answer.citations)
    assert_exact(seed_index, answer)


def test_document_number_asked_at_the_end_of_the_question(assistant):
    answer = assistant.ask("Báo cáo sơ kết Chỉ thị 20 của UBND thị xã Bỉm Sơn số bao nhiêu?")
    assert answer.citations[0].quote == "Số: 141 /BC-UBND" and answer.citations[0].source == BIM_SON


def test_where_answer_names_a_place(assistant):
    answer = assistant.ask("Hội nghị tổng kết 10 năm Chỉ thị 20 ngày 16/6 được tổ chức ở đâu?")
    assert "tổ chức tại Đồng Nai" in answer.answer and answer.citations[0].source == DONG_NAI


LAW = """Điều 336. Tội đầu hàng địch

1. Người nào đầu hàng địch, thì bị phạt tù từ 03 năm đến 10 năm.

2. Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tù từ 07 năm đến 15 năm:

a) Là chỉ huy hoặc sĩ quan;

b) Giao nộp cho địch vũ khí, phương tiện kỹ thuật quân sự hoặc tài liệu quan trọng;

c) Gây hậu quả nghiêm trọng.
"""


def test_a_list_item_is_answered_with_the_line_that_introduces_it(tmp_path, embedder):
    from index.store import Index
    from ingest.pipeline import ingest
    from tests.conftest import MAX_BYTES

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "dieu-336.txt").write_text(LAW, encoding="utf-8")
    index = Index(tmp_path / "index", embedder)
    ingest([tmp_path / "docs"], index, MAX_BYTES, progress=False)
    answer = Assistant(index).ask("Sĩ quan đầu hàng địch thì bị phạt tù từ bao nhiêu năm đến bao nhiêu năm?")
    quotes = [c.quote for c in answer.citations]
    assert quotes[:2] == [
        "2. Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tù từ 07 năm đến 15 năm:",
        "a) Là chỉ huy hoặc sĩ quan;",
    ]
    assert_exact(index, answer)


def test_a_document_removed_while_answering_is_skipped(seed_index):
    """Another process may remove a document between retrieval and answering: its list
    heading and byline are then not read, and the answer still comes."""
    from errors import IndexMissing
    from retrieval.question import Question
    from retrieval.retriever import HybridRetriever
    from retrieval.rules import RulesAnswerer

    def gone(source):
        raise IndexMissing(source)

    restorer = seed_index.lexical().restorer
    question = Question.read("Những mặt yếu kém ở Bỉm Sơn là gì?", restorer)
    passages = HybridRetriever(index=seed_index, k=10).search(question)
    answerer = RulesAnswerer(idf=seed_index.lexical().idf, document_text=gone)
    answer = answerer.answer(question, passages)
    assert not answer.refused and answer.citations and all(c.source == BIM_SON for c in answer.citations)
    assert_exact(seed_index, answer)
    who = Question.read("Ai viết bài về hội nghị của Thành ủy Cần Thơ?", restorer)
    assert answerer.answer(who, passages).answer  # no exception


def test_unaccented_words_weigh_as_all_their_accented_forms(seed_index):
    lexical = seed_index.lexical()
    assert lexical.plain_idf("nam") < lexical.idf("nam")  # typed without accents, "nam" is mostly "năm"
    assert lexical.plain_idf("năm") == lexical.plain_idf("nam")
