"""Extractive answers chosen by the learned scorer (ANSWER_SCORER=learned): the spans
of the top passages that the scorer judges to answer the question, quoted verbatim with [n] markers; one cited bullet per document
for questions across localities; a plain refusal when the scorer's probability that
the passages hold an answer is too low."""

from __future__ import annotations

from index.embedding import vector_cache
from index.records import Passage
from retrieval.citation import Citation
from retrieval.evidence import Candidate, Signals, candidates
from retrieval.filters import evidence_pool
from retrieval.lists import listed
from retrieval.params import PARAMS
from retrieval.question import Question
from retrieval.render import cited_lines, per_document
from retrieval.scorer import Scorer, default_scorer, question_features
from retrieval.spans import distinct
from retrieval.texts import DocumentTexts
from retrieval.types import Answer, refusal

EMBEDDED = 16  # spans embedded per question (the best by the cheap signals)
LIKELY = 0.5  # a span more likely than not to answer is quoted beside the best one


class LearnedAnswerer:
    """The learned answerer (ANSWER_SCORER=learned)."""

    def __init__(self, idf=None, document_text=None, embedder=None, scorer: Scorer | None = None) -> None:
        self.idf = idf or (lambda term: 1.0)
        self.document_text = document_text  # source id -> cleaned text, for lists across chunks
        self.vectors = vector_cache(embedder) if embedder is not None else None
        self._scorer = scorer

    @property
    def scorer(self) -> Scorer:
        if self._scorer is None:
            self._scorer = default_scorer()
        return self._scorer

    @classmethod
    def for_index(cls, index) -> LearnedAnswerer:
        return cls(idf=index.lexical().idf, document_text=index.document_text, embedder=index.embedder)

    def spans(self, q: Question, passages: list[Passage]) -> list[Candidate]:
        """The candidate spans of the passages with every signal but meaning; none when
        the place or year asked is absent."""
        size = PARAMS.pool_across if q.across else PARAMS.pool
        pool = evidence_pool(q.places, q.periods, passages, size, PARAMS.evidence_top)
        if not pool:
            return []
        cands = candidates(pool, whole=q.expects in ("person", "organisation"))
        Signals(q, self.idf).lexical(cands)
        return cands

    def embed(self, cands: list[Candidate], restored: str) -> None:
        if self.vectors is not None and cands:
            Signals.dense(cands, self.vectors.query(restored), self.vectors.passages([c.text for c in cands]))

    def score(self, q: Question, passages: list[Passage]) -> tuple[list[Candidate], float]:
        """The spans of the passages with their probability of answering (best first),
        and the probability that the passages hold an answer at all."""
        cands = self.spans(q, passages)
        if not cands:
            return [], 0.0
        for c in cands:
            c.p = self.scorer.prune.p(c.features)
        cands = sorted(cands, key=lambda c: -c.p)[: EMBEDDED * (2 if q.across else 1)]
        self.embed(cands, q.restored)
        for c in cands:
            c.p = self.scorer.sentence.p(c.features)
        cands = distinct(sorted(cands, key=lambda c: -c.p), lambda c: c.text)
        if not cands:
            return [], 0.0
        present = self.scorer.answerable.p(question_features([c.p for c in cands], [c.features for c in cands]))
        return cands, present

    def answer(self, q: Question, passages: list[Passage], texts: DocumentTexts | None = None) -> Answer:
        cands, present = self.score(q, passages)
        if not cands or present < self.scorer.threshold:
            return refusal(q, passages, present)
        texts = texts or (DocumentTexts(self.document_text) if self.document_text else None)
        if q.across:
            text, citations = _per_document(cands, self.scorer.threshold)
        else:
            starts = [(c.passage, c.start) for c in cands[:3]]
            limit = PARAMS.max_sentences + 2 if q.wants_list else PARAMS.max_sentences
            text, citations = (listed(texts, starts) if q.wants_list and texts else None) or _quoted(
                cands, limit, q.wants_list
            )
        return Answer(text, False, citations, [], q.typed, kind=q.kind, confidence=present)


def _quoted(cands: list[Candidate], limit: int, bullets: bool) -> tuple[str, list[Citation]]:
    """The best span and the others likely to answer, in reading order."""
    chosen = [cands[0]]
    for c in cands[1:]:
        if len(chosen) < limit and c.p >= LIKELY and not any(_overlap(c, x) for x in chosen):
            chosen.append(c)
    chosen.sort(key=lambda c: (c.rank, c.start))
    return cited_lines([Citation.in_passage(n, c.passage, c.start, c.end) for n, c in enumerate(chosen, 1)], bullets)


def _overlap(a: Candidate, b: Candidate) -> bool:
    return a.passage.source == b.passage.source and a.start < b.end and b.start < a.end


def _per_document(cands: list[Candidate], floor: float) -> tuple[str, list[Citation]]:
    """One bullet per document: its best span, when that span is as likely to answer
    as the refusal threshold asks of a whole answer (the best document's always)."""
    best: dict[str, Candidate] = {}
    for c in cands:
        if c.passage.source not in best and (not best or c.p >= floor):
            best[c.passage.source] = c
    return per_document([Citation.in_passage(n, c.passage, c.start, c.end) for n, c in enumerate(best.values(), 1)])
