"""Spreadsheets (.xlsx): each row is read as a line under its column headers, answers cite
it, and broken or expanding workbooks are refused with a reason while the rest goes on."""

from __future__ import annotations

import zipfile

import pytest

from index.store import Index
from ingest.pipeline import ingest
from ingest.readers import read_file
from retrieval.assistant import Assistant
from tests.conftest import MAX_BYTES

pytestmark = pytest.mark.integration


def _workbook(path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Học bơi 2023"
    sheet.append(["Kết quả dạy bơi cho trẻ em năm 2023 của các địa phương"])
    sheet.append([])
    sheet.append(["STT", "Địa phương", "Số lớp dạy bơi", "Số trẻ em biết bơi"])
    sheet.append([1, "Thị xã Bỉm Sơn", 14, 420])
    sheet.append([2, "Thành phố Vinh", 9, None])
    book.create_sheet("Trống")
    book.save(path)


def test_rows_are_read_under_their_headers_and_answered(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _workbook(corpus / "hoc-boi.xlsx")
    text = read_file(corpus / "hoc-boi.xlsx", MAX_BYTES).text
    assert "STT: 1 | Địa phương: Thị xã Bỉm Sơn | Số lớp dạy bơi: 14 | Số trẻ em biết bơi: 420" in text
    assert (
        "Địa phương: Thành phố Vinh | Số lớp dạy bơi: 9" in text and "Trống" not in text
    )  # empty cells, sheets left out

    (corpus / "hong.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with zipfile.ZipFile(corpus / "bom.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<row/>" * 20_000_000)  # 120 MB from a few hundred KB
    index = Index(tmp_path / "idx", embedder)
    report = ingest([corpus], index, MAX_BYTES, progress=False)
    reasons = {f["path"].rsplit("/", 1)[-1]: f["reason"] for f in report.failed}
    assert "XLSX bị hỏng" in reasons["hong.xlsx"]
    assert "giải nén ra" in reasons["bom.xlsx"] or "nén bất thường" in reasons["bom.xlsx"]
    assert report.added == 1

    answer = Assistant(index).ask("Bỉm Sơn có bao nhiêu lớp dạy bơi năm 2023?")
    assert answer.citations and answer.citations[0].source == "hoc-boi.xlsx"
    assert "14" in answer.answer and "Bỉm Sơn" in answer.citations[0].quote
