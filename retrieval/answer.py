"""Extractive answers: pick the sentences (or clauses) of the top passages that
answer the question, quote them verbatim with [n] markers, and refuse plainly
when the corpus does not hold the answer."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.records import Passage
from retrieval.citation import Citation
from retrieval.spans import first_sentence, neutral, pairs, segments, terms
from vietnamese.normalize import fold, has_diacritics, match_key
from vietnamese.places import places_in_query
from vietnamese.structure import ORDINALS, heading_level

NOT_FOUND = "Không tìm thấy thông tin này trong các tài liệu hiện có."
# Calibrated with evaluation.qa on the seed questions: below this share of the
# question's idf-weighted terms found in one of the top passages, the answer is refused.
EVIDENCE_THRESHOLD = 0.6
MAX_SENTENCES = 3
_WANTS_NUMBER = re.compile(r"\b(bao nhieu|may|ty le|phan tram|so luong|so tien|bao lau)\b")
_WANTS_DATE = re.compile(r"\b(ngay nao|khi nao|thoi gian nao|luc nao|nam nao|thang nao)\b")
_WANTS_LIST = re.compile(r"\b(nhung|cac)\b.*\b(gi|nao)\b|\bnhiem vu\b|\bgiai phap\b")
_DATE = re.compile(r"\d{1,2}/\d{1,2}(/\d{2,4})?|ngày \d{1,2} tháng")
_ITEM = re.compile(rf"(?<!\w)Thứ ({ORDINALS})\s*[,:]")


@dataclass
class Answer:
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    related: list[Citation] = field(default_factory=list)
    question: str = ""  # the question as answered (follow-ups resolved)
    mode: str = "extractive"  # or "llm" when a verified LLM answer is shown
    notice: str = ""  # e.g. why an LLM answer was replaced by the extractive one

    def as_dict(self) -> dict:
        return {"answer": self.answer, "refused": self.refused,
                "citations": [c.as_dict() for c in self.citations],
                "related": [c.as_dict() for c in self.related]}


def enumeration(text: str, pos: int) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """(lead-in span, item spans) of the "Thứ nhất… Thứ sáu" list in the paragraph
    holding `pos`, or of the dashed list introduced by the line holding `pos`."""
    para_start = text.rfind("\n", 0, pos) + 1
    para_end = text.find("\n", pos)
    para_end = len(text) if para_end < 0 else para_end
    marks = list(_ITEM.finditer(text, para_start, para_end))
    if len(marks) >= 2 and marks[0].group(1) == "nhất":
        ends = [m.start() for m in marks[1:]] + [para_end]
        items = [first_sentence(text, m.start(), e) for m, e in zip(marks, ends)]
        lead_start = max(text.rfind(". ", para_start, marks[0].start()) + 2, para_start)
        lead = (lead_start, len(text[:marks[0].start()].rstrip()))
        return (lead if lead[1] - lead[0] >= 15 else None), items
    level = heading_level(text[para_start:para_end].strip())
    if level:
        return (para_start, para_end), _section_items(text, para_end, level)
    if not text[para_start:para_end].rstrip().endswith(":"):
        return None, []
    items = []
    for line in re.finditer(r"(?m)^(.*)$", text[para_end:]):
        body = line.group(1).strip()
        if not body:
            continue
        if not re.match(r"[-–•+] +", body):
            break
        a = para_end + line.start(1) + len(line.group(1)) - len(line.group(1).lstrip()) + 2
        items.append(first_sentence(text, a, para_end + line.end(1)))
        if len(items) >= 8:
            break
    return ((para_start, para_end) if items else None), (items if len(items) >= 2 else [])


def _section_items(text: str, pos: int, level: int) -> list[tuple[int, int]]:
    """First clauses of the paragraphs under a heading, up to the next heading of
    the same or a higher level."""
    items = []
    for line in re.finditer(r"(?m)^(.+)$", text[pos:]):
        body = line.group(1).strip()
        sub = heading_level(body)
        if sub and sub <= level:
            break
        if sub or len(body) < 15:
            continue
        a = pos + line.start(1) + len(line.group(1)) - len(line.group(1).lstrip())
        a += len(body) - len(body.lstrip("-–•+* "))
        items.append(first_sentence(text, a, pos + line.end(1)))
        if len(items) >= 8:
            break
    return items if len(items) >= 2 else []


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

    def _weight(self, term: str) -> float:
        return sum(self.idf(p) for p in term.split())

    def coverage(self, question_terms: set[str], text: str, accented: bool = False) -> float:
        """Share of the question's idf-weighted terms found in `text`."""
        total = sum(self._weight(t) for t in question_terms) or 1.0
        found = terms(text, accented) | pairs(text, accented)
        return sum(self._weight(t) for t in question_terms if t in found) / total

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
            listed = self._listed(scored[:3])
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
        context = [p.context() for p in passages]
        if q.places:  # the named place must be what a passage is about or mentions
            keep = [i for i, c in enumerate(context) if any(p in fold(c) for p in q.places)]
            passages, context = [passages[i] for i in keep], [context[i] for i in keep]
        years = set(re.findall(r"\b(?:19|20)\d\d\b", q.text))
        top = context[:3]
        evidence = max((self.coverage(q.terms, c, q.accented) for c in top), default=0.0)
        missing_year = any(not any(y in c for c in top) for y in years)
        if not passages or evidence < self.threshold or missing_year:
            return None
        return passages

    def _score(self, q: _Question, passages: list[Passage]) -> list[_Scored]:
        """Sentences of the top passages, best first; the named place does not count."""
        place_syllables = {s for p in q.places for s in p.split()}
        q_terms = {t for t in q.terms if fold(t) not in place_syllables} or q.terms
        q_pairs = {t for t in q.pairs if not set(fold(t).split()) & place_syllables} or q.pairs
        scored = []
        for rank, passage in enumerate(passages[:5]):
            for a, b in segments(passage):
                seg = passage.quote(a, b)
                score = (self.coverage(q_terms, seg, q.accented) + 0.5 * self.coverage(q_pairs, seg, q.accented)
                         + 0.15 / (rank + 1))
                if q.wants_number:
                    score += 0.3 if re.search(r"\d", seg) else -0.4
                if q.wants_date:
                    score += 0.3 if _DATE.search(seg) else -0.3
                scored.append(_Scored(score, rank, a, b, passage, seg))
        scored.sort(key=lambda s: -s.score)
        distinct, quoted = [], set()
        for s in scored:  # the same sentence in two documents (a copy) is quoted once
            key = match_key(s.text)
            if key not in quoted:
                quoted.add(key)
                distinct.append(s)
        return distinct

    def _listed(self, top: list[_Scored]) -> tuple[str, list[Citation]] | None:
        """A list answer when one of the best sentences introduces an enumeration."""
        for s in top:
            full = self.document_text(s.passage.source)
            lead, items = enumeration(full, s.start)
            if not items:
                continue
            spans = ([lead] if lead else []) + items
            citations = [Citation.of(n, s.passage.record, s.passage.section, full[a:b], a, b)
                         for n, (a, b) in enumerate(spans, 1)]
            lines = [f"{neutral(c.quote)} [{c.n}]" for c in citations]
            body = [f"- {line}" for line in lines[1 if lead else 0:]]
            return "\n".join(lines[:1] + body if lead else body), citations
        return None
