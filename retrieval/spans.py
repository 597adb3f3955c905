"""Spans of cleaned text that answers, verification and the tools quote: sentences
of a passage, clauses, and the content terms used to match them to a question.
Every span is a (start, end) pair of offsets in the cleaned document."""

from __future__ import annotations

import re
from collections.abc import Iterator

from index.records import Passage
from vietnamese.instructions import continues, instructs
from vietnamese.normalize import fold, match_key
from vietnamese.structure import LATER_ORDINALS

MAX_QUOTE = 420  # a sentence longer than this is cut into clauses at commas
MIN_QUOTE = 15

_STOP = set(
    (
        "bao nhieu nhung gi nao the nhu the nao ra sao vi sao tai sao khi nao o dau dau "
        "cua o duoc co la va cac cho da dang se thi sao con ai hay hoac voi trong tren den "
        "mot nhu de tu ve theo nay do ay"
    ).split()
)
_STOP_ACCENTED = set(
    match_key(
        "bao nhiêu những gì nào thế như thế nào ra sao vì sao tại sao khi nào ở đâu "
        "của được có là và các cho đã đang sẽ thì còn ai hay hoặc với trong trên đến "
        "một như để từ về theo này nay đó ấy do"
    ).split()
)
# Sentence ends, except after the abbreviations of titles and "TP." (thành phố).
_ABBREV = r"(?<!TP\.)(?<!Tp\.)(?<!TS\.)(?<!ThS\.)(?<!BS\.)(?<!Q\.)(?<!P\.)"
_SPLIT = re.compile(rf"(?<=[.!?…;]){_ABBREV}\s+|\n+|\s+(?=Thứ (?:{LATER_ORDINALS})[,:])")


def syllables(text: str, accented: bool = False) -> list[str]:
    """Content syllables: accent-free, or (for questions typed with accents)
    lower-cased with one tone placement, so that "phạt" does not match "phát" (and
    "bảo vệ", "thị xã" are content where "bao nhiêu", "về", "thì" are not)."""
    key = match_key(text) if accented else fold(text)
    stop = _STOP_ACCENTED if accented else _STOP
    return [s.lstrip("0") or s for s in re.findall(r"\w+", key) if s not in stop]


def terms(text: str, accented: bool = False) -> set[str]:
    return set(syllables(text, accented))


def pairs(text: str, accented: bool = False) -> set[str]:
    syl = syllables(text, accented)
    return {f"{a} {b}" for a, b in zip(syl, syl[1:])}


def coverage(idf, wanted: set[str], text: str, accented: bool = False) -> float:
    """Share of the idf-weighted `wanted` terms (syllables or pairs) found in `text`."""

    def weight(term: str) -> float:
        return sum(idf(p) for p in term.split())

    total = sum(weight(t) for t in wanted) or 1.0
    found = terms(text, accented) | pairs(text, accented)
    return sum(weight(t) for t in wanted if t in found) / total


def without_places(wanted: set[str], places: set[str]) -> set[str]:
    """The terms or pairs that name none of the (folded) places; all of them if every one does."""
    syllables_ = {s for p in places for s in p.split()}
    return {t for t in wanted if not set(fold(t).split()) & syllables_} or wanted


def distinct(items: list, text_of) -> list:
    """The first of each text (the same sentence in two documents, a copy, is quoted once)."""
    seen, out = set(), []
    for item in items:
        key = match_key(text_of(item))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _clause_cuts(piece: str, at: int) -> list[tuple[int, int]]:
    """A long sentence cut at commas into pieces of at least 120 characters."""
    spans, cur = [], at
    for m in re.finditer(r",\s+", piece):
        cut = at + m.start() + 1
        if cut - cur >= 120:
            spans.append((cur, cut))
            cur = at + m.end()
    spans.append((cur, at + len(piece)))
    return spans


MARKER = re.compile(r"\[(\d{1,3})\]")  # a citation marker "[n]"


def neutral(text: str) -> str:
    """Document text placed beside citation markers: its own "[1]" becomes "(1)"."""
    return MARKER.sub(r"(\1)", text)


def without_instructions(text: str) -> str:
    """`text` with every sentence that instructs a reader or model replaced by a note."""
    out, pos, previous, tainted = [], 0, "", False
    for cut in [*_SPLIT.finditer(text), None]:
        end = cut.start() if cut else len(text)
        piece = text[pos:end]
        tainted = instructs(piece) or (tainted and bool(piece.strip()) and continues(previous, piece))
        out.append("[câu chỉ dẫn cài trong tài liệu đã bị lược]" if tainted else piece)
        previous = piece if piece.strip() else previous
        if cut:
            out.append(cut.group())
            pos = cut.end()
    return "".join(out)


