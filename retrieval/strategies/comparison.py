"""Comparisons ("So sánh…", "Nơi nào … hơn?", "Cần Thơ và Đồng Nai…"): the measure for
each locality (or document) named, found by the single-fact answerer in that locality's
documents only, one cited cell each; "không có số liệu" where a locality lacks it; a
sentence saying which is higher only when the figures measure the same thing."""

from __future__ import annotations

import re
from dataclasses import replace

from index.records import DocRecord
from retrieval.citation import Citation
from retrieval.filters import Filters, place_keys
from retrieval.kinds import Expects, Kind
from retrieval.question import Question
from retrieval.spans import neutral, without_places
from retrieval.strategies.request import Request, distinctive, in_scope, label, numbers_of
from retrieval.types import Answer, refusal
from vietnamese.normalize import fold

# The words that only ask for a comparison; what is left names the measure.
COMPARING = re.compile(
    r"(?i)\b(?:so sánh|so sanh|đối chiếu|doi chieu|khác nhau|khac nhau|giống nhau|giong nhau|chênh lệch|chenh lech)"
    r"(?:\s+(?:ra sao|thế nào|the nao|như thế nào|nhu the nao))?\b|"
    r"\b(?:nơi nào|noi nao|địa phương nào|dia phuong nao|tỉnh nào|tinh nao)\b|\b(?:hơn|hon|nhất|nhat)\b"
)
# A document named by its number ("tỉnh trong kế hoạch 2153"): who is compared, not what.
NAMED_DOCUMENT = re.compile(
    r"(?i)\b(?:(?:tỉnh|tinh)\s+)?(?:(?:trong|theo|của|cua)\s+)?(?:kế hoạch|ke hoach|báo cáo|bao cao|văn bản|van ban|"
    r"công văn|cong van)(?:\s+(?:số|so))?\s*\d+(?:\s*/\s*[\w-]+)?"
)
SHARE = re.compile(r"\b(ty le|ti le|phan tram)\b")
COUNTED = re.compile(r"\bso (?!sanh\b)(?:luong )?(\w+(?: \w+)?)")  # "số lớp dạy bơi" counts "lớp"
MISSING = "không có số liệu"
# Words that name no measure in "so sánh kết quả / tình hình / số liệu …": a figure stands for them.
GENERIC = frozenset({"ket", "qua", "so", "lieu", "tinh", "hinh", "muc", "do", "nhieu", "it", "cao", "thap"})


def measure(q: Question) -> Question:
    """The question one locality answers: the comparison's words and places left out, a
    number (or a share) asked unless the question asks for shortcomings or tasks."""
    text = NAMED_DOCUMENT.sub(" ", COMPARING.sub(" ", q.text))
    sub = Question.parse(q.typed, " ".join(text.split()), q.restored, q.places)
    sub.terms, sub.pairs = without_places(sub.terms, q.places), without_places(sub.pairs, q.places)
    sub.asking = sub.asking | GENERIC
    if sub.kind not in (Kind.LIMITS, Kind.TASKS, Kind.NUMBER, Kind.WHY):
        sub = replace(sub, kind=Kind.NUMBER)
    if sub.kind == Kind.NUMBER:
        sub.expects = Expects.SHARE if SHARE.search(q.folded) else Expects.NUMBER
        counted = COUNTED.search(q.folded)
        if counted and not sub.unit:
            sub.unit = counted.group(1)
    sub.across = False
    return sub


