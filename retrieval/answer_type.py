"""Whether a sentence is of the type a question expects: a number for "how many", a
date for "when", a person for "who", a task for "what must be done". Each check
gives a level: 2 the type itself (a date "16/6/2022", a titled name), 1 a looser
form of it (a word of time, a body or "người…" for who), 0 none."""

from __future__ import annotations

import re

from retrieval.question import Question
from vietnamese.normalize import fold, match_key
from vietnamese.places import places_in_query

TITLE = re.compile(
    r"(?<!\w)(đồng chí|ông|bà|chủ tịch|bí thư|giám đốc|trưởng ban|trưởng phòng|phó|"
    r"thủ tướng|bộ trưởng|tổng bí thư|ủy viên|tác giả|phóng viên)(?!\w)",
    re.IGNORECASE,
)
ORG = re.compile(
    r"(?<!\w)(Sở|Ủy ban|UBND|Hội|Ban|Phòng|Thành ủy|Tỉnh ủy|Huyện ủy|Thị ủy|Đoàn|Bộ|"
    r"Trung tâm|Công an|Mặt trận|Liên đoàn|Tòa án|Viện kiểm sát|Chính phủ|Quốc hội|"
    r"Hội đồng|Tỉnh Đoàn|Thành Đoàn|Người sử dụng lao động|cơ quan)(?!\w)"
)
DATE = re.compile(r"\d{1,2}/\d{1,2}(/\d{2,4})?|(?<!\w)(ngày|tháng|năm) \d{1,4}|\b(?:19|20)\d\d\b")
_PLACE_WORD = re.compile(r"(?<!\w)(tỉnh|thành phố|thị xã|huyện|quận|xã|phường) (\w)")
_DAY = re.compile(r"\d{1,2}/\d{1,2}(/\d{2,4})?|(?<!\w)(ngày|tháng) \d{1,2}")


def _words(*words: str, raw: str = "") -> re.Pattern:
    """A pattern for any of `words`, matched with their diacritics (on `match_key`), so
    that "giao" (assign) is not "giáo" (education); `raw`: more alternatives, as regex."""
    alternatives = [re.escape(match_key(w)) for w in words] + ([raw] if raw else [])
    return re.compile(r"(?<!\w)(" + "|".join(alternatives) + r")(?!\w)")


