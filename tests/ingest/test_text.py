"""Vietnamese normalisation, legacy encodings, cleaning, metadata and chunking."""

from __future__ import annotations

import pytest

from ingest.chunking import chunk_text, heading_level
from ingest.clean import clean_text
from ingest.metadata import extract_metadata, find_references
from ingest.readers import decode_text
from tests.conftest import CORPUS
from tests.support.oracles import unicode_to_tcvn3, unicode_to_vni
from vietnamese.legacy import detect_and_convert
from vietnamese.normalize import normalize_tones, plain_query_tokens, strip_diacritics, word_tokens
from vietnamese.places import locate, places_in_query

pytestmark = pytest.mark.integration

SEEDS = {p.name: p for p in CORPUS.iterdir()}


def cleaned(name: str) -> str:
    return clean_text(SEEDS[name].read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "old,new",
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("Hoà Bình", "Hòa Bình"),
        ("quý", "quý"),
        ("người", "người"),
        ("ngoài", "ngoài"),
        ("THUỶ", "THỦY"),
    ],
)
def test_one_tone_placement(old, new):
    assert normalize_tones(old) == new
    assert normalize_tones(new) == new


def test_strip_diacritics_and_unaccented_query_tokens():
    assert strip_diacritics("Cần Thơ, Đồng Nai") == "Can Tho, Dong Nai"
    assert "bim_son" in plain_query_tokens("bim son to chuc")
    assert "bỉm_sơn" in word_tokens("Bỉm Sơn tổ chức lớp học bơi")
    assert "tổ_chức" in word_tokens("Bỉm Sơn tổ chức lớp học bơi")


@pytest.mark.parametrize("encode,name", [(unicode_to_tcvn3, "tcvn3"), (unicode_to_vni, "vni")])
def test_legacy_encodings_are_converted(encode, name):
    original = SEEDS["004_70c20d1112d6ed16.txt"].read_text(encoding="utf-8")
    legacy_bytes = encode(original).encode("cp1252", errors="replace")
    text, encoding = decode_text(legacy_bytes)
    assert encoding == name
    assert "Hỗ trợ 133 em học sinh có hoàn cảnh khó khăn" in text.replace("HỖ", "Hỗ")
    assert "ngày 24 tháng 8 năm 2017" in text


def test_unicode_text_is_left_alone():
    original = SEEDS["000_5594e5f712cf8468.txt"].read_text(encoding="utf-8")
    assert detect_and_convert(original) == (original, "unicode")


def test_boilerplate_removed_content_kept():
    text = cleaned("001_d717fc30ee347d63.txt")
    assert "Rate this post" not in text and "Leave a Reply" not in text
    assert "Your email address" not in text
    assert "40 tập thể và 51 cá nhân" in text
    text = cleaned("002_79f04d2b9ffbba90.txt")
    for junk in (
        "Object reference not set",
        "Số lượt truy cập",
        "Thăm dò ý kiến",
        "Mã code",
        "Liên kết banner",
        "TÍCH CỰC CHUẨN BỊ VÀ TỔ CHỨC THÀNH CÔNG ĐẠI HỘI",
    ):
        assert junk not in text
    assert text.startswith("19/04/2018 17:03")
    assert "dạy bơi cho 8.400 học sinh tiểu học" in text
    text = cleaned("003_61385dfc793cc1de.txt")
    assert "Trang chủ" not in text and "Văn phòng điện tử" not in text
    assert text.startswith("Giám sát thực hiện Chỉ thị 20")
    text = cleaned("000_5594e5f712cf8468.txt")
    assert text.endswith("Phòng Khoa giáo")  # the visit counter "126" is gone
    assert "“Nuôi heo đất vì bạn nghèo”" in text
    assert "**" not in cleaned("004_70c20d1112d6ed16.txt")


