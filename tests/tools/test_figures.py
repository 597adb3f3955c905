"""Figures are read with their meaning from sentences worded unlike the bundled corpus:
each number joins the measure its own words name, or none."""

from __future__ import annotations

import pytest

from tools.figures import RESULT, TARGET, figures_in


def _found(text: str) -> list[tuple[str, float, str]]:
    return [(f.measure, f.number, f.kind) for f in figures_in(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Năm 2022, tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể thấp còi chỉ còn 12,5%.",
            [("suy_dinh_duong", 12.5, RESULT)],
        ),
        (
            "Có 99,2% trẻ em dưới 6 tuổi được cấp thẻ BHYT, 97% trẻ dưới 1 tuổi được tiêm chủng đầy đủ 8 loại vắc xin.",
            [("bhyt", 99.2, RESULT), ("tiem_chung", 97.0, RESULT)],
        ),
        (
            "Phấn đấu đến năm 2025 giảm tỷ suất tử vong trẻ em dưới 1 tuổi xuống còn 10‰.",
            [("tu_vong_1", 10.0, TARGET)],
        ),
        (
            "Huyện đã mở 15 lớp dạy bơi miễn phí cho 860 cháu trong dịp hè.",
            [("lop_boi", 15.0, RESULT), ("day_boi", 860.0, RESULT)],
        ),
        (
            "Chủ tịch UBND tỉnh tặng Bằng khen cho 25 tập thể và 30 cá nhân.",
            [("khen_tap_the", 25.0, RESULT), ("khen_ca_nhan", 30.0, RESULT)],
        ),
        (
            "Tỷ lệ huy động trẻ vào tiểu học đạt 99,8%, vào trung học cơ sở đạt 96%.",
            [("huy_dong_tieu_hoc", 99.8, RESULT), ("huy_dong_thcs", 96.0, RESULT)],
        ),
        # numbers that are not figures of a measure: dates, plan numbers, phone numbers,
        # a count of something no measure counts, a percentage whose words name no measure
        (
            "Ngày 05/11/2012, Kế hoạch 144-KH/TU có 12 điều; gọi 111 hoặc 0258.3883.040. "
            "Khoảng 60% hộ gia đình có điện thoại.",
            [],
        ),
    ],
)
def test_figures_join_the_measure_their_words_name(text, expected):
    assert _found(text) == expected


def test_a_breakdown_after_trong_do_is_not_a_second_total():
    found = _found("Trong 5 năm đã triển khai 9 hội nghị, trong đó 01 hội nghị cán bộ chủ chốt, 08 hội nghị tại xã.")
    assert found == [("hoi_nghi", 9.0, RESULT)]


def test_figures_keep_year_and_value_as_written():
    [f] = figures_in("Đến cuối năm 2016, có 85/85 xã, phường, thị trấn đạt tiêu chuẩn phù hợp với trẻ em.")
    assert (f.measure, f.value, f.number, f.year) == ("xa_phu_hop", "85/85 xã, phường, thị trấn", 85.0, "2016")
