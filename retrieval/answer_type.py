"""Whether a sentence is of the type a question expects: a number for "how many", a
date for "when", a person for "who", a task for "what must be done". Each check
gives a level: 2 the type itself (a date "16/6/2022", a titled name), 1 a looser
form of it (a word of time, a body or "người…" for who), 0 none."""

from __future__ import annotations

import re
from collections.abc import Callable

from retrieval.kinds import Expects, Kind
from retrieval.question import Question
from vietnamese.normalize import fold, match_key
from vietnamese.places import places_in_query
from vietnamese.vocabulary import (
    DEPUTY_OF,
    DOCUMENT_WORDS,
    LACKING,
    MEASURES,
    NOT_LACKING,
    NUMBER_WORDS,
    OFFICES,
    ORGANISATIONS,
    PEOPLE,
    SHORTCOMINGS,
    TASK_GIVING,
    TIME_WORDS,
    TITLES,
    folded,
    words_pattern,
)

TITLE = re.compile(r"(?<!\w)(" + "|".join(TITLES) + r")(?!\w)", re.IGNORECASE)
ORG = re.compile(r"(?<!\w)(" + "|".join(ORGANISATIONS) + r")(?!\w)")
DATE = re.compile(r"\d{1,2}/\d{1,2}(/\d{2,4})?|(?<!\w)(ngày|tháng|năm) \d{1,4}|\b(?:19|20)\d\d\b")
PLACE_WORD = re.compile(r"(?<!\w)(tỉnh|thành phố|thị xã|huyện|quận|xã|phường) (\w)")
DIGIT = re.compile(r"\d")
DAY = re.compile(r"\d{1,2}/\d{1,2}(/\d{2,4})?|(?<!\w)(ngày|tháng) \d{1,2}")
TIME = words_pattern(TIME_WORDS)
PEOPLE_WORDS = words_pattern(PEOPLE)
NUMBER = words_pattern(NUMBER_WORDS)
DOCUMENT = words_pattern(DOCUMENT_WORDS)
SHORTCOMING = words_pattern(
    SHORTCOMINGS, raw=LACKING + "(?!" + "|".join(w.removeprefix(LACKING) for w in NOT_LACKING) + ")"
)
TASK = words_pattern(TASK_GIVING)
# A document's number: "144-KH/TU", "2153/KH-UBND", "Số: 141", "Kế hoạch 144".
DOC_NUMBER = re.compile(
    r"(?<!\w)\d+[-/][A-ZĐ]|(?<!\w)Số:? ?\d+|(?<!\w)số:? ?\d+\s*/|"
    r"(?:Kế hoạch|Công văn|Quyết định|Báo cáo|Nghị quyết|Thông tư)(?: số:?)? \d+"
)


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
    return any(m.group(2).isupper() for m in PLACE_WORD.finditer(text))


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
    for m in DOC_NUMBER.finditer(text):
        digits = re.search(r"\d+", m.group())  # every match holds one
        if digits and digits.group() not in q.numbers:
            return True
    return False


def titled(q: Question) -> bool:
    """ "Đồng chí nào…", "Ai làm Giám đốc…": the question asks for a person by title, so
    a body or "người dân" does not answer it."""
    return q.expects == Expects.PERSON and bool(TITLED.search(q.folded) or asked_titles(q))


def asked_titles(q: Question) -> set[str]:
    """The office a "who" question names ("giam doc" in "Ai là Giám đốc Sở…"): a name
    answers it only where that office is said."""
    return set(OFFICE.findall(q.folded)) if q.expects == Expects.PERSON else set()


TITLED = re.compile(r"\b(dong chi|ong nao|ba nao)\b")
OFFICE = re.compile(r"\b(" + folded(OFFICES) + r")\b")


# How a sentence of each answer type is recognised: a function of (question, sentence,
# its match_key) giving 2 for the type itself, 1 for a looser form of it, 0 for none.
Level = Callable[[Question, str, str], int]


def _digit(text: str) -> bool:
    return bool(DIGIT.search(text))


def _number(q: Question, text: str, key: str) -> int:
    return 2 if _digit(text) else int(bool(NUMBER.search(key)))


