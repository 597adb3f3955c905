"""Lists in a document: the "Thứ nhất… Thứ sáu" items of a paragraph, the dashed
items a line ending in ":" introduces, and the paragraphs under a heading."""

from __future__ import annotations

import re
from collections.abc import Iterator

from index.records import Passage
from retrieval.citation import Citation
from retrieval.render import listed_lines
from vietnamese.normalize import fold
from vietnamese.structure import ORDINALS, heading_level

_ITEM = re.compile(rf"(?<!\w)Thứ ({ORDINALS})\s*[,:]")
PARAGRAPH = re.compile(r"(?m)^[ \t]*(\S.*?)[ \t]*$")
MAX_ITEMS = 30  # items of one list quoted; a longer list is said to go on


def whole(text: str, start: int, end: int) -> tuple[int, int]:
    """An item whole, through the ";" and "," inside it, without the spaces around it."""
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())


def enumeration(
    text: str, pos: int, asked: frozenset[str] = frozenset()
) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """(lead-in span, item spans) of the "Thứ nhất… Thứ sáu" list in the paragraph
    holding `pos`, or of the dashed list introduced by the line holding `pos`."""
    para_start = text.rfind("\n", 0, pos) + 1
    para_end = text.find("\n", pos)
    para_end = len(text) if para_end < 0 else para_end
    marks = list(_ITEM.finditer(text, para_start, para_end))
    if len(marks) >= 2 and marks[0].group(1) == "nhất":
        ends = [m.start() for m in marks[1:]] + [para_end]
        items = [whole(text, m.start(), e) for m, e in zip(marks, ends)]
        dot = text.rfind(". ", para_start, marks[0].start())  # the lead-in is the sentence before the first item
        lead_start = dot + 2 if dot >= 0 else para_start
        lead = (lead_start, len(text[: marks[0].start()].rstrip()))
        return (lead if lead[1] - lead[0] >= 15 else None), items
    level = heading_level(text[para_start:para_end].strip())
    if level:
        return (para_start, para_end), _section_items(text, para_end, level)
    if not text[para_start:para_end].rstrip().endswith(":"):
        colon_lead, colon_items = _after_colon(text, pos, para_start, para_end, asked)
        if colon_items:
            return colon_lead, colon_items
        return None, _clauses(text, pos, para_start, para_end)
    items = []
    for line in re.finditer(r"(?m)^(.*)$", text[para_end:]):
        body = line.group(1).strip()
        if not body:
            continue
        if not re.match(r"[-–•+] +", body):
            break
        a = para_end + line.start(1) + len(line.group(1)) - len(line.group(1).lstrip()) + 2
        items.append(whole(text, a, para_end + line.end(1)))
        if len(items) >= MAX_ITEMS:
            break
    return ((para_start, para_end) if items else None), (items if len(items) >= 2 else [])


_COLON = re.compile(r":\s+(?=[A-ZĐÀ-Ỹ])")  # "… đó là: Đẩy mạnh…"
_NEXT_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])")


def _after_colon(
    text: str, pos: int, para_start: int, para_end: int, asked: frozenset[str]
) -> tuple[tuple[int, int] | None, list]:
    """The sentences a lead-in ending in ":" introduces inside one paragraph ("… xác định những
    mục tiêu … đó là: A. B. C."), when `pos` is in the lead-in or one of them and the lead-in
    names what is asked (`asked`: folded words, "muc", "tieu")."""
    colon = _COLON.search(text, para_start, para_end)
    if colon is None:
        return None, []
    cuts = [colon.end(), *(m.end() for m in _NEXT_SENTENCE.finditer(text, colon.end(), para_end)), para_end]
    items = [whole(text, a, b) for a, b in zip(cuts, cuts[1:]) if b - a >= 15]
    dot = text.rfind(". ", para_start, colon.start())  # the lead-in is the sentence that ends in ":"
    lead = (dot + 2 if dot >= 0 else para_start, colon.start() + 1)
    if len(items) < 2 or not lead[0] <= pos < para_end or not asked & set(fold(text[lead[0] : lead[1]]).split()):
        return None, []
    return lead, items[:MAX_ITEMS]


def _clauses(text: str, pos: int, para_start: int, para_end: int) -> list[tuple[int, int]]:
    """The clauses of a sentence that lists at least three things separated by ";"
    ("…Tháng hành động vì trẻ em; kế hoạch thăm và tặng quà…; Tết Trung thu…")."""
    ends = [
        m.end() for m in _SENTENCE_END.finditer(text, para_start, para_end) if not text[m.end()].islower()
    ]  # "của Đảng. và Nhà nước" is no end (scraped text)
    start = max([e for e in ends if e <= pos], default=para_start)
    end = min([e for e in ends if e > pos], default=para_end)
    items = []
    for m in re.finditer(r"[^;]+", text[start:end]):
        body = m.group().strip(" -–•+.")
        if len(body) >= 10:
            a = start + m.start() + m.group().find(body)
            items.append(whole(text, a, a + len(body)))
    return items[:MAX_ITEMS] if len(items) >= 3 else []


_SENTENCE_END = re.compile(r"[.!?]\s+(?=\S)")
_ITEM_MARK = re.compile(r"[ \t]*(?:[a-zđ]\)|[-–•+])\s")  # "a) ", "- "