_TIME_WORDS = _words(
    "ngày", "tháng", "năm", "khi", "kể từ", "thời điểm", "thời hạn", "thời gian", "hiệu lực", "trước", "sau"
)
_PEOPLE = _words(
    "người", "cá nhân", "tổ chức", "cơ quan", "chính phủ", "nhà nước", "đảng", "bộ", "ủy ban", "hội đồng", "tòa án"
)
_NUMBER_WORDS = _words(
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
_DOC_TYPES = _words(
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
_LIMITS = _words(
    "chưa",
    "hạn chế",
    "tồn tại",
    "yếu kém",
    "bất cập",
    "khó khăn",
    "vướng mắc",
    "khuyết điểm",
    raw=r"thiếu(?! nhi| niên)",
)  # "thiếu" (lacking), not "thiếu nhi" (children)
# Words that give or ask for a task ("yêu cầu các cấp ủy…"), not verbs any report uses ("tăng cường", "triển khai").
_TASKS = _words(
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
# A document's number: "144-KH/TU", "2153/KH-UBND", "Số: 141", "Kế hoạch 144".
_DOC_NUMBER = re.compile(
    r"(?<!\w)\d+[-/][A-ZĐ]|(?<!\w)Số:? ?\d+|(?<!\w)số:? ?\d+\s*/|"
    r"(?:Kế hoạch|Công văn|Quyết định|Báo cáo|Nghị quyết|Thông tư)(?: số:?)? \d+"
)
# What "bao nhiêu <unit>" is counted in when the unit is a measure ("phần trăm" -> "%").
_MEASURES = {"phan": "%", "tien": "dong", "kinh": "dong", "lau": "nam|thang|ngay|tuan"}


def names(text: str, least: int = 2) -> bool:
    """`least` or more capitalised words in a row, not at the start (a person's name)."""
    run = 0
    for w in text.split()[1:]:
        run = run + 1 if w[:1].isupper() and w[1:2].islower() else 0
        if run >= least:
            return True
    return False


def short_name_line(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words) and not re.search(r"\d", text)


BYLINE_TAIL = 800  # a news article is signed in its last lines


def byline(text: str) -> tuple[int, int] | None:
    """The span of the last line near the end of `text` that holds only a name, or a name
    and its newsroom ("Xuân Thỏa - Văn phòng Tỉnh ủy")."""
    tail = max(0, len(text) - BYLINE_TAIL)
    found = None
    for m in re.finditer(r"(?m)^[ \t]*(\S[^\n]{2,80}?)[ \t]*$", text[tail:]):
        if short_name_line(re.split(r"\s+[-–]\s+", m.group(1))[0]):
            found = (tail + m.start(1), tail + m.end(1))
    return found


_PHOTO = re.compile(r"(?<!\w)Ảnh\s*:\s*([^\W\d_][^\n.,;:()]{1,40})")


def photo_credit(text: str) -> tuple[int, int] | None:
    """The span of the first photo credit ("Ảnh: Ngọc Quy") of an article."""
    for m in _PHOTO.finditer(text):
        if short_name_line(m.group(1).strip()):
            return m.start(), m.start(1) + len(m.group(1).rstrip())
    return None


DATELINE_HEAD = 1000  # a web article shows its posting date under its title
_DATELINE = re.compile(
    r"(?mi)^[^\S\n]*((?:(?:ngày )?(?:đăng|cập nhật)[^\n:]{0,15}:[^\S\n]*)?(?:[^\W\d]+(?: \w+)?,[^\S\n]*)?"
    r"(?:\d{1,2}:\d{2}(?::\d{2})?[^\S\n]*[-–|,]?[^\S\n]*)?\d{1,2}/\d{1,2}/\d{4}"
    r"(?:[^\S\n]*[-–|,]?[^\S\n]*\d{1,2}:\d{2}(?::\d{2})?)?)[^\S\n]*$"
)


def own_number(text: str) -> bool:
    """The line that numbers the document it heads: "Số: 141 /BC-UBND"."""
    return bool(re.match(r"\s*Số\s*:?\s*\d+\s*/", text))


def dateline(text: str) -> tuple[int, int] | None:
    """The span of the first line near the top of `text` that holds only a date (and a
    time): "13/11/2018", "00:19 - 31/08/2017", "Ngày đăng: 19/04/2018 17:03"."""
    m = _DATELINE.search(text[:DATELINE_HEAD])
    return (m.start(1), m.end(1)) if m else None


def names_place(text: str) -> bool:
    """ "tỉnh Đồng Nai", "xã Bình Phú": a unit word before a capitalised name."""
    return any(m.group(2).isupper() for m in _PLACE_WORD.finditer(text))


def person(text: str, asked: frozenset[str] = frozenset()) -> bool:
    """A title ("đồng chí", "Chủ tịch"), a full name (three capitalised syllables in a
    row: "Hồ Thanh Sơn"), or a line that holds only a name (a byline). A title the
    question itself names (`asked`: its folded words) is no answer to it."""
    return new_mention(TITLE, text, asked) or names(text, 3) or short_name_line(text)


def new_mention(pattern: re.Pattern, text: str, asked: frozenset[str]) -> bool:
    """Whether `pattern` finds in `text` a title or body the question does not already
    name: "Sở Lao động" answers "gửi tới cơ quan nào", the "UBND" of "141/BC-UBND" in
    the question does not."""
    for m in pattern.finditer(text):
        words = fold(f"{m.group()} {text[m.end() : m.end() + 30]}").split()[: len(m.group().split()) + 1]
        if not set(words) <= asked:
            return True
    return False


def new_number(text: str, q: Question) -> bool:
    """A document number in `text` that is not one the question names ("Chỉ thị 20" does
    not answer "Thành ủy ra kế hoạch số mấy để triển khai Chỉ thị 20?")."""
    return any(re.search(r"\d+", m.group()).group() not in q.numbers for m in _DOC_NUMBER.finditer(text))


def titled(q: Question) -> bool:
    """ "Đồng chí nào…", "Ai làm Giám đốc…": the question asks for a person by title, so
    a body or "người dân" does not answer it."""
    return q.expects == "person" and bool(_TITLED.search(fold(q.text)) or asked_titles(q))


def asked_titles(q: Question) -> set[str]:
    """The office a "who" question names ("giam doc" in "Ai là Giám đốc Sở…"): a name
    answers it only where that office is said."""
    return set(_OFFICE.findall(fold(q.text))) if q.expects == "person" else set()


_TITLED = re.compile(r"\b(dong chi|ong nao|ba nao)\b")
_OFFICE = re.compile(r"\b(chu tich|bi thu|giam doc|truong ban|truong phong|bo truong|thu tuong|hieu truong)\b")


def fit(q: Question, text: str) -> int:
    """2 when `text` holds the type the question expects, 1 a looser form of it, 0 none.
    Questions that expect no particular type fit every sentence (2)."""
    key = match_key(text)
    digit = bool(re.search(r"\d", text))
    asked = q.named
    levels = {
        "number": lambda: 2 if digit else int(bool(_NUMBER_WORDS.search(key))),
        "share": lambda: 2 if "%" in text else int(digit or bool(_NUMBER_WORDS.search(key))),
        "date": lambda: 2 if _DAY.search(text) else int(bool(DATE.search(text) or _TIME_WORDS.search(key))),
        "person": lambda: 2 if person(text, asked) else int(new_mention(ORG, text, asked) or bool(_PEOPLE.search(key))),
        "organisation": lambda: (
            2 if new_mention(ORG, text, asked) else int(person(text, asked) or bool(_PEOPLE.search(key)))
        ),
        "place": lambda: 2 if names_place(text) or places_in_query(text) else 0,
        "document": lambda: 2 if new_number(text, q) else int(bool(_DOC_TYPES.search(key))),
    }
    levels["posted"] = levels["date"]  # when no date line tops the article, the dates it gives
    if q.kind in ("limits", "tasks"):
        return 2 if (_LIMITS if q.kind == "limits" else _TASKS).search(key) else 0
    return levels.get(q.expects, lambda: 2)()


def counts(q: Question, text: str) -> bool:
    """Whether a number in `text` counts what the question asks ("bao nhiêu lớp" -> "04 lớp")."""
    if not q.unit:
        return False
    head = q.unit.split()[0]
    if head in _MEASURES:
        return bool(re.search(rf"\d[\d.,/]*\s*(?:\w+\s+){{0,2}}(?:{_MEASURES[head]})(?!\w)", fold(text)))
    if q.unit_key:  # typed with accents: "cơ sở" is not "có"
        head, text = q.unit_key.split()[0], match_key(text)
    else:
        text = fold(text)
    number = "so" if text.isascii() else "số"
    return bool(
        re.search(rf"\d[\d.,/]*\s*(?:\w+\s+){{0,2}}{re.escape(head)}(?!\w)", text)
        # a table row read as "Số lớp dạy bơi: 14" (spreadsheets, DOCX tables)
        or re.search(rf"(?<!\w){number}\s+{re.escape(head)}(?!\w)[^:;\n]{{0,60}}:\s*\d", text)
    )


_DEPUTY = re.compile(
    r"(?i)(?<!\w)phó\s+(bí thư|chủ tịch|giám đốc|trưởng ban|trưởng phòng|thủ tướng|hiệu trưởng|"
    r"trưởng|chánh|viện trưởng|tổng giám đốc|bộ trưởng)(?!\w)"
)


_DEPUTY_ASKED = re.compile(r"(?<!thanh )\bpho\b")  # "pho chu tich", not "thanh pho"


def deputies_masked(q: Question, text: str) -> str:
    """`text` with "Phó Bí thư"-like titles reduced to "Phó" unless the question asks
    for a deputy: a deputy is not the secretary or chairman asked about."""
    asks_deputy = "phó" in match_key(q.text).split() if q.accented else bool(_DEPUTY_ASKED.search(fold(q.text)))
    return text if asks_deputy else _DEPUTY.sub("phó", text)