def segments(passage: Passage, joined: bool = False) -> list[tuple[int, int]]:
    """Sentence-sized spans of a passage; very long sentences are cut into clauses.
    `joined`: a line that starts in lower case continues the sentence of the line
    before (scraped captions and hard-wrapped text)."""
    text, base = passage.text, passage.start
    out, pos, previous, tainted = [], 0, "", False
    for piece in _SPLIT.split(text):
        if piece is None:
            continue
        at = text.find(piece, pos)
        if at < 0 or not piece.strip():
            continue
        pos = at + len(piece)
        # a planted instruction, and what it goes on to say, is never an answer
        tainted = instructs(piece) or (tainted and continues(previous, piece))
        previous = piece
        if tainted:
            continue
        spans = _clause_cuts(piece, at) if len(piece) > MAX_QUOTE else [(at, pos)]
        for a, b in spans:
            seg = text[a:b].strip(" -•*\t")
            lead = text[a:b].find(seg)
            if len(seg) >= MIN_QUOTE:
                out.append((base + a + lead, base + a + lead + len(seg)))
    return _joined(text, base, out) if joined else out


def _joined(text: str, base: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out:
            pa, pb = out[-1]
            gap = text[pb - base : a - base]
            if "\n" in gap and not gap.strip() and text[a - base].islower() and text[pb - base - 1] not in ".!?…;:":
                out[-1] = (pa, b)
                continue
        out.append((a, b))
    return out


def first_sentence(text: str, start: int, end: int, limit: int = 240, stops: str = r"[.;]") -> tuple[int, int]:
    """A list item's first sentence, cut at a comma when it runs long."""
    piece = text[start:end]
    stop = re.search(rf"{stops}(\s|$)", piece)
    cut = stop.start() + 1 if stop else len(piece)
    if cut > limit:
        comma = piece.rfind(",", 60, limit)
        cut = comma if comma > 0 else limit
    return start, start + len(piece[:cut].rstrip(" ,"))


def shorten(text: str, base: int, a: int, b: int, limit: int) -> tuple[int, int]:
    """A span of `text` (which starts at offset `base`) trimmed to its first `limit`
    characters, at a comma, semicolon or space."""
    if b - a <= limit:
        return a, b
    piece = text[a - base : a - base + limit]
    cut = max(piece.rfind(", "), piece.rfind("; "))
    cut = cut if cut > 120 else piece.rfind(" ")
    return a, a + cut


def clauses(text: str) -> Iterator[tuple[int, int]]:
    """Comma, semicolon and sentence clauses; "10,7%" keeps its comma."""
    start = 0
    for m in re.finditer(r"[;.](?:\s|$)|,\s|\n", text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened to the clause around it (between ; . or line ends), trimmed."""
    left = max(text.rfind(";", 0, start), text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    a = left + 1 if left >= 0 else 0
    stops = [i for i in (text.find(";", end), text.find(". ", end), text.find("\n", end)) if i >= 0]
    b = min(stops) if stops else len(text)
    if b - a > 400:  # very long clause: keep a window around the name
        a, b = max(a, start - 150), min(b, end + 200)
    while a < b and text[a] in " ,:-–•*":
        a += 1
    while b > a and text[b - 1] in " ,":
        b -= 1
    return a, b


def spelled_out(question: str, text: str) -> str:
    """The words of `question` that an acronym in `text` stands for: "Sở Lao động -
    Thương binh và Xã hội" for "SLĐTBXH", "Ủy ban nhân dân" for "UBND" (initials of a run
    of at least three words, "và" skipped, making all or all but one letter of it)."""
    words = [w for w in re.findall(r"[^\W\d_]+", question) if fold(w) != "va"]
    initials = "".join(fold(w)[0] for w in words)
    found: set[int] = set()
    for acronym in {fold(a) for a in re.findall(r"[A-ZĐ]{3,}", text)}:
        for size in range(len(acronym), max(2, len(acronym) - 2), -1):
            at = next((i for i in range(len(words) - size + 1) if initials[i : i + size] in acronym), -1)
            if at >= 0:
                found.update(range(at, at + size))
                break
    return " ".join(words[i] for i in sorted(found))