def _lines_before(text: str, pos: int, limit: int) -> Iterator[tuple[int, int, bool]]:
    """The lines before the one holding `pos`, nearest first, at most `limit`: the span
    of each line's stripped text (empty for a blank line) and whether it is a list item."""
    start = text.rfind("\n", 0, pos) + 1
    for _ in range(limit):
        if start == 0:
            return
        end = start - 1
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip()
        a = start + text[start:end].find(line) if line else start
        yield a, a + len(line), bool(_ITEM_MARK.match(text, start))


def lead_in(text: str, pos: int, lines: int = 15) -> tuple[int, int] | None:
    """When `pos` stands in a list item ("a) Trong thời chiến;"), the span of the line
    that introduces the list ("…thì bị phạt tù từ 07 năm đến 15 năm:"), else None."""
    if not _ITEM_MARK.match(text, text.rfind("\n", 0, pos) + 1):
        return None
    for a, b, item in _lines_before(text, pos, lines):
        if text[a:b].endswith(":"):
            return a, b
        if b > a and not item:
            return None
    return None


def line_before(text: str, pos: int, lines: int = 30) -> tuple[int, int] | None:
    """The nearest non-blank line before `pos` that is not a list item: the clause a
    list of aggravating cases ("2. Phạm tội thuộc một trong các trường hợp sau đây…")
    adds to."""
    return next(((a, b) for a, b, item in _lines_before(text, pos, lines) if b > a and not item), None)


# The end of an administrative document's body: its closing line ("…trong tình hình mới./.")
# and the recipients ("Nơi nhận:").
_END_MATTER = re.compile(r".*\./\.\s*$|Nơi nhận\s*:", re.IGNORECASE)


def _section_items(text: str, pos: int, level: int) -> list[tuple[int, int]]:
    """First clauses of the paragraphs under a heading, up to the next heading of
    the same or a higher level."""
    items = []
    for line in re.finditer(r"(?m)^(.+)$", text[pos:]):
        body = line.group(1).strip()
        sub = heading_level(body)
        if sub and sub <= level or _END_MATTER.match(body):
            break
        if sub or len(body) < 15:
            continue
        a = pos + line.start(1) + len(line.group(1)) - len(line.group(1).lstrip())
        a += len(body) - len(body.lstrip("-–•+* "))
        items.append(whole(text, a, pos + line.end(1)))
        if len(items) >= MAX_ITEMS:
            break
    return items if len(items) >= 2 else []


def listed(
    document_text, starts: list[tuple[Passage, int]], goes_on=None, asked: frozenset[str] = frozenset()
) -> tuple[str, list[Citation]] | None:
    """A list answer when one of the best spans (passage, start offset) introduces an
    enumeration: its lead-in, then one cited bullet per item. `goes_on(paragraph)`: whether
    a paragraph after the list's own continues it (tasks a report gives one paragraph
    each after a conclusion that lists the first of them)."""
    for passage, start in starts:
        full = document_text(passage.source)
        lead, items = enumeration(full, start, asked)
        if not items and goes_on is not None:
            items = task_sentences(full, start, goes_on)  # "…yêu cầu… phải… . Tăng cường… . Các cơ quan cần…"
        if not items:
            continue
        if (
            goes_on is not None
            and lead is None
            and full.rfind("\n", 0, items[0][0]) == full.rfind("\n", 0, items[-1][0])
        ):
            items = items + following(full, items[-1][1], goes_on)  # clauses of one paragraph, and what follows
        spans = ([lead] if lead else []) + items
        citations = [
            Citation.of(n, passage.record, passage.section, full[a:b], a, b) for n, (a, b) in enumerate(spans, 1)
        ]
        return listed_lines(citations, lead is not None)
    return None


def task_sentences(text: str, pos: int, goes_on) -> list[tuple[int, int]]:
    """The sentence holding `pos` and the sentences after it in its paragraph, when it gives a
    task and at least two after it go on giving tasks (a paragraph of tasks without marks)."""
    para_start = text.rfind("\n", 0, pos) + 1
    para_end = text.find("\n", pos)
    para_end = len(text) if para_end < 0 else para_end
    ends = [m.end() for m in _SENTENCE_END.finditer(text, para_start, para_end) if not text[m.end()].islower()]
    cuts = [para_start, *ends, para_end]
    sentences = [whole(text, a, b) for a, b in zip(cuts, cuts[1:])]
    first = next((i for i, (a, b) in enumerate(sentences) if a <= pos < b + 1), None)
    if first is None or not goes_on(text[slice(*sentences[first])]):
        return []
    items = [sentences[first]]
    for a, b in sentences[first + 1 :]:
        if not goes_on(text[a:b]) or len(items) >= MAX_ITEMS:
            break
        items.append((a, b))
    return items if len(items) >= 3 else []


def following(text: str, pos: int, goes_on) -> list[tuple[int, int]]:
    """The paragraphs after the one holding `pos`, as long as `goes_on` says they continue."""
    items: list[tuple[int, int]] = []
    end = text.find("\n", pos)
    for line in PARAGRAPH.finditer(text, end if end >= 0 else len(text)):
        if not goes_on(line.group(1)) or len(items) >= MAX_ITEMS:
            break
        items.append((line.start(1), line.end(1)))
    return items