def targets(request: Request) -> list[tuple[str, list[DocRecord]]]:
    """(label, documents) for each locality or document the question names; every
    locality in scope for "nơi nào…" that names none."""
    q, docs = request.question, in_scope(request, narrow=False)
    out: list[tuple[str, list[DocRecord]]] = []
    for place in sorted(q.places):
        mine = [d for d in docs if place in place_keys(d)]
        if mine:
            out.append((label(mine[0]), mine))
        else:
            out.append((place.title(), []))
    for n in sorted(distinctive(request)):
        mine = [d for d in docs if n in numbers_of(d) and not (place_keys(d) & q.places)]
        if mine and all(mine != m for _, m in out):
            out.append((f"{label(mine[0])} (văn bản {n})", mine))
    if not out:
        by_place: dict[str, list[DocRecord]] = {}
        for d in docs:
            if d.locality:
                by_place.setdefault(d.locality, []).append(d)
        out = sorted(by_place.items())
    return out


def figure(quote: str, sub: Question) -> tuple[float, str] | None:
    """The one figure of a cell that measures what is asked: (value, unit), or None
    when there is none or more than one."""
    if sub.expects == Expects.SHARE:
        found = [(m.group(1), "%") for m in re.finditer(r"(\d+(?:,\d+)?)\s*%", quote)]
    elif sub.unit:
        head = re.escape(sub.unit.split()[0])
        found = [(m.group(1), sub.unit) for m in re.finditer(rf"(\d+(?:\.\d{{3}})*)\s+{head}\b", fold(quote))]
    else:
        return None
    if len(found) != 1:
        return None
    value, unit = found[0]
    return float(value.replace(".", "").replace(",", ".")), unit


class Comparison:
    def answer(self, request: Request) -> Answer:
        q = request.question
        sub = measure(q)
        places = targets(request)
        if len(places) < 2:  # nothing to compare: the question as a lookup
            return request.lookup.answer(sub, request.passages, request.texts)
        citations: list[Citation] = []
        lines, missing, figures, rows = [], [], {}, []
        for name, docs in places:
            found = self.cell(request, sub, docs)
            if found is None:
                missing.append(name)
                lines.append(f"- {neutral(name)}: {MISSING}")
                rows.append((name, MISSING, 0))
                continue
            citation = replace(found, n=len(citations) + 1)
            citations.append(citation)
            lines.append(f"- {neutral(name)}: {neutral(citation.quote)} [{citation.n}]")
            rows.append((name, neutral(citation.quote), citation.n))
            figures[name] = figure(citation.quote, sub)
        if not citations:
            return refusal(q, request.passages)
        verdict = higher(figures)
        text = "\n".join([f"So sánh {len(places)} nơi:", *lines, *([verdict] if verdict else [])])
        answer = Answer(text, False, citations, [], q.typed, kind=q.kind, confidence=1.0)
        answer.did = f"So sánh {len(places)} địa phương"
        answer.rows = rows
        if missing:
            answer.note = f"Không có số liệu cho: {', '.join(missing)}."
        return answer

    @staticmethod
    def cell(request: Request, sub: Question, docs: list[DocRecord]) -> Citation | None:
        """The best sentence of these documents that answers the measure, or None."""
        if not docs:
            return None
        local = replace(sub, places={k for d in docs for k in place_keys(d)} & request.question.places)
        passages = request.retriever.search(local, k=10, filters=Filters(sources=[d.id for d in docs]))
        found = request.lookup.answer(local, passages, request.texts)
        return None if found.refused or not found.citations else found.citations[0]


def higher(figures: dict[str, tuple[float, str] | None]) -> str:
    """ "Đồng Nai cao hơn Cần Thơ (40 so với 13 tập thể)." when every cell measures the
    same thing with one figure; else nothing."""
    known = {name: f for name, f in figures.items() if f is not None}
    if len(known) < 2 or len(known) != len(figures) or len({unit for _, unit in known.values()}) != 1:
        return ""
    ranked = sorted(known.items(), key=lambda kv: -kv[1][0])
    (top, (a, unit)), (low, (b, _)) = ranked[0], ranked[-1]
    if a == b:
        return f"Các nơi bằng nhau ({_num(a)} {unit})."
    return f"{top} cao hơn {low} ({_num(a)} so với {_num(b)} {unit})."


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")
