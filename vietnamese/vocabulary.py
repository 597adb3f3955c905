"""The word lists the answer layer, the briefing and ingest read, each written once
with where it came from. Words are written as Vietnamese spells them; code that
matches them builds its pattern with `words_pattern` (on `match_key`, so "giao",
assign, is not "giáo", education) or folds them for accent-free questions.

A linguist extends a list here, not in the code: add "tồn đọng" to SHORTCOMINGS and
every place that recognises a shortcoming sees it."""

from __future__ import annotations

import re

from vietnamese.normalize import fold, match_key

# -- what documents are --------------------------------------------------------
# Types of administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục III) and their
# number codes, as the seed reports and the ALQAC corpus write them.
DOCUMENT_TYPES: dict[str, str] = {
    "BC": "báo cáo",
    "KH": "kế hoạch",
    "CT": "chỉ thị",
    "NQ": "nghị quyết",
    "QĐ": "quyết định",
    "TB": "thông báo",
    "CV": "công văn",
    "TTr": "tờ trình",
    "HD": "hướng dẫn",
    "CTr": "chương trình",
    "KL": "kết luận",
}
# Words that name a document in a question or an answer: the types above as users say
# them, plus "văn bản", "thông tư", "đề án" (seen in the development questions).
DOCUMENT_WORDS = (
    "kế hoạch",
    "công văn",
    "quyết định",
    "nghị quyết",
    "chỉ thị",
    "thông tư",
    "chương trình",
    "báo cáo",
    "văn bản",
    "đề án",
)

# -- what a sentence does ------------------------------------------------------
# Words that give or ask for a task ("yêu cầu các cấp ủy…"); from the task sections of
# the seed reports ("Nhiệm vụ, giải pháp", "Kiến nghị", "Đề xuất").
TASK_GIVING = (
    "yêu cầu",
    "đề nghị",
    "kiến nghị",
    "đề xuất",
    "giao",
    "nhiệm vụ",
    "giải pháp",
    "chỉ đạo",
    "cần",
    "phải",
    "phấn đấu",
    "trách nhiệm",
    "mong muốn",
)
# Verbs any report uses for what it does or will do. A task often starts with one
# ("Tiếp tục đẩy mạnh…"), but so do results ("đã tăng cường…"): they rank a sentence as a
# task, they do not make one (the answer type "task" leaves them out on purpose).
ACTION_VERBS = (
    "tiếp tục",
    "tăng cường",
    "đẩy mạnh",
    "nâng cao",
    "đổi mới",
    "huy động",
    "củng cố",
    "triển khai",
    "thực hiện",
    "chú trọng",
    "quan tâm",
)
# Words that name a shortcoming; from the "Hạn chế, tồn tại" sections of the seed
# reports. "thiếu" counts unless it is "thiếu nhi" / "thiếu niên" (children).
SHORTCOMINGS = ("chưa", "hạn chế", "tồn tại", "yếu kém", "bất cập", "khó khăn", "vướng mắc", "khuyết điểm")
LACKING = "thiếu"
NOT_LACKING = ("thiếu nhi", "thiếu niên")
# Words that give a cause or a purpose ("do…", "nguyên nhân là…").
CAUSES = ("do", "vì", "nguyên nhân", "bởi", "nhằm", "để", "khiến", "dẫn đến")

