"""What an answer strategy is given, and the documents a request is about."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from index.records import DocRecord, Passage
from index.store import Index
from retrieval.citation import Citation
from retrieval.filters import Filters, allowed_sources, place_keys
from retrieval.question import Question
from retrieval.retriever import HybridRetriever
from retrieval.texts import DocumentTexts
from retrieval.types import Answer, Answerer
from vietnamese.normalize import fold
from vietnamese.vocabulary import DOCUMENT_TYPES


@dataclass
class Request:
    question: Question
    passages: list[Passage]  # what retrieval found for the question as asked
    texts: DocumentTexts
    index: Index
    retriever: HybridRetriever
    lookup: Answerer  # the single-fact answerer, for strategies that build on it
    filters: Filters | None = None


class Strategy(Protocol):
    """Answers one kind of request ("Tóm tắt…", "So sánh…", "Có những văn bản nào…")."""

    def answer(self, request: Request) -> Answer: ...


def numbers_of(record: DocRecord) -> set[str]:
    """The numbers of a document and of the documents it cites ("141", "2153", "48")."""
    refs = [record.number, *record.cites.split(";")]
    return {m.group(1) for ref in refs if (m := re.match(r"\s*(\d+)", ref))}


def in_scope(request: Request, narrow: bool = True) -> list[DocRecord]:
    """The documents a request is about: those the filters admit, narrowed (unless not
    `narrow`) to the places, the years and the document numbers the question names (a
    number most documents cite, "Chỉ thị 20", names none of them)."""
    q, records = request.question, request.index.records()
    allowed = allowed_sources(records, request.filters)
    docs = sorted((r for r in records.values() if allowed is None or r.id in allowed), key=lambda r: r.id)
    if not narrow:
        return docs
    if q.places:
        docs = [r for r in docs if place_keys(r) & q.places]
    if q.periods:
        docs = [r for r in docs if str(r.year) in q.periods]
    named = [r for r in docs if numbers_of(r) & distinctive(request)]
    return named or docs


def distinctive(request: Request) -> set[str]:
    """The numbers the question names that tell documents apart: not one that most of them
    cite ("Chỉ thị 20")."""
    records = request.index.records()
    common = Counter(n for r in records.values() for n in numbers_of(r))
    return {n for n in request.question.numbers if 0 < common[n] <= max(1, len(records) // 2)}


def label(record: DocRecord) -> str:
    """How a document is named in an answer: its locality, else its issuer, else its title."""
    return record.locality or record.issuer or record.title


def title_citation(n: int, record: DocRecord, text: str) -> Citation:
    """The line of the document that holds its title (a title made of the type and the
    subject lines, "Báo cáo" + "sơ kết 5 năm…", by its subject), cited; its first line
    when neither is found."""
    subject = record.title.split(" ", len(record.doc_type.split()))[-1] if record.doc_type else record.title
    for probe in (record.title, subject[:60]):
        start = text.find(probe) if probe else -1
        if start >= 0:
            line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", start)
            end = len(text) if line_end < 0 else line_end
            return Citation.of(n, record, "đầu văn bản", text[line_start:end], line_start, end)
    line = next(re.finditer(r"\S[^\n]*", text), None)
    start, end = (line.start(), line.end()) if line else (0, 0)
    return Citation.of(n, record, "đầu văn bản", text[start:end], start, end)


def types_asked(q: Question) -> set[str]:
    """The document types the question names besides "văn bản" ("báo cáo", "kế hoạch"); not
    one followed by a number, which names a document ("về Chỉ thị 20")."""
    return {name for name in DOCUMENT_TYPES.values() if re.search(rf"\b{fold(name)}\b(?!\s*(?:so\s*)?\d)", q.folded)}
