"""Extractive answers (the default): read what the question asks (retrieval.question),
keep the sentences of the top passages that are of the answer type it expects (a
number for "how many", a person for "who", a task for "what tasks"), quote the best of
them verbatim with [n] markers, and refuse plainly when none of them holds enough of
the question's own words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from errors import IndexMissing
from index.records import Passage
from retrieval.answer_type import (
    asked_titles,
    byline,
    counts,
    dateline,
    deputies_masked,
    fit,
    own_number,
    photo_credit,
    titled,
)
from retrieval.citation import Citation
from retrieval.evidence import Candidate, candidates
from retrieval.filters import about_place
from retrieval.lists import lead_in, line_before
from retrieval.lists import listed as listed_answer
from retrieval.question import Question
from retrieval.spans import coverage, distinct, neutral, spelled_out, terms, without_places
from vietnamese.normalize import fold, has_diacritics
from vietnamese.places import places_in_query
from vietnamese.structure import heading_level

NOT_FOUND = "Không tìm thấy thông tin này trong các tài liệu hiện có."
# Fitted with `python -m evaluation.fit_threshold` on the development sets only (user_dev,
# extra_dev, extra_dev2, extra_dev3, seed_dev, ALQAC qa_dev): below this share of the
# question's idf-weighted words found in the best answer sentence and the one before it,
# the answer is refused.
EVIDENCE_THRESHOLD = 0.4
MAX_SENTENCES = 3
WINDOW = 1  # sentences before a candidate that count as its evidence
POOL, POOL_ACROSS = 5, 10  # passages read for one answer, and for an answer per locality


@dataclass
class Answer:
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    related: list[Citation] = field(default_factory=list)
    question: str = ""  # the question as answered (follow-ups resolved)
    mode: str = "extractive"  # or "llm" when a verified LLM answer is shown
    notice: str = ""  # e.g. why an LLM answer was replaced by the extractive one
    kind: str = ""  # the kind of question answered (who, when, number, tasks, …)
    confidence: float = 0.0  # how much of the question the best sentence holds (0–1)

    def as_dict(self) -> dict:
        return {
            "answer": self.answer,
            "refused": self.refused,
            "mode": self.mode,
            "notice": self.notice,
            "kind": self.kind,
            "confidence": round(self.confidence, 3),
            "citations": [c.as_dict() for c in self.citations],
            "related": [c.as_dict() for c in self.related],
        }


@dataclass
class Scored:
    """A candidate sentence: `score` ranks it, `evidence` is the share of the question's
    words found in it and the sentence before."""

    cand: Candidate
    score: float
    evidence: float
    level: int  # how well it is of the answer type asked: 2 the type, 1 a looser form, 0 not
    # (start, end, text) of the line introducing the list the sentence is an item of, and
    # the clause before that line (read as evidence, not quoted)
    lead: tuple[int, int, str, str] | None = None

    @property
    def text(self) -> str:
        """The sentence, after the line that introduces it when it is a list item."""
        return f"{self.lead[2]} {self.cand.text}" if self.lead else self.cand.text


@dataclass
class Reading:
    """What the answerer found for one question: its sentences of the expected type,
    best first (empty when a named place or year is absent)."""

    q: Question
    sentences: list[Scored]

    @property
    def evidence(self) -> float:
        return max((s.evidence for s in self.sentences[:3]), default=0.0)


class ExtractiveAnswerer:
    def __init__(
        self,
        idf=None,
        threshold: float = EVIDENCE_THRESHOLD,
        document_text=None,
        plain_idf=None,
        correct=None,
        restore=None,
    ) -> None:
        self.idf = idf or (lambda term: 1.0)
        self.restore = restore  # diacritics of a question typed without them (its places)
        self.correct = correct or (lambda text: text)  # misspelt tone marks, as the corpus spells them
        self.plain_idf = plain_idf or self.idf  # for questions typed without accents
        self.threshold = threshold
        self.document_text = document_text  # source id -> cleaned text, for lists across chunks

    @classmethod
    def for_index(cls, index) -> ExtractiveAnswerer:
        lexical = index.lexical()
        return cls(
            idf=lexical.idf,
            document_text=index.document_text,
            plain_idf=lexical.plain_idf,
            correct=lexical.restorer.correct,
            restore=lexical.restorer.restore,
        )

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        related = [Citation.in_passage(i + 1, p, p.start, p.end) for i, p in enumerate(passages[:3])]
        reading = self.read(question, passages)
        q = reading.q
        if not reading.sentences or reading.evidence < self.threshold:
            return Answer(NOT_FOUND, True, [], related, question, kind=q.kind, confidence=reading.evidence)
        posted = self._header_line(reading, dateline, "đầu văn bản") if q.expects == "posted" else None
        if q.expects in ("author", "photo"):
            found = (
                self._header_line(reading, byline, "cuối văn bản")
                if q.expects == "author"
                else self._header_line(reading, photo_credit, "chú thích ảnh")
            )
            if found is None:  # the article the question is about signs no name
                return Answer(NOT_FOUND, True, [], related, question, kind=q.kind, confidence=reading.evidence)
            text, citations = found
        elif posted:  # else the dates the best sentences give
            text, citations = posted
        elif q.across:
            text, citations = self._per_document(reading)
        else:
            text, citations = self._listed(reading) or self._quoted(reading)
        return Answer(text, False, citations, [], question, kind=q.kind, confidence=reading.evidence)

    def read(self, question: str, passages: list[Passage]) -> Reading:
        """The sentences that may answer: those whose number counts what is asked ("04
        lớp") when there are any; else the type itself (a number, a titled name), then a
        looser form of it, the first that holds enough of the question."""
        q = Question.read(self.correct(question) if has_diacritics(question) else question)
        if not q.accented and self.restore is not None:  # "bim son" is the town once restored
            q.places |= places_in_query(self.restore(question))
        pool = about_place(q.places, passages)[: POOL_ACROSS if q.across else POOL]
        if not pool or any(not any(y in p.context() for p in pool[:3]) for y in q.periods):
            return Reading(q, [])
        scored = self._score(q, candidates(pool, whole=q.expects in ("person", "organisation")))
        counted = [s for s in scored if counts(q, s.text)]
        tiers = [counted] if counted else [[s for s in scored if s.level == 2], [s for s in scored if s.level >= 1]]
        if titled(q):  # "Đồng chí nào…", "Ai là Giám đốc…": a person, where that office is said
            offices = asked_titles(q)
            tiers = [[s for s in tiers[0] if all(o in fold(s.text) for o in offices)]]
        elif q.day and q.expects == "date" or q.numbered:  # a day, not "5 năm qua"; "số mấy": a number,
            tiers = tiers[:1]  # not the name of a kind of document
        if q.kind in ("tasks", "limits"):  # any sentence may state a task; its wording only ranks it
            tiers = [scored]
        elif q.unit and not counted:
            tiers = []  # "bao nhiêu xe đạp", "bao nhiêu tiền": a number of something else does not answer
        tiers = [tier for tier in tiers if tier]
        enough = (t for t in tiers if Reading(q, t).evidence >= self.threshold)
        return Reading(q, next(enough, tiers[0] if tiers else []))

    def _score(self, q: Question, cands: list[Candidate]) -> list[Scored]:
        """Candidates best first by the question's words found in them (places left out),
        then rank. For the evidence, a sentence of the type asked stands for the words
        that only ask ("nhiệm vụ", "hạn chế", "ai"): a shortcoming ("chưa…") answers
        "hạn chế" without repeating it. A list item is read with the line that
        introduces it ("…thì bị phạt tù từ 07 năm đến 15 năm:" + "b) Trong thời chiến;")."""
        wanted = without_places(q.terms, q.places)
        asked = {t for t in wanted if fold(t) in q.asking}
        q_pairs = {t for t in without_places(q.pairs, q.places) if not set(fold(t).split()) & q.asking}
        base = self.idf if q.accented else self.plain_idf

        def idf(term: str) -> float:  # the noun of "nhóm nào" names the answer: half its weight
            return base(term) * (0.5 if fold(term) in q.which else 1.0)

        scored, previous, leads = [], {}, self._leads(cands)
        for c in sorted(cands, key=lambda c: (c.passage.source, c.start, -c.end)):  # text order, for windows
            lead = leads.get((c.passage.source, c.start))
            text = f"{lead[2]} {c.text}" if lead else c.text
            level = fit(q, text)
            given = " ".join(asked) if level == 2 else ""
            before = previous.setdefault(id(c.passage), [])
            windows = (text, f"{lead[3]} {text}") if lead else (text, " ".join([*before[-WINDOW:], text]))
            paired = text
            if q.expects == "document" and own_number(text):  # "Số: 141 /BC-UBND" numbers its document
                paired = f"{c.passage.record.title} {text}"
                windows = (*windows, paired)
            read = [f"{deputies_masked(q, w)} {given} {spelled_out(q.text, w)}" for w in windows]  # "SLĐTBXH"
            evidence = max(coverage(idf, wanted, w, q.accented) for w in read)
            score = evidence + 0.5 * coverage(idf, q_pairs, paired, q.accented) + 0.15 / (c.rank + 1)
            before.append(c.text)
            scored.append(Scored(c, score, evidence, level, lead))
        scored.sort(key=lambda s: -s.score)
        return distinct(scored, lambda s: s.text)

    def _leads(self, cands: list[Candidate]) -> dict[tuple[str, int], tuple[int, int, str, str]]:
        """(source, start) of each list item among the candidates -> its lead-in line."""
        if not self.document_text:
            return {}
        texts, out = {}, {}
        for c in cands:
            source = c.passage.source
            if source not in texts:
                texts[source] = self._text_of(source)
            span = lead_in(texts[source], c.start)
            if span and span[1] <= c.start:
                clause = line_before(texts[source], span[0])  # what the list adds to, read as evidence only
                extra = texts[source][clause[0] : clause[1]][:600] if clause else ""
                out[(source, c.start)] = (*span, texts[source][span[0] : span[1]], extra)
        return out

    def _text_of(self, source: str) -> str:
        """A document's cleaned text; empty when another process removed it meanwhile."""
        try:
            return self.document_text(source)
        except IndexMissing:
            return ""

    def _listed(self, reading: Reading) -> tuple[str, list[Citation]] | None:
        if not (reading.q.wants_list and self.document_text):
            return None
        kind = [s for s in reading.sentences[:5] if s.level == 2]  # the best only: not "Nơi nhận:" for any list
        intros = [
            (s.cand.passage, s.lead[0] if s.lead else s.cand.start)
            for s in kind
            if s.lead or s.cand.text.rstrip().endswith(":")
        ]  # a heading, or the one over an item
        top = [(s.cand.passage, s.cand.start) for s in reading.sentences[:3]]
        starts = [*self._named_headings(reading.q, [p for p, _ in top]), *intros[:2], *top]
        return listed_answer(self._text_of, starts)  # a heading of the kind asked first ("Những hạn chế:")

    def _named_headings(self, q: Question, passages: list[Passage]) -> list[tuple[Passage, int]]:
        """Headings of the best documents that name what is asked in the question's own
        words ("* Kiến nghị" for "kiến nghị những gì"), the most specific first: fewest
        words that neither the question nor its kind uses ("ưu điểm" in "Những ưu điểm,
        hạn chế"), then fewest words."""
        if not q.asking or q.kind not in ("tasks", "limits"):
            return []
        known = {fold(t) for t in q.terms} | q.kind_words
        found, seen = [], set()
        for passage in passages:
            if passage.source in seen:
                continue
            seen.add(passage.source)
            text = self._text_of(passage.source)
            for line in re.finditer(r"(?m)^[ \t]*(\S.*)$", text):
                words = re.findall(r"\w+", fold(line.group(1)))
                if heading_level(line.group(1).strip()) and q.asking <= set(words):
                    found.append((len(terms(line.group(1)) - known), len(words), passage, line.start(1)))
        return [(p, start) for *_, p, start in sorted(found, key=lambda f: f[:2])]

    def _header_line(self, reading: Reading, find, where: str) -> tuple[str, list[Citation]] | None:
        """ "Ai viết bài…", "đăng ngày nào": the line that signs or dates the article the
        best sentences are in (`find` gives its span in the document)."""
        for s in reading.sentences[:3] if self.document_text else []:
            record = s.cand.passage.record
            text = self._text_of(record.id)
            span = find(text)
            if span:
                citation = Citation.of(1, record, where, text[span[0] : span[1]], *span)
                return f"{neutral(citation.quote)} [1]", [citation]
        return None

    def _quoted(self, reading: Reading) -> tuple[str, list[Citation]]:
        """The best sentence and those nearly as good, in reading order."""
        q, scored = reading.q, reading.sentences
        limit = MAX_SENTENCES + 2 if q.wants_list else MAX_SENTENCES
        floor = 0.75 if q.wants_list else 0.85
        chosen = same_place(q, [s for s in scored if s.score >= scored[0].score * floor][:limit])
        chosen.sort(key=lambda s: (s.cand.rank, s.cand.start))
        spans = []  # (record, section, quote, start, end): each item after its lead-in, once
        for s in chosen:
            c = s.cand
            if s.lead and all(s.lead[0] != x[3] for x in spans):
                spans.append((c.passage.record, c.passage.section, s.lead[2], s.lead[0], s.lead[1]))
            spans.append((c.passage.record, c.passage.section, c.text, c.start, c.end))
        citations = [Citation.of(n, *span) for n, span in enumerate(spans, 1)]
        lines = [f"{neutral(c.quote)} [{c.n}]" for c in citations]
        text = "\n".join(f"- {line}" for line in lines) if q.wants_list and len(lines) > 1 else " ".join(lines)
        return text, citations

    def _per_document(self, reading: Reading) -> tuple[str, list[Citation]]:
        """One bullet per document whose best sentence passes the same evidence test
        as a whole answer."""
        best: dict[str, Scored] = {}
        for s in reading.sentences:
            source = s.cand.passage.source
            if source not in best and (not best or s.evidence >= self.threshold):
                best[source] = s
        citations, lines = [], []
        for n, s in enumerate(best.values(), 1):
            c = s.cand
            citations.append(Citation.in_passage(n, c.passage, c.start, c.end))
            where = c.passage.record.locality or c.passage.record.title
            lines.append(f"- {neutral(where)}: {neutral(citations[-1].quote)} [{n}]")
        return "\n".join(lines), citations


def same_place(q: Question, chosen: list[Scored]) -> list[Scored]:
    """With a place asked and a sentence naming it, the sentences that name another place
    (another row of a table, another locality of a province report) are left out."""
    if not q.places or not any(p in fold(s.text) for s in chosen for p in q.places):
        return chosen
    return [s for s in chosen if any(p in fold(s.text) for p in q.places) or not places_in_query(s.text) - q.places]
