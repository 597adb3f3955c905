"""Figures with their meaning: each number a document reports, with its unit, the measure it
belongs to (tools.measures), whether it is a result or a target, its year and the words that
say what it counts.

What a figure counts is read from its own words: a percentage or a sum followed by a noun
phrase is described by what follows ("98,8% trẻ em dưới 01 tuổi được tiêm chủng"), one that
ends its clause by what precedes ("tỷ lệ … suy dinh dưỡng giảm còn 10,7%"), a count by both,
and never past the figure before or after it in the sentence. Of the measures whose words are
all there, the nearest wins; a figure whose words name only a sibling measure ("vào trung học
cơ sở 94,3%") takes its family from the figure before it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.measures import MEASURES, MONEY, PERCENT, PERMILLE, Measure
from vietnamese.normalize import fold

_NUMBER = re.compile(
    r"(?<![\w/.,-])(?P<num>\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)(?:/(?P<of>\d+))?(?![\d/]|[.,-]\d)"
    r"(?P<unit>\s*[%‰]|\s+(?:tỷ|triệu|nghìn|ngàn)?\s*đồng)?",
)
_QUALIFIER = re.compile(r"(?:gần|trên|dưới|hơn|khoảng|đạt|còn|xuống dưới|xuống|lên|tới)\s+$", re.IGNORECASE)
_SCALE = {"tỷ": 1e9, "triệu": 1e6, "nghìn": 1e3, "ngàn": 1e3}
_SENTENCE = re.compile(r"[.!?…](?=\s)|\n")
_NOUNS = re.compile("|".join(f"(?:{m.noun})" for m in MEASURES if m.noun))
# A target, not a result: "mục tiêu cụ thể phải đạt được", "phấn đấu", "giảm … xuống dưới".
_TARGET = re.compile(r"mục tiêu (?:cụ thể|cần đạt|phải đạt)|phải đạt được|phấn đấu|đặt mục tiêu", re.IGNORECASE)
# "giảm … xuống dưới 5%" sets a target unless the section reports results ("giảm xuống 11,2‰")
_TOWARDS = re.compile(r"(?:giảm|tăng)\b[^.;]{0,80}\b(?:xuống|lên)\b", re.IGNORECASE)
_HEADING = re.compile(r"^\s*(?:[IVX]+|\d+|[a-đ])[.)]\s+(?P<title>\S.{0,90})$", re.MULTILINE)
_RESULTS = re.compile(r"kết quả|đã đạt|thực hiện", re.IGNORECASE)
_GOALS = re.compile(r"mục tiêu|phương hướng|nhiệm vụ|kế hoạch|giải pháp|đề xuất|kiến nghị", re.IGNORECASE)
_YEAR = re.compile(
    r"\b(?:từ năm (?P<from>(?:19|20)\d\d) đến (?:năm )?(?P<to>(?:19|20)\d\d)|(?:năm|giai đoạn)\s+"
    r"(?P<year>(?:19|20)\d\d(?:\s*[–-]\s*(?:19|20)\d\d)?))",
    re.IGNORECASE,
)
_PREPOSITION = re.compile(r"\s*(?:cho|của|tại|trong|từ|với|để|nhằm|vào|ở)\b", re.IGNORECASE)
RESULT, TARGET = "kết quả", "mục tiêu"


@dataclass
class Figure:
    value: str  # as written, with its qualifier and unit: "gần 100%", "13 tập thể"
    number: float  # 10.7 for "10,7%", 200e6 for "200 triệu đồng"
    unit: str  # "%", "đồng", or what is counted
    measure: str  # a key of tools.measures
    kind: str  # RESULT or TARGET
    year: str  # "2017", "2012 – 2022", or ""
    counts: str  # the words that say what the figure counts
    start: int  # the figure's sentence, for the citation
    end: int
    at: int = 0  # the figure itself
    to: int = 0

    def as_dict(self) -> dict:
        return self.__dict__.copy()


@dataclass
class _Mention:
    start: int
    end: int  # after the unit
    number: float
    unit: str  # PERCENT, MONEY or "" (a count)
    value: str
    measure: Measure | None = None
    year: str = ""


def is_target(paragraph: str, heading: str = "") -> bool:
    """Whether the paragraph so far sets targets ("mục tiêu cụ thể phải đạt", "phấn đấu"),
    or moves a figure towards a value ("giảm … xuống dưới") outside a section of results."""
    if _TARGET.search(paragraph) or _GOALS.search(heading):
        return True
    return _TOWARDS.search(paragraph) is not None and not _RESULTS.search(heading)


def heading_before(text: str, at: int) -> str:
    """The title of the numbered heading ("2. Kết quả cụ thể", "III. MỤC TIÊU") the offset lies under."""
    found = [m for m in _HEADING.finditer(text, 0, at)]
    return found[-1]["title"] if found else ""


def figures_in(text: str) -> list[Figure]:
    """Every figure of `text` that belongs to a known measure, in reading order."""
    folded = fold(text)
    assert len(folded) == len(text), "folding must keep offsets"
    out: list[Figure] = []
    for a, b in _sentences(text):
        mentions = _mentions(text, folded, a, b)
        previous: _Mention | None = None
        for i, m in enumerate(mentions):
            left = mentions[i - 1].end if i else a
            right = mentions[i + 1].start if i + 1 < len(mentions) else b
            right = min([right] + [j for j in (text.find(";", m.end, right),) if j >= 0])
            sides = _sides(text, m, left, right)
            m.measure = _nearest(folded, m, sides) or _elided(folded, m, sides, previous)
            if m.measure is None:
                continue
            m.year = (
                _year(text[left : m.start])
                or (previous.year if previous and _kin(previous, m) else "")
                or _year(re.split(r"[,;]\s", text[m.end : right])[0])
            )
            para = text[text.rfind("\n", 0, a) + 1 : m.start]
            out.append(
                Figure(
                    m.value,
                    m.number,
                    m.unit or m.measure.unit,
                    m.measure.key,
                    TARGET if is_target(para, heading_before(text, m.start)) else RESULT,
                    m.year,
                    _described(text, sides, m),
                    *_trimmed(text, a, b),
                    m.start,
                    m.end,
                )
            )
            previous = m
    return out


def _sentences(text: str):
    start = 0
    for m in _SENTENCE.finditer(text):
        if m.end() > start:
            yield start, m.end()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def _mentions(text: str, folded: str, a: int, b: int) -> list[_Mention]:
    """Numbers with a unit, or followed by a noun some measure counts."""
    found = []
    for m in _NUMBER.finditer(text, a, b):
        unit_text = (m.group("unit") or "").strip()
        unit = unit_text if unit_text in (PERCENT, PERMILLE) else MONEY if unit_text else ""
        if not unit and not _NOUNS.match(folded, m.end() + 1 if text[m.end() : m.end() + 1] == " " else m.end()):
            continue
        number = float(m.group("num").replace(".", "").replace(",", "."))
        if unit == MONEY:
            number *= _SCALE.get(unit_text.split()[0], 1.0)
        qualifier = _QUALIFIER.search(text, max(a, m.start() - 12), m.start())
        start = qualifier.start() if qualifier else m.start()
        end = m.end() if unit else _noun_end(text, folded, m.end())
        found.append(_Mention(m.start(), m.end(), number, unit, text[start:end]))
    return found


def _noun_end(text: str, folded: str, at: int) -> int:
    """The end of the counted noun after a number ("13 tập thể", "04 lớp học bơi")."""
    at += text[at : at + 1] == " "
    noun = _NOUNS.match(folded, at)
    assert noun is not None
    end = noun.end()
    more = re.match(r"(?:,? (?:em|hoc boi|hoc sinh|tieu hoc|trung hoc co so|vui choi|phuong, thi tran))+", folded[end:])
    return end + (more.end() if more else 0)


def _sides(text: str, m: _Mention, left: int, right: int) -> list[tuple[int, int]]:
    """Where the words describing `m` are: after it, before it, or (a count) both."""
    after = text[m.end : right]
    # a noun phrase after the figure says what it counts; a preposition ("930 triệu đồng cho
    # học sinh nghèo") starts a complement, and the description is before
    follows_word = bool(re.match(r"\s*[^\W\d_]", after)) and not _PREPOSITION.match(after)
    if m.unit and follows_word:
        return [(m.end, right)]
    if m.unit:
        return [(left, m.start)]
    return [(left, m.start), (m.end, right)]


def _unit_fits(measure: Measure, m: _Mention, folded: str) -> bool:
    if not measure.takes(m.unit):
        return False
    if not measure.is_count:
        return True
    at = m.end + (folded[m.end : m.end + 1] == " ")
    return re.match(measure.noun, folded[at:]) is not None


def _distance(folded: str, pattern: str, m: _Mention, sides) -> int | None:
    """How far the nearest match of `pattern` in `sides` lies from the figure."""
    best = None
    for s, e in sides:
        for hit in re.finditer(pattern, folded[s:e]):
            d = min(abs(s + hit.start() - m.start), abs(s + hit.end() - m.end))
            best = d if best is None else min(best, d)
    return best


def _nearest(folded: str, m: _Mention, sides) -> Measure | None:
    scored = []
    for measure in MEASURES:
        if not _unit_fits(measure, m, folded):
            continue
        distances = [_distance(folded, w, m, sides) for w in measure.words]
        if all(d is not None for d in distances):
            scored.append((sum(d for d in distances if d is not None), MEASURES.index(measure), measure))
    return min(scored)[2] if scored else None


def _elided(folded: str, m: _Mention, sides, previous: _Mention | None) -> Measure | None:
    """A sibling of the figure before: "vào tiểu học 100%, vào trung học cơ sở 94,3%"."""
    if previous is None or previous.measure is None or not previous.measure.family:
        return None
    for measure in MEASURES:
        if (
            measure.family == previous.measure.family
            and (measure.specific or measure.is_count)
            and _unit_fits(measure, m, folded)
            and all(_distance(folded, w, m, sides) is not None for w in measure.specific)
        ):
            return measure
    return None


def _described(text: str, sides, m: _Mention) -> str:
    """The clause of each side next to the figure: what a reader checks it counts by."""
    parts = []
    for s, e in sides:
        part = text[s:e]
        if e <= m.start:  # before the figure: from the last clause break
            part = re.split(r"[;:]\s|,\s(?=.{0,200}$)", part)[-1] if len(part) > 90 else part
        else:
            part = re.split(r"[;:]\s|,\s", part)[0] if len(part) > 90 else part
        parts.append(part.strip(" ,;:.…"))
    return " … ".join(p for p in parts if p)


def _kin(previous: _Mention, m: _Mention) -> bool:
    p, q = previous.measure, m.measure
    return p is not None and q is not None and (p is q or bool(p.family) and p.family == q.family)


def _year(text: str) -> str:
    found = list(_YEAR.finditer(text))
    if not found:
        return ""
    m = found[-1]
    return f"{m['from']} – {m['to']}" if m["from"] else re.sub(r"\s*[–-]\s*", " – ", m["year"])


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t\n•-*":
        a += 1
    while b > a and text[b - 1] in " \t\n":
        b -= 1
    return a, b
