"""Extractive answers (the default, rule-based scorer): pick the sentences (or clauses)
of the top passages that answer the question, quote them verbatim with [n] markers,
and refuse plainly when the corpus does not hold the answer."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.records import Passage
from retrieval.citation import Citation
from retrieval.filters import about_place
from retrieval.lists import listed as listed_answer
from retrieval.spans import coverage, distinct, neutral, pairs, segments, terms, without_places
from vietnamese.normalize import fold, has_diacritics
from vietnamese.places import places_in_query

NOT_FOUND = "Không tìm thấy thông tin này trong các tài liệu hiện có."
# Calibrated with evaluation.qa on the seed questions: below this share of the
# question's idf-weighted terms found in one of the top passages, the answer is refused.
EVIDENCE_THRESHOLD = 0.6
MAX_SENTENCES = 3
_WANTS_NUMBER = re.compile(r"\b(bao nhieu|may|ty le|phan tram|so luong|so tien|bao lau)\b")
_WANTS_DATE = re.compile(r"\b(ngay nao|khi nao|thoi gian nao|luc nao|nam nao|thang nao)\b")
_WANTS_LIST = re.compile(r"\b(nhung|cac)\b.*\b(gi|nao)\b|\bnhiem vu\b|\bgiai phap\b")
_DATE = re.compile(r"\d{1,2}/\d{1,2}(/\d{2,4})?|ngày \d{1,2} tháng")


@dataclass
class Answer:
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    related: list[Citation] = field(default_factory=list)
    question: str = ""  # the question as answered (follow-ups resolved)
    mode: str = "extractive"  # or "llm" when a verified LLM answer is shown
    notice: str = ""  # e.g. why an LLM answer was replaced by the extractive one
    kind: str = ""  # the kind of question answered (who, when, number, tasks, …), learned scorer only
    confidence: float = 0.0  # the learned scorer's probability that the passages hold the answer

    def as_dict(self) -> dict:
        return {"answer": self.answer, "refused": self.refused, "mode": self.mode, "notice": self.notice,
                "kind": self.kind,
                "confidence": round(self.confidence, 3),
                "citations": [c.as_dict() for c in self.citations],
                "related": [c.as_dict() for c in self.related]}


@dataclass
class _Question:
    """What the answerer reads off a question: its terms and the kind of answer wanted."""

    text: str
    accented: bool
    terms: set[str]
    pairs: set[str]
    places: set[str]
    wants_number: bool
    wants_date: bool
    wants_list: bool

    @classmethod
    def read(cls, question: str) -> _Question:
        accented = has_diacritics(question)
        q_fold = fold(question)
        return cls(question, accented, terms(question, accented), pairs(question, accented),
                   places_in_query(question), bool(_WANTS_NUMBER.search(q_fold)),
                   bool(_WANTS_DATE.search(q_fold)), bool(_WANTS_LIST.search(q_fold)))


@dataclass
class _Scored:
    score: float
    rank: int
    start: int
    end: int
    passage: Passage
    text: str


class ExtractiveAnswerer:
    def __init__(self, idf=None, threshold: float = EVIDENCE_THRESHOLD, document_text=None) -> None:
        self.idf = idf or (lambda term: 1.0)
        self.threshold = threshold
        self.document_text = document_text  # source id -> cleaned text, for lists across chunks

    @classmethod
    def for_index(cls, index) -> ExtractiveAnswerer:
        return cls(idf=index.lexical().idf, document_text=index.document_text)

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        q = _Question.read(question)
        related = [Citation.in_passage(i + 1, p, p.start, p.end) for i, p in enumerate(passages[:3])]
        passages = self._supported(q, passages)
        if passages is None:
            return Answer(NOT_FOUND, True, [], related, question)
        scored = self._score(q, passages)
        if not scored:
            return Answer(NOT_FOUND, True, [], related, question)
        if q.wants_list and self.document_text:
            listed = listed_answer(self.document_text, [(s.passage, s.start) for s in scored[:3]])
            if listed:
                return Answer(listed[0], False, listed[1], [], question)
        best = scored[0].score
        limit = MAX_SENTENCES + 2 if q.wants_list else MAX_SENTENCES
        floor = 0.75 if q.wants_list else 0.85
        chosen = [s for s in scored if s.score >= best * floor][:limit]
        chosen.sort(key=lambda s: (s.rank, s.start))  # reading order within the ranking
        citations = [Citation.in_passage(n, s.passage, s.start, s.end) for n, s in enumerate(chosen, 1)]
        lines = [f"{neutral(c.quote)} [{c.n}]" for c in citations]
        text = "\n".join(f"- {line}" for line in lines) if q.wants_list and len(lines) > 1 else " ".join(lines)
        return Answer(text, False, citations, [], question)

    def _supported(self, q: _Question, passages: list[Passage]) -> list[Passage] | None:
        """The passages that may answer, or None when the evidence is too weak: a named
        place no passage mentions, too little of the question covered, a missing year."""
        passages = about_place(q.places, passages)  # the named place must be what a passage is about or mentions
        context = [p.context() for p in passages]
        years = set(re.findall(r"\b(?:19|20)\d\d\b", q.text))
        top = context[:3]
        evidence = max((coverage(self.idf, q.terms, c, q.accented) for c in top), default=0.0)
        missing_year = any(not any(y in c for c in top) for y in years)
        if not passages or evidence < self.threshold or missing_year:
            return None
        return passages

    def _score(self, q: _Question, passages: list[Passage]) -> list[_Scored]:
        """Sentences of the top passages, best first; the named place does not count."""
        q_terms, q_pairs = without_places(q.terms, q.places), without_places(q.pairs, q.places)
        scored = []
        for rank, passage in enumerate(passages[:5]):
            for a, b in segments(passage):
                seg = passage.quote(a, b)
                score = (coverage(self.idf, q_terms, seg, q.accented) + 0.5 * coverage(self.idf, q_pairs, seg, q.accented)
                         + 0.15 / (rank + 1))
                if q.wants_number:
                    score += 0.3 if re.search(r"\d", seg) else -0.4
                if q.wants_date:
                    score += 0.3 if _DATE.search(seg) else -0.3
                scored.append(_Scored(score, rank, a, b, passage, seg))
        scored.sort(key=lambda s: -s.score)
        return distinct(scored, lambda s: s.text)
