"""Briefing, locality comparison and examples finder on the seed corpus; their
exports read back and every citation checked against its source."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import pytest

from retrieval.filters import Filters
from tests.conftest import ROOT
from tests.support.oracles import read_docx_appendix
from tests.support.seeds import CITATION_KEYS
from tools.briefing import SECTIONS, build_briefing
from tools.compare import compare
from tools.examples import find_examples
from tools.exports import to_docx, to_markdown, write_table
from vietnamese.normalize import fold

pytestmark = pytest.mark.integration

CAN_THO, DONG_NAI, UNNAMED, BIM_SON = (
    "000_5594e5f712cf8468.txt",
    "001_d717fc30ee347d63.txt",
    "002_79f04d2b9ffbba90.txt",
    "004_70c20d1112d6ed16.txt",
)


def exact(index, c) -> bool:
    c = c if isinstance(c, dict) else c.__dict__
    return index.document_text(c["source"])[c["start"] : c["end"]] == c["quote"]


def test_briefing_on_limitations_cites_three_localities_and_the_docx_reads_back(seed_index, tmp_path):
    briefing = build_briefing(seed_index, "những hạn chế khi thực hiện Chỉ thị 20")
    limits = briefing.sections["han_che"]
    # the two reports that name shortcomings; the others only say they were discussed
    assert {b.locality for b in limits} == {"Cần Thơ", "Bỉm Sơn"}
    assert all(re.search(r"chưa|hạn chế|không cao|thiếu|khó khăn|tồn tại|nghèo nàn", b.text) for b in limits)
    assert not any(b.text.startswith(("Thứ ", "Nhận thức và trách nhiệm")) for b in limits)  # tasks, strengths
    assert not any("chỉ rõ những hạn chế" in b.text for b in limits)  # mentions a shortcoming, names none
    tasks = briefing.sections["nhiem_vu"]
    assert not any("báo cáo kết quả thực hiện" in b.text for b in tasks)  # a report's sign-off is no task
    assert all(b.locality for bullets in briefing.sections.values() for b in bullets)  # every bullet has its place
    assert all(
        b.citations and all(exact(seed_index, c) for c in b.citations)
        for bullets in briefing.sections.values()
        for b in bullets
    )
    path = tmp_path / "brief.docx"
    to_docx(briefing, path)
    entries = read_docx_appendix(path)
    assert len(entries) == len(briefing.citations()) > 6
    for entry in entries:  # the quote in the document equals its source sliced at its offsets
        assert seed_index.document_text(entry["source"])[entry["start"] : entry["end"]] == entry["quote"]
    from docx import Document

    headings = [p.text for p in Document(str(path)).paragraphs if p.style.name.startswith("Heading")]
    assert all(title in headings for title in SECTIONS.values())
    markdown = to_markdown(briefing)
    assert "## Hạn chế, nguyên nhân" in markdown and "[^1]:" in markdown


def test_a_briefing_on_a_narrow_topic_keeps_to_it(seed_index):
    briefing = build_briefing(seed_index, "phòng chống đuối nước, dạy bơi cho trẻ em")
    bullets = [b for items in briefing.sections.values() for b in items]
    assert bullets and all(re.search(r"bơi|đuối nước|tai nạn", b.text) for b in bullets)
    assert not any("Bằng khen" in b.text or "tử vong" in b.text for b in bullets)  # awards, mortality targets


def test_briefing_respects_filters(seed_index):
    briefing = build_briefing(
        seed_index, "kết quả chăm sóc sức khỏe, dinh dưỡng trẻ em", Filters(localities=["Cần Thơ"])
    )
    sources = {c.source for c in briefing.citations()}
    assert sources == {CAN_THO}
    assert any("10,7%" in b.text for b in briefing.sections["ket_qua"])


def test_comparison_cells_hold_one_measure_each_cited(seed_index, tmp_path):
    table = compare(seed_index).as_dict()
    rows = {row["locality"]: row["cells"] for row in table["rows"]}
    unnamed = rows["Chưa rõ địa phương: «Tiếp tục đẩy mạnh công tác chăm sóc…», 19/04/2018"]
    assert not any(".txt" in name for name in rows)  # a row is never labelled with a file name

    def values(cells, key):
        return [(c["value"], c["kind"]) for c in cells.get(key, [])]

    assert values(rows["Cần Thơ"], "suy_dinh_duong") == [("còn 10,7%", "kết quả")]
    assert values(unnamed, "suy_dinh_duong") == [("xuống dưới 8,8%", "mục tiêu")]
    assert values(rows["Cần Thơ"], "khen_tap_the") == [("13 tập thể", "kết quả")]
    assert values(rows["Cần Thơ"], "khen_ca_nhan") == [("04 cá nhân", "kết quả")]
    assert values(rows["Đồng Nai"], "khen_ca_nhan") == [("51 cá nhân", "kết quả")]
    # one measure per cell: "khám phân loại" and the share of children in special
    # circumstances are two measures; "đúng độ tuổi" is not "huy động vào tiểu học"
    assert values(rows["Cần Thơ"], "hcdb_kham") == [("hơn 75%", "kết quả")]
    assert values(rows["Cần Thơ"], "hcdb_ty_le") == [("còn 1%", "kết quả")]
    assert values(unnamed, "dung_tuoi_tieu_hoc") == [("đạt 98%", "mục tiêu")]
    assert "huy_dong_tieu_hoc" not in unnamed
    assert values(rows["Bỉm Sơn"], "kinh_phi_tong") == [("hơn 4 tỷ đồng", "kết quả")]
    assert values(rows["Cần Thơ"], "xa_phu_hop")[0][0].startswith("85/85")
    assert rows["Cần Thơ"]["huy_dong_thcs"][0]["year"] == "2017"
    assert "khen_tap_the" not in rows["Bỉm Sơn"]  # blank where the corpus says nothing
    cells = [c for row in table["rows"] for cs in row["cells"].values() for c in cs]
    assert all(exact(seed_index, c["citation"]) and c["value"] in c["citation"]["quote"] for c in cells)
    assert sorted(c["citation"]["n"] for c in cells) == list(range(1, len(cells) + 1))

    write_table(compare(seed_index), tmp_path / "t.csv")
    with open(tmp_path / "t.csv", encoding="utf-8-sig") as f:
        lines = list(csv.reader(f))
    header = lines[0]
    can_tho = next(line for line in lines if line and line[0] == "Cần Thơ")
    assert can_tho[header.index("Tập thể được tặng Bằng khen")].startswith("13 tập thể [")
    write_table(compare(seed_index), tmp_path / "t.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["So sánh", "Trích dẫn"]
    sheet = book["So sánh"]
    assert sheet.freeze_panes == "B2"
    widths = {sheet.column_dimensions[c].width for c in "ABCDEFGH"}
    assert len(widths) > 2  # widths follow the content
    dong_nai = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Đồng Nai")
    assert any(str(v).startswith("40 tập thể [") for v in dong_nai if v)
    assert book["Trích dẫn"].max_row == len(cells) + 1


def test_comparison_for_chosen_localities_and_indicators(seed_index):
    table = compare(seed_index, ["Đồng Nai", "can tho"], ["khen_tap_the"])
    assert [i.key for i in table.indicators] == ["khen_tap_the"]
    assert {row.locality for row in table.rows} == {"Cần Thơ", "Đồng Nai"}


def test_comparison_chart_and_word_export(seed_index, tmp_path):
    from docx import Document

    from tools.charts import chart, chart_image, chart_rows
    from tools.exports import comparison_docx

    table = compare(seed_index)
    rows = chart_rows(table, "suy_dinh_duong")
    assert {(r["Địa phương"], r["Giá trị"], r["Loại"]) for r in rows} == {
        ("Cần Thơ", 10.7, "kết quả"),
        (next(r.locality for r in table.rows if not r.province_new and "Chưa rõ" in r.locality), 8.8, "mục tiêu"),
    }
    spec = chart(table, "suy_dinh_duong", selectable=True).to_dict()
    assert spec["layer"][0]["encoding"]["color"]["field"] == "Loại"  # results and targets told apart
    assert chart_image(table, "suy_dinh_duong").startswith(b"\x89PNG")
    svg = chart_image(table, "khen_tap_the", "svg").decode()
    assert svg.startswith("<svg") and "Đồng Nai" in svg and "Cần Thơ" in svg
    comparison_docx(table, tmp_path / "c.docx")
    doc = Document(str(tmp_path / "c.docx"))
    assert len(doc.inline_shapes) == len(table.indicators)  # a chart per measure
    assert any(p.text.startswith("Cần Thơ: 13 tập thể [") for p in doc.paragraphs)


def test_examples_finder_lists_movements_and_swimming_classes(seed_index):
    items = find_examples(seed_index)
    names = {(e.name, e.locality) for e in items}
    for movement in (
        "Nghìn việc tốt",
        "Nuôi heo đất vì bạn nghèo",
        "Áo lụa tặng bà",
        "Ngôi nhà khăn quàng đỏ",
        "Gia đình “5 không, 3 sạch”",
    ):
        assert (movement, "Cần Thơ") in names
    swim = next(e for e in items if e.name.startswith("Dạy bơi") and e.locality == "Bỉm Sơn")
    assert "04 lớp học bơi" in swim.citation.quote and not swim.planned
    planned = next(e for e in items if e.name.startswith("Dạy bơi") and not e.locality)
    assert planned.planned and "8.400 học sinh" in planned.citation.quote  # a plan's target, marked as such
    # filler is no example: a generic "các mô hình …" in a task list, "gương điển hình"
    assert not any(fold(e.name).startswith(("cac mo hinh", "guong dien hinh", "nhan rong")) for e in items)
    # a goal mentioning play spaces ("tăng số xã … có điểm vui chơi … lên 40%") is no activity
    assert not any(e.name.startswith("Điểm vui chơi") and not e.locality for e in items)
    # accents and synonyms: "day boi" finds Bỉm Sơn's "lớp học bơi"
    assert {e.locality for e in find_examples(seed_index, query="day boi")} == {"Bỉm Sơn", ""}
    # old and new province names: Tiền Giang now belongs to Đồng Tháp
    assert [e.locality for e in find_examples(seed_index, Filters(localities=["Đồng Tháp"]))] == ["Tiền Giang"]
    assert all(exact(seed_index, e.citation) for e in items)
    only = find_examples(seed_index, Filters(localities=["Thanh Hóa"]))  # the new province of Bỉm Sơn
    assert only and {e.locality for e in only} == {"Bỉm Sơn"}
    assert [e.name for e in find_examples(seed_index, query="heo dat")] == ["Nuôi heo đất vì bạn nghèo"]


def _run(*args) -> str:
    out = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_commands_print_json_with_citations_of_the_ask_shape(seed_index, tmp_path):
    keys = CITATION_KEYS
    idx = str(seed_index.index_dir)
    brief = json.loads(
        _run(
            "tools",
            "briefing",
            "những hạn chế khi thực hiện Chỉ thị 20",
            "--index-dir",
            idx,
            "--out",
            str(tmp_path / "b.docx"),
            "--json",
        )
    )
    assert [s["title"] for s in brief["sections"]] == list(SECTIONS.values())
    assert set(brief["sections"][1]["bullets"][0]["citations"][0]) == keys
    assert read_docx_appendix(tmp_path / "b.docx")
    table = json.loads(
        _run(
            "tools",
            "compare",
            "--localities",
            "Cần Thơ",
            "--index-dir",
            idx,
            "--out",
            str(tmp_path / "c.xlsx"),
            "--json",
        )
    )
    assert set(table["rows"][0]["cells"]["khen_tap_the"][0]["citation"]) == keys
    assert (tmp_path / "c.xlsx").stat().st_size > 0
    items = json.loads(_run("tools", "examples", "--locality", "Bỉm Sơn", "--index-dir", idx, "--json"))["items"]
    assert items and set(items[0]["citation"]) == keys and {i["locality"] for i in items} == {"Bỉm Sơn"}


def test_examples_of_a_near_copy_are_merged_and_exported(tmp_path, embedder):
    import shutil

    from openpyxl import load_workbook

    from index.store import Index
    from ingest.pipeline import ingest
    from tests.conftest import CORPUS, MAX_BYTES
    from tools.exports import write_examples

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = Index(tmp_path / "idx", embedder)
    ingest([corpus], index, MAX_BYTES, progress=False)
    original = (corpus / BIM_SON).read_text(encoding="utf-8")
    (tmp_path / "bim-son-ban-quet.txt").write_text("Bản quét lưu trữ, trang 1\n" + original[:9000], encoding="utf-8")
    ingest([tmp_path / "bim-son-ban-quet.txt"], index, MAX_BYTES, progress=False)  # uploaded later
    assert index.records()["bim-son-ban-quet.txt"].near_copy_of == BIM_SON
    items = find_examples(index)
    keys = [(e.name, e.locality) for e in items]
    assert len(keys) == len(set(keys))  # each example once
    swim = [e for e in items if e.name.startswith("Dạy bơi") and e.locality == "Bỉm Sơn"]
    assert [e.citation.source for e in swim] == [BIM_SON]  # cited from the original
    write_examples(items, tmp_path / "e.xlsx")
    sheet = load_workbook(tmp_path / "e.xlsx")["Điển hình"]
    assert sheet.max_row == len(items) + 1 and sheet.freeze_panes == "B2"
    assert [c.value for c in sheet[1]][:3] == ["n", "Tên", "Loại"]


def test_briefing_llm_rewrite_is_verified(seed_index):
    from retrieval.chat import make_chat_model
    from settings import Settings
    from tests.support.fake_llm import FakeLLM
    from tools.briefing_llm import rewrite_with_llm

    fake = FakeLLM()
    try:
        chat = make_chat_model(Settings(answer_mode="llm", llm_base_url=fake.url, llm_model="fake"))
        fake.reply = lambda m: (
            "- Cần Thơ khen thưởng 13 tập thể và 04 cá nhân [1]"
            if "Kết quả" in m[-1]["content"]
            else "- Có 999 trường hợp [1]"
        )
        before = build_briefing(seed_index, "khen thưởng tập thể cá nhân", Filters(localities=["Cần Thơ"]))
        first = before.sections["ket_qua"][0].citations[0]
        assert "13 tập thể" in first.quote  # the rewrite above cites this sentence
        after = rewrite_with_llm(before, chat)
        assert after.mode == "llm"
        assert [b.text for b in after.sections["ket_qua"]] == ["Cần Thơ khen thưởng 13 tập thể và 04 cá nhân"]
        assert after.sections["ket_qua"][0].citations[0].quote == first.quote
        assert all("999" not in b.text for k in ("han_che", "nhiem_vu", "mo_hinh") for b in after.sections[k])
        assert all(exact(seed_index, c) for c in after.citations())
    finally:
        fake.close()


def test_comparison_and_examples_read_each_document_once_per_version(seed_index, tmp_path, monkeypatch):
    import shutil

    from index.store import Index
    from tools import facts
    from tools.prepare import keep_facts

    copy = tmp_path / "idx"
    shutil.copytree(seed_index.index_dir, copy)
    first = Index(copy, seed_index.embedder)
    for kept in first.cache_path("facts.sqlite").parent.glob("facts.sqlite*"):
        kept.unlink()  # facts from the fixture's own runs
    facts._memo.clear()
    assert keep_facts(first) == len(first.records())  # at ingest: every document read once
    assert keep_facts(first) == 0  # nothing new
    table, items = compare(first).as_dict(), [e.as_dict() for e in find_examples(first)]
    facts._memo.clear()  # a new process: only the cache on disk is left

    later = Index(copy, seed_index.embedder)
    monkeypatch.setattr(later, "document_text", lambda doc_id: (_ for _ in ()).throw(AssertionError(doc_id)))
    assert compare(later).as_dict() == table and [e.as_dict() for e in find_examples(later)] == items

    record = later.records()[BIM_SON]
    monkeypatch.setattr(record, "hash", "another-version")  # a new version is read again
    read = []
    monkeypatch.setattr(later, "document_text", lambda doc_id: read.append(doc_id) or seed_index.document_text(doc_id))
    find_examples(later)
    assert read == [BIM_SON]