# -- who -------------------------------------------------------------------
# Offices a "who" question names ("Ai là Giám đốc Sở…"): a name answers it only where
# that office is said.
OFFICES = ("chủ tịch", "bí thư", "giám đốc", "trưởng ban", "trưởng phòng", "bộ trưởng", "thủ tướng", "hiệu trưởng")
# Titles before a person's name.
TITLES = (
    "đồng chí",
    "ông",
    "bà",
    "chủ tịch",
    "bí thư",
    "giám đốc",
    "trưởng ban",
    "trưởng phòng",
    "phó",
    "thủ tướng",
    "bộ trưởng",
    "tổng bí thư",
    "ủy viên",
    "tác giả",
    "phóng viên",
)
# Offices whose deputy ("Phó Bí thư") is not the office itself.
DEPUTY_OF = (
    "bí thư",
    "chủ tịch",
    "giám đốc",
    "trưởng ban",
    "trưởng phòng",
    "thủ tướng",
    "hiệu trưởng",
    "trưởng",
    "chánh",
    "viện trưởng",
    "tổng giám đốc",
    "bộ trưởng",
)
# Bodies, written as documents capitalise them.
ORGANISATIONS = (
    "Sở",
    "Ủy ban",
    "UBND",
    "Hội",
    "Ban",
    "Phòng",
    "Thành ủy",
    "Tỉnh ủy",
    "Huyện ủy",
    "Thị ủy",
    "Đoàn",
    "Bộ",
    "Trung tâm",
    "Công an",
    "Mặt trận",
    "Liên đoàn",
    "Tòa án",
    "Viện kiểm sát",
    "Chính phủ",
    "Quốc hội",
    "Hội đồng",
    "Tỉnh Đoàn",
    "Thành Đoàn",
    "Người sử dụng lao động",
    "cơ quan",
)
# Words that name people or bodies in general (a looser answer to "who").
PEOPLE = (
    "người",
    "cá nhân",
    "tổ chức",
    "cơ quan",
    "chính phủ",
    "nhà nước",
    "đảng",
    "bộ",
    "ủy ban",
    "hội đồng",
    "tòa án",
)

# -- how many, when ----------------------------------------------------------
NUMBER_WORDS = (
    "một",
    "hai",
    "ba",
    "bốn",
    "năm",
    "sáu",
    "bảy",
    "tám",
    "chín",
    "mười",
    "trăm",
    "nghìn",
    "triệu",
    "tỷ",
    "nửa",
    "gấp",
    "tỷ lệ",
    "tương ứng",
)
TIME_WORDS = ("ngày", "tháng", "năm", "khi", "kể từ", "thời điểm", "thời hạn", "thời gian", "hiệu lực", "trước", "sau")
# Classifiers skipped after "bao nhiêu" ("bao nhiêu chiếc xe đạp" counts "xe đạp").
CLASSIFIERS = ("chiếc", "cái", "tấm", "cuốn", "quyển", "bức", "ngôi", "căn")
# Words after "bao nhiêu" that are not what is counted ("bao nhiêu trở lên", "… trong trường hợp").
NOT_COUNTED = (
    "trở",
    "thì",
    "đến",
    "nữa",
    "là",
    "mà",
    "khi",
    "nếu",
    "trong",
    "cho",
    "về",
    "với",
    "từ",
    "ở",
    "và",
    "hay",
    "hoặc",
    "để",
    "được",
    "vào",
    "tại",
    "sau",
    "trước",
    "của",
)
# What "bao nhiêu <unit>" is counted in when the unit is a measure (folded unit head ->
# folded pattern of the measure): "phần trăm" -> "%", "tiền" / "kinh phí" -> "đồng".
MEASURES = {"phan": "%", "tien": "dong", "kinh": "dong", "lau": "nam|thang|ngay|tuan"}

# -- questions ------------------------------------------------------------------
# Function words left out of a question's content terms (folded, and with accents).
STOP_WORDS = (
    "bao nhiêu những gì nào thế như thế nào ra sao vì sao tại sao khi nào ở đâu "
    "của được có là và các cho đã đang sẽ thì còn ai hay hoặc với trong trên đến "
    "một như để từ về theo này nay đó ấy do"
).split()
# Folded stop words of questions typed without accents (more of them collide).
STOP_WORDS_FOLDED = (
    "bao nhieu nhung gi nao the nhu the nao ra sao vi sao tai sao khi nao o dau dau "
    "cua o duoc co la va cac cho da dang se thi sao con ai hay hoac voi trong tren den "
    "mot nhu de tu ve theo nay do ay"
).split()
# Accented words whose accent-free form is a question word: "máy" (machine) is not
# "mấy" (how many), "giáo" (education) is not "giao" (assign).
FALSE_FRIENDS = ("máy", "giáo")


def words_pattern(words: tuple[str, ...] | list[str], raw: str = "") -> re.Pattern:
    """Any of `words` as a whole word, on `match_key` text (diacritics kept, case and
    tone-mark placement not); `raw`: more alternatives, as regex."""
    alternatives = [re.escape(match_key(w)) for w in words] + ([raw] if raw else [])
    return re.compile(r"(?<!\w)(" + "|".join(alternatives) + r")(?!\w)")


def folded(words: tuple[str, ...] | list[str]) -> str:
    """`words` folded (no diacritics) as a regex alternation, for accent-free questions."""
    return "|".join(re.escape(fold(w)) for w in words)