def _share(q: Question, text: str, key: str) -> int:
    return 2 if "%" in text else int(_digit(text) or bool(NUMBER.search(key)))


def _date(q: Question, text: str, key: str) -> int:
    return 2 if DAY.search(text) else int(bool(DATE.search(text) or TIME.search(key)))


def _person(q: Question, text: str, key: str) -> int:
    if person(text, q.named):
        return 2
    return int(new_mention(ORG, text, q.named) or bool(PEOPLE_WORDS.search(key)))


def _organisation(q: Question, text: str, key: str) -> int:
    if new_mention(ORG, text, q.named):
        return 2
    return int(person(text, q.named) or bool(PEOPLE_WORDS.search(key)))


def _place(q: Question, text: str, key: str) -> int:
    return 2 if names_place(text) or places_in_query(text) else 0


def _document(q: Question, text: str, key: str) -> int:
    return 2 if new_number(text, q) else int(bool(DOCUMENT.search(key)))


def _any(q: Question, text: str, key: str) -> int:
    return 2


TYPES: dict[Expects, Level] = {
    Expects.NUMBER: _number,
    Expects.SHARE: _share,
    Expects.DATE: _date,
    Expects.POSTED: _date,  # when no date line tops the article, the dates it gives
    Expects.PERSON: _person,
    Expects.ORGANISATION: _organisation,
    Expects.PLACE: _place,
    Expects.DOCUMENT: _document,
}
# Tasks and shortcomings are recognised by their words whatever the type expected.
KIND_WORDS: dict[Kind, re.Pattern] = {Kind.LIMITS: SHORTCOMING, Kind.TASKS: TASK}


def fit(q: Question, text: str) -> int:
    """2 when `text` holds the type the question expects, 1 a looser form of it, 0 none.
    Questions that expect no particular type fit every sentence (2)."""
    words = KIND_WORDS.get(q.kind)
    if words is not None:
        return 2 if words.search(match_key(text)) else 0
    return TYPES.get(q.expects, _any)(q, text, match_key(text))


def counts(q: Question, text: str) -> bool:
    """Whether a number in `text` counts what the question asks ("bao nhiêu lớp" -> "04 lớp")."""
    return counted(q, text) is not None


def counted(q: Question, text: str) -> str | None:
    """The number in `text` that counts what the question asks ("04" for "bao nhiêu lớp")."""
    if not q.unit:
        return None
    text = DATED.sub(" ", text)  # "Ngày 16/6, Hội nghị…" counts no conference
    head = q.unit.split()[0]
    if head in MEASURES:
        m = re.search(rf"(\d[\d.,/]*)\s*(?:\w+\s+){{0,2}}(?:{MEASURES[head]})(?!\w)", fold(text))
        return m.group(1) if m else None
    if q.unit_key:  # typed with accents: "cơ sở" is not "có"
        head, text = q.unit_key.split()[0], match_key(text)
    else:
        text = fold(text)
    number = "so" if text.isascii() else "số"
    m = re.search(rf"(\d[\d.,/]*)\s*(?:\w+\s+){{0,2}}{re.escape(head)}(?!\w)", text) or re.search(
        # a table row read as "Số lớp dạy bơi: 14" (spreadsheets, DOCX tables)
        rf"(?<!\w){number}\s+{re.escape(head)}(?!\w)[^:;\n]{{0,60}}:\s*(\d[\d.,/]*)",
        text,
    )
    return m.group(1) if m else None


DATED = re.compile(r"(?i)(?<!\w)(?:ngày|ngay)\s+\d{1,2}/\d{1,2}(?:/\d{2,4})?")
DEPUTY = re.compile(r"(?i)(?<!\w)phó\s+(" + "|".join(DEPUTY_OF) + r")(?!\w)")


def deputies_masked(q: Question, text: str) -> str:
    """`text` with "Phó Bí thư"-like titles reduced to "Phó" unless the question asks
    for a deputy: a deputy is not the secretary or chairman asked about."""
    return text if q.asks_deputy else DEPUTY.sub("phó", text)
