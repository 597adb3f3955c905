"""The measures the comparison knows: what a figure counts, in which unit. A figure joins a
measure only when its own words say so (see tools.figures); a figure that fits none is left
out of the table rather than forced into a near one.

`words` are regexes on accent-folded text; every one must occur in the figure's description.
Measures of one `family` differ only by their `specific` words ("huy động trẻ vào tiểu học
100%, vào trung học cơ sở 94,3%"): a figure whose description has only those words takes its
family from the figure before it in the sentence. A count's noun is specific enough by itself
("13 tập thể và 04 cá nhân")."""

from __future__ import annotations

from dataclasses import dataclass

PERCENT, MONEY, PERMILLE = "%", "đồng", "‰"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str  # PERCENT, MONEY, or what is counted ("tập thể", "lớp", "học sinh")
    words: tuple[str, ...]
    noun: str = ""  # counts: regex the words right after the number must match
    family: str = ""
    specific: tuple[str, ...] = ()

    @property
    def is_count(self) -> bool:
        return self.unit not in (PERCENT, MONEY, PERMILLE)

    def takes(self, unit: str) -> bool:
        """Whether a figure in `unit` ("%", "‰", "đồng"; "" for a count) can be of this measure;
        a rate is written in per cent or per mille."""
        if self.is_count:
            return not unit
        return unit == self.unit or {unit, self.unit} == {PERCENT, PERMILLE}


