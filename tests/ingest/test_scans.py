"""Scanned PDFs, mixed PDFs and page images through real Tesseract (Debian's
tesseract-ocr-vie): text, pages, citations "trang N", OCR quality, the page view."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw

from evaluation.scans import FONT, VARIANTS, Variant, degrade, render, save_pdf
from index.records import DocRecord
from index.store import Index
from ingest.clean import clean_text
from ingest.ocr import join_wrapped, skew_angle
from ingest.pipeline import ingest
from ingest.readers import read_file
from retrieval.assistant import Assistant
from tests.conftest import MAX_BYTES
from tools.pageview import page_view
from vietnamese.ocrfix import fix_ocr

pytestmark = pytest.mark.slow

PAGE_ONE = (
    "Báo cáo kết quả 10 năm thực hiện Chỉ thị 20-CT/TW của Huyện ủy Hòa Vang\n"
    "Ban Thường vụ Huyện ủy đã ban hành kế hoạch tuyên truyền về chăm sóc, giáo dục và bảo vệ trẻ em."
)
PAGE_TWO = (
    "Năm 2023, huyện Hòa Vang đã tổ chức 27 lớp dạy bơi miễn phí cho 860 trẻ em.\n"
    "Các xã đã trao 45 suất học bổng cho học sinh có hoàn cảnh khó khăn."
)


def scan(text: str, variant: str = "mild") -> Image.Image:
    return degrade(render(text)[0], VARIANTS[variant])


def test_scanned_pdf_is_read_by_ocr_with_pages_and_cited_by_page(tmp_path, embedder):
    folder = tmp_path / "scans"
    folder.mkdir()
    save_pdf([scan(PAGE_ONE), scan(PAGE_TWO)], folder / "hoa-vang.pdf", 200)
    index = Index(tmp_path / "idx", embedder)
    report = ingest([folder], index, MAX_BYTES, progress=False)
    assert report.added == 1, report.failed
    record = index.records()["hoa-vang.pdf"]
    assert (record.pages, record.ocr_pages, record.ocr_flagged) == (2, "1 2", "")
    assert record.ocr_confidence > 85 and record.ocr_syllables > 0.9
    text = index.document_text("hoa-vang.pdf")
    assert "27 lớp dạy bơi miễn phí cho 860 trẻ em" in text
    assert record.page_at(text.index("27 lớp")) == 2 and record.page_at(text.index("Huyện ủy Hòa Vang")) == 1

    answer = Assistant(index).ask("Hòa Vang tổ chức bao nhiêu lớp dạy bơi cho trẻ em?")
    assert not answer.refused and "27 lớp" in answer.answer
    cited = answer.citations[0]
    assert cited.page == 2 and "trang 2," in cited.label()

    view = np.asarray(page_view(record, 2, cited.quote, index.index_dir))
    assert _marked(view) > 2000  # the quoted line is highlighted on the page image
    assert _marked(np.asarray(page_view(record, 2, "một câu không có trên trang này", index.index_dir))) == 0


def _marked(view: np.ndarray) -> int:
    """Pixels of the page view under the yellow mark (over white paper)."""
    view = view.astype(int)
    return int(((view[..., 0] > 240) & (abs(view[..., 1] - 240) < 12) & (abs(view[..., 2] - 165) < 20)).sum())


def mixed_pdf(tmp_path, path) -> None:
    """Page 1 with a text layer (PAGE_ONE), page 2 a scan (PAGE_TWO)."""
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, PAGE_ONE)
    pdf.output(str(tmp_path / "text.pdf"))
    save_pdf([scan(PAGE_TWO, "clean")], tmp_path / "scan.pdf", 300)
    writer = PdfWriter()
    for part in ("text.pdf", "scan.pdf"):
        writer.append(PdfReader(str(tmp_path / part)))
    writer.write(str(path))


def test_mixed_pdf_reads_only_the_scanned_page_by_ocr(tmp_path):
    mixed_pdf(tmp_path, tmp_path / "mixed.pdf")
    raw = read_file(tmp_path / "mixed.pdf", MAX_BYTES)
    assert raw.paged["pages"] == 2 and raw.paged["ocr_pages"] == "2"
    first, second = clean_text(raw.text).split("\f")
    assert "Huyện ủy Hòa Vang" in first and "27 lớp dạy bơi" in second

    record = DocRecord(id="mixed.pdf", path=str(tmp_path / "mixed.pdf"), pages=2, ocr_pages="2")
    view = np.asarray(page_view(record, 1, "Ban Thường vụ Huyện ủy đã ban hành kế hoạch", tmp_path))
    assert _marked(view) > 500  # found in the text layer and marked


def test_page_image_turned_sideways_is_read_upright(tmp_path):
    scan(PAGE_TWO, "clean").rotate(90, expand=True).save(tmp_path / "trang.png")
    raw = read_file(tmp_path / "trang.png", MAX_BYTES)
    assert "27 lớp dạy bơi miễn phí" in raw.text and raw.fmt == "png" and raw.encoding == "ocr"


def test_a_page_without_letters_is_refused_and_a_bomb_is_stopped(tmp_path):
    Image.new("L", (1654, 2339), 255).save(tmp_path / "trang-trang.png")
    with pytest.raises(Exception, match="OCR"):
        read_file(tmp_path / "trang-trang.png", MAX_BYTES)
    Image.new("1", (12_000, 12_000), 1).save(tmp_path / "bom.png")  # 144 Mpx in a few kB
    with pytest.raises(Exception, match="quá lớn"):
        read_file(tmp_path / "bom.png", MAX_BYTES)
    (tmp_path / "hong.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00" * 500)
    with pytest.raises(Exception, match="PDF bị hỏng"):
        read_file(tmp_path / "hong.pdf", MAX_BYTES)


def test_ocr_corrections_and_running_headers():
    assert fix_ocr("Ðiều 5 Chỉ thị 20-CT / TW: tre\u02c0 em, ha \u0300nh") == "Điều 5 Chỉ thị 20-CT/TW: trẻ em, hành"
    # a speck across a d: "đưới" is no Vietnamese syllable; words and loanwords stay as they are
    assert fix_ocr("xuống đưới 5%") == "xuống dưới 5%"
    kept = "nhân dân đã góp, đặc biệt được khám; tầng ô-dôn; ông Đinh Dũng"
    assert fix_ocr(kept) == kept
    assert join_wrapped(["chăm só-", "c trẻ em"]) == "chăm sóc trẻ em"
    assert join_wrapped(["kinh tế-", "xã hội"]) == "kinh tế-xã hội"
    bodies = [
        "Mở đầu báo cáo.\nHuyện đã tổ chức 12 lớp học bơi.",
        "Các xã trao 40 suất học bổng.\nNăm 2023.",
        "Kết luận hội nghị.\nNơi nhận: như trên.",
    ]
    pages = "\f".join(f"UBND TỈNH ĐỒNG NAI\n{body}\nTrang {n}/3" for n, body in enumerate(bodies, 1))
    assert clean_text(pages).split("\n\f") == bodies
    alike = "\f".join(f"Phần {n}: trẻ em được chăm sóc, bảo vệ." for n in range(1, 4))  # each page one such line
    assert clean_text(alike).split("\n\f") == alike.split("\f")  # kept: a page is never emptied


def test_specks_go_and_tone_dots_stay():
    from ingest.ocr import despeckled

    for width, speck, dot in ((1240, 1, 2), (2480, 2, 4)):  # an A4 page at 150 and at 300 dpi
        page = Image.new("L", (width, 200), 255)
        draw = ImageDraw.Draw(page)
        draw.rectangle((10, 10, 10 + speck - 1, 10 + speck - 1), fill=0)  # noise
        draw.rectangle((50, 50, 50 + dot - 1, 50 + dot - 1), fill=0)  # the dot of "ạ"
        pixels = np.asarray(despeckled(page))
        assert pixels[10, 10] == 255 and pixels[50, 50] == 0
    line = "Ủy ban xã Lương Hòa Lạc và Ban Dân vận Tỉnh ủy đã tổ chức đợt giám sát."
    noisy = degrade(render(line)[0], Variant("noisy", dpi=150, blur=0.5, jpeg=50, noise=0.01), seed=0)
    from ingest.ocr import read_page

    assert "Lương Hòa Lạc" in read_page(noisy).text  # a median filter took the dot: "Lac"


def test_skew_is_measured():
    page = render(PAGE_TWO * 6)[0]
    assert abs(skew_angle(page.rotate(2.0, fillcolor=255, expand=True)) - (-2.0)) <= 0.5


def test_legacy_doc_files_by_what_they_hold(tmp_path):
    rtf = tmp_path / "rtf.doc"
    rtf.write_bytes(
        rb"{\rtf1\ansi\ansicpg1258 {\fonttbl{\f0 Times New Roman;}}\f0 "
        rb"X\u227? \u272?\u244?ng H\u242?a trao 12 su\u7845?t h\u7885?c b\u7893?ng\par}"
    )
    assert "Xã Đông Hòa trao 12 suất học bổng" in read_file(rtf, MAX_BYTES).text
    web = tmp_path / "web.doc"
    web.write_text("<html><body><p>Báo cáo của xã</p><script>x()</script><p>Trẻ em</p></body></html>", encoding="utf-8")
    assert read_file(web, MAX_BYTES).text.split() == ["Báo", "cáo", "của", "xã", "Trẻ", "em"]
    broken = tmp_path / "hong.doc"
    broken.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 600)
    with pytest.raises(Exception, match="Word 97") as error:
        read_file(broken, MAX_BYTES)
    assert str(tmp_path) not in str(error.value)


def test_cli_ingests_mixed_pdf_image_and_doc_and_cites_their_pages(tmp_path):
    import json
    import shutil
    import subprocess
    import sys

    from tests.conftest import ROOT

    folder = tmp_path / "docs"
    folder.mkdir()
    mixed_pdf(tmp_path, folder / "hoa-vang.pdf")
    scan("Năm 2024, phường An Cựu đã trao 31 suất học bổng cho học sinh nghèo.", "clean").save(folder / "an-cuu.png")
    (folder / "phu-my.doc").write_bytes(
        rb"{\rtf1\ansi {\fonttbl{\f0 Arial;}}\f0 X\u227? Ph\u250? M\u7929? "
        rb"\u273?\u227? x\u226?y 3 s\u226?n ch\u417?i cho tr\u7867? em.\par}"
    )
    shutil.copy(ROOT / "tests" / "fixtures" / "vinh-cuu.doc", folder)  # a real Word 97 file
    run = [sys.executable, "-m"]
    out = subprocess.run(
        run + ["ingest", str(folder), "--index-dir", str(tmp_path / "idx"), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0 and json.loads(out.stdout)["added"] == 4, out.stdout + out.stderr
    for question, expected, page in (
        ("Hòa Vang tổ chức bao nhiêu lớp dạy bơi?", "27 lớp", 2),
        ("An Cựu trao bao nhiêu suất học bổng?", "31 suất", 1),
        ("Phú Mỹ xây bao nhiêu sân chơi cho trẻ em?", "3 sân chơi", 0),
        ("Vĩnh Cửu tổ chức bao nhiêu lớp dạy bơi?", "11 lớp dạy bơi", 0),
    ):
        out = subprocess.run(
            run + ["retrieval", "ask", question, "--index-dir", str(tmp_path / "idx"), "--json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        answer = json.loads(out.stdout)
        assert expected in answer["answer"], answer
        assert answer["citations"][0]["page"] == page  # a .doc has no pages


def test_a_blank_page_is_not_flagged_as_poor_ocr(tmp_path):
    blank = Image.new("L", (1654, 2339), 255)
    save_pdf([scan(PAGE_TWO, "clean"), blank], tmp_path / "co-trang-trang.pdf", 200)
    raw = read_file(tmp_path / "co-trang-trang.pdf", MAX_BYTES)
    assert (raw.paged["pages"], raw.paged["ocr_pages"], raw.paged["ocr_flagged"]) == (2, "1", "")


def test_a_long_narrow_strip_is_not_blown_up_past_the_pixel_limit():
    from ingest.ocr import MAX_PIXELS, prepared_page

    page, scale = prepared_page(Image.new("L", (200, 150_000), 255))  # 30 Mpx, 12× to reach 300 dpi width
    assert page.width * page.height <= MAX_PIXELS * 1.01 and scale < 12


def test_a_grey_stamp_is_left_out_where_no_print_runs_under_it():
    from ingest.ocr import prepared_page

    page = scan(PAGE_TWO, "clean")
    ink = Image.new("L", page.size, 255)
    ImageDraw.Draw(ink).ellipse((100, 40, 900, 840), outline=120, width=12)  # a stamp's ring over the lines
    stamped = ImageChops.multiply(page, ink)
    prepared, scale = prepared_page(stamped)
    assert scale == 1.0
    pixels = np.asarray(prepared)
    ring_only = (np.asarray(ink) < 255) & (np.asarray(page) > 250)  # ring pixels with paper under them
    assert (pixels[ring_only] == 255).mean() > 0.95  # dropped
    assert (pixels[np.asarray(page) < 60] == 0).mean() > 0.99  # the print kept
    raw_text = read_page_text(stamped)
    assert "27 lớp dạy bơi miễn phí cho 860 trẻ em" in raw_text


def read_page_text(image: Image.Image) -> str:
    from ingest.ocr import read_page

    return read_page(image).text


def test_a_quote_that_begins_at_the_end_of_a_line_marks_that_line():
    from tools.pageview import is_quoted

    quote = "huyện đã tổ chức 27 lớp dạy bơi miễn phí cho 860 trẻ em."
    assert is_quoted("Kết quả nổi bật của năm 2023, huyện đã", quote)  # the quote's first words end this line
    assert is_quoted("tổ chức 27 lớp dạy bơi miễn phí cho 860 trẻ em.", quote)
    assert is_quoted("cho 860 trẻ em. Các xã đã trao 45 suất học bổng", quote)  # its last words begin this one
    assert not is_quoted("Các xã đã trao 45 suất học bổng cho học sinh.", quote)
    assert not is_quoted("Báo cáo của huyện", quote)  # one shared word is no quote
