"""The activities the examples page knows by name: an activity is found where a figure of one
of its measures is reported ("tổ chức 04 lớp học bơi" is Dạy bơi), or, for an event specific
enough to name itself, where its words occur ("Tháng hành động vì trẻ em"). Generic duties
that only tasks and requests mention ("tập huấn", "khen thưởng") need a figure: a report of
something done, not a wish. Names are what a reader searches by, so a search for "day boi"
finds Bỉm Sơn's "lớp học bơi"."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Activity:
    name: str
    kind: str  # "hoạt động", "phong trào", "khen thưởng"
    words: str = ""  # regex on accent-folded text that names the activity by itself
    measures: tuple[str, ...] = ()  # measures (tools.measures) whose figures report it
    aliases: str = ""  # other words a reader may search with


ACTIVITIES = [
    Activity(
        "Dạy bơi, phòng chống đuối nước cho trẻ em",
        "hoạt động",
        r"(?:day|hoc) boi",
        ("lop_boi", "day_boi"),
        "hoc boi lop hoc boi duoi nuoc",
    ),
    Activity("Điểm vui chơi cho trẻ em", "hoạt động", r"diem vui choi", ("diem_vui_choi", "tre_vui_choi"), "san choi"),
    Activity("Học bổng cho học sinh", "hoạt động", r"hoc bong", ("hoc_bong", "hoc_bong_em")),
    Activity("Hỗ trợ học sinh có hoàn cảnh khó khăn", "hoạt động", "", ("ho_tro_hoc_sinh", "ho_tro_hoc_sinh_em")),
    Activity("Tổ chức hè cho thiếu niên, nhi đồng", "hoạt động", r"to chuc he\b", ("kinh_phi_he",), "sinh hoat he"),
    Activity("Tháng hành động vì trẻ em", "hoạt động", r"thang hanh dong vi tre em"),
    Activity("Diễn đàn trẻ em", "hoạt động", r"dien dan (?:tre em|thieu nhi)"),
    Activity("Thăm, tặng quà cho thiếu nhi", "hoạt động", r"(?:tang|trao) qua", (), "qua 1/6 trung thu"),
    Activity("Cắm trại, giải bóng đá cho thiếu nhi", "hoạt động", r"cam trai|giai bong da", (), "the thao"),
    Activity("Tặng xe đạp cho học sinh nghèo", "hoạt động", r"xe dap"),
    Activity("Tổng đài điện thoại quốc gia Bảo vệ trẻ em 111", "hoạt động", r"tong dai", (), "duong day nong"),
    Activity("Giám sát thực hiện Chỉ thị 20", "hoạt động", r"giam sat (?:viec )?thuc hien chi thi"),
    Activity("Hội nghị quán triệt, triển khai Chỉ thị", "hoạt động", "", ("hoi_nghi",)),
    Activity("Tập huấn cán bộ làm công tác trẻ em", "hoạt động", "", ("tap_huan",), "boi duong"),
    Activity("Giáo dục phòng chống xâm hại trẻ em", "hoạt động", "", ("phong_xam_hai",)),
    Activity(
        "Khen thưởng tập thể, cá nhân",
        "khen thưởng",
        "",
        (
            "khen_tap_the",
            "khen_ca_nhan",
            "giay_khen_tap_the",
            "giay_khen_ca_nhan",
        ),
        "bang khen giay khen",
    ),
    Activity("Phong trào toàn dân chăm sóc, giáo dục và bảo vệ trẻ em", "phong trào", r"phong trao toan dan"),
]
BY_MEASURE = {key: a for a in ACTIVITIES for key in a.measures}