def test_metadata_of_each_seed():
    can_tho = extract_metadata(cleaned("000_5594e5f712cf8468.txt"))
    assert (can_tho.locality, can_tho.date, can_tho.doc_type) == ("Cần Thơ", "2017-08-31", "tin bài")
    assert can_tho.issuer == "Thành ủy Cần Thơ" and "20-CT/TW" in can_tho.cites

    dong_nai = extract_metadata(cleaned("001_d717fc30ee347d63.txt"))
    assert dong_nai.locality == "Đồng Nai" and dong_nai.province_new == "Đồng Nai"
    assert dong_nai.cites.split("; ") == ["20-CT/TW", "144-KH/TU"]
    assert dong_nai.date == "" and dong_nai.year == 2022

    unnamed = extract_metadata(cleaned("002_79f04d2b9ffbba90.txt"))
    assert unnamed.locality == "" and unnamed.province == ""  # only ever says "tỉnh"
    assert unnamed.date == "2018-04-19"
    assert {"20-CT/TW", "48-KH/TU", "2153/KH-UBND"} <= set(unnamed.cites.split("; "))

    tien_giang = extract_metadata(cleaned("003_61385dfc793cc1de.txt"))
    assert (tien_giang.locality, tien_giang.province, tien_giang.province_new) == (
        "Tiền Giang",
        "Tiền Giang",
        "Đồng Tháp",
    )
    assert tien_giang.date == "2018-11-13" and tien_giang.cites == "20-CT/TW"

    bim_son = extract_metadata(cleaned("004_70c20d1112d6ed16.txt"))
    assert (bim_son.locality, bim_son.locality_level, bim_son.province) == ("Bỉm Sơn", "thị xã", "Thanh Hóa")
    assert bim_son.number == "141/BC-UBND" and bim_son.date == "2017-08-24"
    assert bim_son.doc_type == "báo cáo"
    assert "Bùi Sơn" in bim_son.locality_variants
    assert bim_son.issuer == "Ủy ban nhân dân thị xã Bỉm Sơn"
    assert bim_son.title.startswith("Báo cáo sơ kết 5 năm thực hiện Chỉ thị số 20/CT-TW")
    assert bim_son.cites.split("; ") == ["20-CT/TW", "2500/SLĐTBXH-BVCSTE"]


def test_reference_normalisation():
    assert find_references("Kế hoạch 144-KH / TU và Chỉ thị 20/CT-TW, 20- CT/TW") == ["144-KH/TU", "20-CT/TW"]
    assert find_references("ngày 05/11/2012") == []


def test_locality_by_old_and_new_names():
    assert locate("Ủy ban nhân dân tỉnh Tiền Giang báo cáo").province_new == "Đồng Tháp"
    assert places_in_query("can tho da giao nhung nhiem vu gi") == {"can tho"}
    assert places_in_query("Bìm Sơn tổ chức bao nhiêu lớp học bơi") == {"bim son"}
    assert places_in_query("Huế tổ chức bao nhiêu lớp dạy bơi?") == {"hue"}  # a short name, with its diacritics
    assert places_in_query("hoa huệ và hue") == set()
    assert places_in_query("Năm 2018 tỉnh định dạy bơi") == set()  # lower-case "định" is not Nam Định
    assert places_in_query("TP. Hồ Chí Minh đã làm gì?") == {"ho chi minh"}
    assert places_in_query("Chủ tịch Hồ Chí Minh dạy gì?") == set()  # the person, not the city


def test_chunks_follow_structure_and_slice_back():
    text = cleaned("004_70c20d1112d6ed16.txt")
    chunks = chunk_text(text)
    assert all(text[c.start : c.end] == c.text for c in chunks)
    assert max(len(c.text) for c in chunks) <= 900
    hard = next(c for c in chunks if "quá nhiều việc" in c.text)
    assert hard.section.startswith("4. Xác định các khó khăn") and hard.section.endswith("Khó khăn")
    weak = next(c for c in chunks if "Việc quy hoạch, đầu tư xây dựng các khu vui chơi" in c.text)
    assert weak.section == "3. Những ưu điểm, hạn chế > Những tồn tại, hạn chế"
    assert heading_level("3. Những ưu điểm, hạn chế") == 2
    assert heading_level("- Sở Lao động - TBXH;") == 0


def test_enumeration_items_start_units():
    text = cleaned("000_5594e5f712cf8468.txt")
    chunks = chunk_text(text)
    assert any(
        c.text.startswith("Thứ sáu, giao Ban Tuyên giáo Thành ủy")
        or "\nThứ sáu" in c.text
        or c.text.startswith("Thứ năm")
        for c in chunks
    )
    with pytest.raises(ValueError):
        chunk_text(text, target=0)


def test_a_scans_title_is_read_below_its_page_head():
    page = (
        "ỦY BAN NHÂN DÂN\nHUYỆN HÒA VANG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 12/BC-UBND\nHòa Vang, ngày 5 tháng 3 năm 2023\n"
        "Kết quả 10 năm thực hiện Chỉ thị 20 của huyện Hòa Vang\nNăm 2022, huyện đã tổ chức 27 lớp dạy bơi."
    )
    assert extract_metadata(page).title == "Kết quả 10 năm thực hiện Chỉ thị 20 của huyện Hòa Vang"