_CHILD = r"(?:tre|tre em|em|hoc sinh|chau)\b"
MEASURES = [
    # Health
    Measure("suy_dinh_duong", "Trẻ dưới 5 tuổi suy dinh dưỡng", PERCENT, (r"suy dinh duong",)),
    Measure("bhyt", "Trẻ dưới 6 tuổi có thẻ bảo hiểm y tế", PERCENT, (r"the (?:bao hiem y te|bhyt)",)),
    Measure("tiem_chung", "Trẻ dưới 1 tuổi tiêm chủng đầy đủ", PERCENT, (r"tiem chung day du",)),
    Measure("tu_vong_1", "Tỷ suất tử vong trẻ dưới 1 tuổi", PERMILLE, (r"tu vong", r"duoi 0?1 tuoi")),
    Measure("tu_vong_5", "Tỷ suất tử vong trẻ dưới 5 tuổi", PERMILLE, (r"tu vong", r"duoi 0?5 tuoi")),
    Measure("xa_chuan_y_te", "Xã, phường, thị trấn đạt chuẩn quốc gia về y tế", PERCENT, (r"chuan quoc gia ve y te",)),
    # Schooling
    Measure(
        "huy_dong_tieu_hoc",
        "Huy động trẻ vào tiểu học",
        PERCENT,
        (r"huy dong", r"tieu hoc"),
        family="huy_dong",
        specific=(r"tieu hoc",),
    ),
    Measure(
        "huy_dong_thcs",
        "Huy động trẻ vào trung học cơ sở",
        PERCENT,
        (r"huy dong", r"trung hoc co so"),
        family="huy_dong",
        specific=(r"trung hoc co so",),
    ),
    Measure(
        "dung_tuoi_tieu_hoc",
        "Trẻ đi học đúng độ tuổi bậc tiểu học",
        PERCENT,
        (r"dung do tuoi", r"tieu hoc"),
        family="dung_tuoi",
        specific=(r"tieu hoc",),
    ),
    Measure(
        "dung_tuoi_thcs",
        "Trẻ đi học đúng độ tuổi bậc trung học cơ sở",
        PERCENT,
        (r"dung do tuoi", r"trung hoc co so"),
        family="dung_tuoi",
        specific=(r"trung hoc co so",),
    ),
    Measure("nha_tre", "Trẻ độ tuổi nhà trẻ được chăm sóc, giáo dục ở cơ sở mầm non", PERCENT, (r"do tuoi nha tre",)),
    Measure(
        "mau_giao", "Trẻ độ tuổi mẫu giáo được chăm sóc, giáo dục ở cơ sở mầm non", PERCENT, (r"do tuoi mau giao",)
    ),
    # Children in special circumstances
    Measure("hcdb_ty_le", "Tỷ lệ trẻ em có hoàn cảnh đặc biệt", PERCENT, (r"ty le", r"hoan canh dac biet|hcdb")),
    Measure(
        "hcdb_tro_giup",
        "Trẻ em có hoàn cảnh đặc biệt được trợ giúp",
        PERCENT,
        (r"hoan canh dac biet|hcdb", r"tro giup"),
    ),
    Measure(
        "hcdb_kham",
        "Trẻ em có hoàn cảnh đặc biệt được khám phân loại",
        PERCENT,
        (r"hoan canh dac biet|hcdb", r"kham phan loai"),
    ),
    Measure(
        "bao_tro_cham_soc",
        "Trẻ em ở cơ sở bảo trợ xã hội được chăm sóc",
        PERCENT,
        (r"co so bao tro xa hoi", r"cham soc"),
    ),
    # Communes and play
    Measure(
        "xa_phu_hop",
        "Xã, phường, thị trấn phù hợp với trẻ em",
        "xã, phường, thị trấn",
        (r"phu hop voi tre em",),
        noun=r"xa\b",
    ),
    Measure(
        "xa_vui_choi",
        "Xã, phường, thị trấn có điểm vui chơi đạt chuẩn",
        PERCENT,
        (r"xa\b", r"diem vui choi"),
    ),
    Measure(
        "diem_vui_choi",
        "Điểm vui chơi cho trẻ em",
        "điểm",
        (r"vui choi",),
        noun=r"diem vui choi",
        family="vui_choi",
        specific=(r"vui choi",),
    ),
    Measure(
        "tre_vui_choi",
        "Trẻ em đến điểm vui chơi",
        "trẻ em",
        (r"vui choi", r"tham gia"),
        noun=_CHILD,
        family="vui_choi",
        specific=(r"tham gia",),
    ),
    # Swimming
    Measure("lop_boi", "Lớp học bơi", "lớp", (r"boi\b",), noun=r"lop\b", family="boi"),
    Measure("day_boi", "Trẻ em, học sinh được dạy bơi", "trẻ em", (r"boi\b",), noun=_CHILD, family="boi"),
    # Other activities
    Measure(
        "phong_xam_hai",
        "Trẻ em được giáo dục phòng chống xâm hại",
        "trẻ em",
        (r"xam hai",),
        noun=_CHILD,
    ),
    Measure(
        "hoi_nghi",
        "Hội nghị quán triệt, triển khai Chỉ thị",
        "hội nghị",
        (r"trien khai|quan triet",),
        noun=r"hoi nghi",
    ),
    Measure("tap_huan", "Lượt cán bộ được tập huấn", "lượt cán bộ", (r"tap huan",), noun=r"luot can bo"),
    # Awards
    Measure("khen_tap_the", "Tập thể được tặng Bằng khen", "tập thể", (r"bang khen",), noun=r"tap the", family="khen"),
    Measure("khen_ca_nhan", "Cá nhân được tặng Bằng khen", "cá nhân", (r"bang khen",), noun=r"ca nhan", family="khen"),
    Measure(
        "giay_khen_tap_the",
        "Tập thể được tặng Giấy khen",
        "tập thể",
        (r"giay khen",),
        noun=r"tap the",
        family="giay_khen",
    ),
    Measure(
        "giay_khen_ca_nhan",
        "Cá nhân được tặng Giấy khen",
        "cá nhân",
        (r"giay khen",),
        noun=r"ca nhan",
        family="giay_khen",
    ),
    # Money
    Measure("kinh_phi_tong", "Tổng kinh phí cho công tác trẻ em", MONEY, (r"\btong\b", r"cong tac tre em")),
    Measure("ngan_sach", "Ngân sách Nhà nước hỗ trợ", MONEY, (r"ngan sach nha nuoc",)),
    Measure("xa_hoi_hoa", "Vận động xã hội hóa", MONEY, (r"van dong xa hoi hoa",)),
    Measure("kinh_phi_he", "Kinh phí tổ chức hè cho thiếu nhi", MONEY, (r"to chuc he",)),
    Measure(
        "ho_tro_hoc_sinh",
        "Hỗ trợ học sinh khó khăn: số tiền",
        MONEY,
        (r"ho tro", r"hoc sinh", r"so tien"),
        family="ho_tro",
        specific=(r"so tien",),
    ),
    Measure(
        "ho_tro_hoc_sinh_em",
        "Hỗ trợ học sinh khó khăn: số em",
        "học sinh",
        (r"ho tro",),
        noun=r"em hoc sinh|hoc sinh",
        family="ho_tro",
    ),
    Measure(
        "hoc_bong",
        "Học bổng: số tiền",
        MONEY,
        (r"hoc bong", r"so tien"),
        family="hoc_bong",
        specific=(r"so tien",),
    ),
    Measure("hoc_bong_em", "Học bổng: số suất", "suất", (r"hoc bong",), noun=_CHILD + r"|suat\b", family="hoc_bong"),
]
BY_KEY = {m.key: m for m in MEASURES}
