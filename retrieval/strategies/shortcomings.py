"""Shortcomings and their causes: when the documents asked about (a place, the filters)
state none, the answer says so and names the documents searched, instead of quoting
near matches; otherwise the lookup answers."""

from __future__ import annotations

import re

from index.records import DocRecord, Passage
from retrieval.answer_type import SHORTCOMING
from retrieval.kinds import Kind
from retrieval.parts import CAUSES, LIMITS, part_of
from retrieval.spans import segments
from retrieval.strategies.request import Request, in_scope, label
from retrieval.types import Answer, refusal
from vietnamese.normalize import match_key

ABOUT_LIMITS = re.compile(r"\b(han che|ton tai|yeu kem|bat cap|kho khan|vuong mac|khuyet diem)\b")


def states(request: Request, record: DocRecord, part: str) -> bool:
    """Whether a document states a shortcoming (or a cause of one), not only mentions them."""
    text = request.texts(record.id)
    whole = Passage(record.id, text, 0, len(text), "", record)
    for a, b in segments(whole):
        sentence = text[a:b]
        found = part_of(sentence, request.index.section_at(record.id, a))
        if found == part and (part == CAUSES or SHORTCOMING.search(match_key(sentence))):
            return True
    return False


class Shortcomings:
    def answer(self, request: Request) -> Answer:
        q = request.question
        part = CAUSES if q.kind == Kind.WHY else LIMITS
        narrowed = bool(q.places) or bool(request.filters and request.filters.active())
        if (part == CAUSES and not ABOUT_LIMITS.search(q.folded)) or not narrowed:
            return request.lookup.answer(q, request.passages, request.texts)
        docs = in_scope(request)
        if not docs or any(states(request, d, part) for d in docs):
            return request.lookup.answer(q, request.passages, request.texts)
        answer = refusal(q, request.passages)
        what = "nguyên nhân của hạn chế" if part == CAUSES else "hạn chế"
        names = "; ".join(f"{label(d)} — {d.title}" for d in docs)
        answer.answer = f"Các văn bản được tìm không nêu {what} nào: {names}."
        answer.did = f"Tìm {what} trong {len(docs)} văn bản"
        return answer
