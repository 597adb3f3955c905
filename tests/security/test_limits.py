"""Limits where input expands: each refusal names its reason and the rest of the batch goes on."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from errors import BadInputFile
from index.store import Index
from ingest.pipeline import ingest
from ingest.readers import read_file
from tests.conftest import CORPUS, MAX_BYTES

pytestmark = pytest.mark.integration


def _docx_bomb(path, expanded_mb: int) -> None:
    """A valid DOCX skeleton whose word/document.xml expands to `expanded_mb` MB."""
    import docx

    docx.Document().save(path)
    with zipfile.ZipFile(path) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    body = members["word/document.xml"]
    at = body.index(b"<w:body>") + len(b"<w:body>")
    para = b"<w:p><w:r><w:t>tr\xe1\xba\xbb em </w:t></w:r></w:p>"
    members["word/document.xml"] = body[:at] + para * (expanded_mb * 1_000_000 // len(para)) + body[at:]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def test_expanding_inputs_are_refused_and_the_batch_goes_on(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "001_d717fc30ee347d63.txt", corpus)
    _docx_bomb(corpus / "bom.docx", 120)
    _docx_bomb(corpus / "nho.docx", 4)  # small on disk, thousands of chunks once read
    (corpus / "dai.txt").write_text("Trẻ em được chăm sóc. " * 150_000, encoding="utf-8")
    deep = 100_000  # 1 MB of nested <div>: quadratic to parse, it held a core for over 5 minutes
    (corpus / "sau.html").write_text(
        "<html><body>" + "<div>" * deep + "Trẻ em" + "</div>" * deep + "</body></html>", encoding="utf-8"
    )
    assert (corpus / "bom.docx").stat().st_size < 1_000_000
    report = ingest([corpus], Index(tmp_path / "idx", embedder), MAX_BYTES, progress=False)
    reasons = {f["path"].rsplit("/", 1)[-1]: f["reason"] for f in report.failed}
    assert "giải nén ra 12" in reasons["bom.docx"] or "nén bất thường" in reasons["bom.docx"]
    assert "nén bất thường" in reasons["nho.docx"]
    assert "quá dài" in reasons["dai.txt"]
    assert "lồng nhau" in reasons["sau.html"]
    assert report.added == 1


def test_a_pdf_whose_text_layer_reads_too_long_is_refused(tmp_path, embedder, monkeypatch):
    from fpdf import FPDF

    from ingest import scanned

    pdf = FPDF()
    for n in range(3):
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(
            0,
            8,
            f"Bao cao phan {'ABC'[n]}: cong tac bao ve, cham soc tre em nam {2017 + n}, "
            f"da to chuc {12 + n} lop hoc boi cho tre em o cac xa phuong.",
        )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pdf.output(str(corpus / "cham.pdf"))
    shutil.copy(CORPUS / "001_d717fc30ee347d63.txt", corpus)
    monkeypatch.setattr(scanned, "MAX_TEXT_SECONDS", 0)  # every page is past the deadline (in this process)
    with pytest.raises(BadInputFile, match="Đọc lớp văn bản của PDF quá 0 giây"):
        read_file(corpus / "cham.pdf", MAX_BYTES)
    monkeypatch.setattr(scanned, "MAX_TEXT_SECONDS", 300)
    index = Index(tmp_path / "idx", embedder)
    assert ingest([corpus], index, MAX_BYTES, progress=False).added == 2  # within the limit it reads


def test_a_question_past_the_length_limit_is_refused_before_any_reading(seed_index):
    from errors import QuestionTooLong
    from retrieval.assistant import Assistant

    assistant = Assistant(seed_index)
    with pytest.raises(QuestionTooLong, match="vượt giới hạn"):
        assistant.ask("Bỉm Sơn tổ chức bao nhiêu lớp học bơi? " * 6000)  # 240,000 characters
    assert not assistant.ask("Bỉm Sơn tổ chức bao nhiêu lớp học bơi cho trẻ em?").refused


@pytest.mark.parametrize(("user", "readable"), [("", True), ("mat-khau", False)], ids=["owner-only", "user"])
def test_a_pdf_with_only_an_owner_password_is_read_and_one_with_a_user_password_refused(tmp_path, user, readable):
    from fpdf import FPDF
    from pypdf import PdfWriter

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, "Bao cao cong tac tre em nam 2017, da to chuc 12 lop hoc boi cho tre em.")
    pdf.output(str(tmp_path / "goc.pdf"))
    writer = PdfWriter(clone_from=str(tmp_path / "goc.pdf"))
    writer.encrypt(user_password=user, owner_password="chu-so-huu", algorithm="AES-128")
    writer.write(str(tmp_path / "khoa.pdf"))
    if readable:  # printing and copying restricted, reading not
        assert "12 lop hoc boi" in read_file(tmp_path / "khoa.pdf", MAX_BYTES).text
    else:
        with pytest.raises(BadInputFile, match="mật khẩu"):
            read_file(tmp_path / "khoa.pdf", MAX_BYTES)


def test_an_image_of_noise_is_refused_with_its_confidence(tmp_path):
    import numpy as np
    from PIL import Image

    noise = (np.random.default_rng(0).random((600, 800)) * 255).astype("uint8")
    Image.fromarray(noise).save(tmp_path / "nhieu.png")
    with pytest.raises(BadInputFile, match=r"độ tin cậy nhận dạng trung bình \d+%"):
        read_file(tmp_path / "nhieu.png", MAX_BYTES)
