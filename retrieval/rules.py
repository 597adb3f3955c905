"""Extractive answers (the default): given the question as read once
(`retrieval.question`), keep the sentences of the top passages that are of the answer
type it expects (`retrieval.answer_type.TYPES`: a number for "how many", a person for
"who", a task for "what tasks"), quote the best of them verbatim with [n] markers, and
refuse plainly when none of them holds enough of the question's own words. How the
answer is shaped is chosen from a table (`SHAPES`): a header line of the article
(bylines, photo credits, date lines), one bullet per document, a list under its
heading, or the best sentences."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

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
from retrieval.conflicts import disagreement
from retrieval.evidence import Candidate, candidates
from retrieval.filters import evidence_pool
from retrieval.kinds import Expects, Kind
from retrieval.lists import MAX_ITEMS, lead_in, line_before
from retrieval.lists import listed as listed_answer
from retrieval.params import PARAMS, AnswerParams
from retrieval.parts import CAPTION, FIGURE
from retrieval.question import Question
from retrieval.render import Shaped, cited, cited_lines, per_document
from retrieval.spans import MAX_QUOTE, coverage, distinct, spelled_out, terms, without_places
from retrieval.texts import DocumentTexts
from retrieval.types import Answer, refusal
from vietnamese.normalize import fold, match_key
from vietnamese.places import places_in_query
from vietnamese.structure import heading_level
from vietnamese.vocabulary import ACTION_VERBS, TASK_GIVING, words_pattern

TASK_WORDS = words_pattern(TASK_GIVING + ACTION_VERBS + ("xây dựng",))
GENERIC_ASKING = frozenset({"nhung", "cac", "nao", "gi", "la"})  # ask for a list without naming it
TASK_PARAGRAPH = 40  # characters: shorter lines are captions, bylines, boilerplate
IDF = Callable[[str], float]


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
    top: int = PARAMS.evidence_top

    @property
    def evidence(self) -> float:
        return max((s.evidence for s in self.sentences[: self.top]), default=0.0)


def _unit_idf(term: str) -> float:
    return 1.0


class RulesAnswerer:
    """The rule-based answerer (ANSWER_SCORER=rules)."""

    def __init__(
        self,
        idf: IDF | None = None,
        params: AnswerParams = PARAMS,
        document_text: Callable[[str], str] | None = None,
        plain_idf: IDF | None = None,
    ) -> None:
        self.idf = idf or _unit_idf
        self.plain_idf = plain_idf or self.idf  # for questions typed without accents
        self.params = params
        self.document_text = document_text  # source id -> cleaned text, for lists across chunks

    @classmethod
    def for_index(cls, index) -> RulesAnswerer:
        lexical = index.lexical()
        return cls(idf=lexical.idf, document_text=index.document_text, plain_idf=lexical.plain_idf)

    @property
    def threshold(self) -> float:
        return self.params.evidence_threshold

    def texts(self, texts: DocumentTexts | None) -> DocumentTexts | None:
        """The request's document texts; a cache of its own when called without one."""
        if texts is None and self.document_text is not None:
            return DocumentTexts(self.document_text)
        return texts

    def answer(self, question: Question, passages: list[Passage], texts: DocumentTexts | None = None) -> Answer:
        texts = self.texts(texts)
        reading = self.read(question, passages, texts)
        if not reading.sentences or reading.evidence < self.threshold:
            return refusal(question, passages, reading.evidence)
        shape = SHAPES.get(question.expects)
        if shape is not None:
            found = shape(reading, texts) if texts is not None else None
            if found is not None:
                return self._answered(reading, found)
            if question.expects in REQUIRED:  # the article the question is about signs no name
                return refusal(question, passages, reading.evidence)
        if question.across:
            return self._answered(reading, self._per_document(reading), "Mỗi văn bản một câu")
        if question.kind == Kind.NUMBER and question.unit and not question.across:
            differs = self._disagreement(reading)
            if differs is not None:
                return self._answered(reading, differs, f"Số liệu khác nhau giữa {len(differs[1])} văn bản")
        listed = self._listed(reading, texts)
        if listed is not None:
            items = sum(line.startswith("- ") for line in listed[0].splitlines())
            answer = self._answered(reading, listed, f"Danh sách {items} mục từ {where(listed[1])}")
            if items >= MAX_ITEMS:
                answer.note = f"Danh sách còn tiếp sau {MAX_ITEMS} mục: xem toàn văn ở trích dẫn."
            return answer
        return self._answered(reading, self._quoted(reading, texts))

    @staticmethod
    def _answered(reading: Reading, shaped: Shaped, did: str = "") -> Answer:
        q = reading.q
        answer = Answer(shaped[0], False, shaped[1], [], q.typed, kind=q.kind, confidence=reading.evidence)
        answer.did = did or f"Trích {len(shaped[1])} đoạn từ {where(shaped[1])}"
        return answer

    def read(self, q: Question, passages: list[Passage], texts: DocumentTexts | None = None) -> Reading:
        """The sentences that may answer: those whose number counts what is asked ("04
        lớp") when there are any; else the type itself (a number, a titled name), then a
        looser form of it, the first that holds enough of the question."""
        p = self.params
        pool = evidence_pool(q.places, q.periods, passages, p.pool_across if q.across else p.pool, p.evidence_top)
        if not pool:
            return Reading(q, [], p.evidence_top)
        whole = q.expects in (Expects.PERSON, Expects.ORGANISATION)
        scored = self._score(q, candidates(pool, whole=whole), texts)
        groups = tiers(q, scored)
        enough = (g for g in groups if Reading(q, g, p.evidence_top).evidence >= self.threshold)
        return Reading(q, next(enough, groups[0] if groups else []), p.evidence_top)

    def _score(self, q: Question, cands: list[Candidate], texts: DocumentTexts | None) -> list[Scored]:
        """Candidates best first by the question's words found in them (places left out),
        then rank. For the evidence, a sentence of the type asked stands for the words
        that only ask ("nhiệm vụ", "hạn chế", "ai"): a shortcoming ("chưa…") answers
        "hạn chế" without repeating it. A list item is read with the line that
        introduces it ("…thì bị phạt tù từ 07 năm đến 15 năm:" + "b) Trong thời chiến;")."""
        p = self.params
        wanted = without_places(q.terms, q.places)
        asked = {t for t in wanted if fold(t) in q.asking}
        q_pairs = {t for t in without_places(q.pairs, q.places) if not set(fold(t).split()) & q.asking}
        base = self.idf if q.accented else self.plain_idf

        def idf(term: str) -> float:  # the noun of "nhóm nào" names the answer: half its weight
            return base(term) * (0.5 if fold(term) in q.which else 1.0)

        scored: list[Scored] = []
        previous: dict[int, list[str]] = {}
        leads = self._leads(cands, texts)
        for c in sorted(cands, key=lambda c: (c.passage.source, c.start, -c.end)):  # text order, for windows
            if CAPTION.match(c.text) and q.expects != Expects.PHOTO:  # "Hình 2: …" captions a photograph
                continue
            lead = leads.get((c.passage.source, c.start))
            text = f"{lead[2]} {c.text}" if lead else c.text
            level = fit(q, text)
            given = " ".join(asked) if level == 2 else ""
            before = previous.setdefault(id(c.passage), [])
            windows: tuple[str, ...] = (
                (text, f"{lead[3]} {text}") if lead else (text, " ".join([*before[-p.window :], text]))
            )
            paired = text
            if q.expects == Expects.DOCUMENT and own_number(text):  # "Số: 141 /BC-UBND" numbers its document
                paired = f"{c.passage.record.title} {text}"
                windows = (*windows, paired)
            read = [f"{deputies_masked(q, w)} {given} {spelled_out(q.text, w)}" for w in windows]  # "SLĐTBXH"
            evidence = max(coverage(idf, wanted, w, q.accented) for w in read)
            score = evidence + p.pair_weight * coverage(idf, q_pairs, paired, q.accented) + p.rank_prior / (c.rank + 1)
            before.append(c.text)
            scored.append(Scored(c, score, evidence, level, lead))
        scored.sort(key=lambda s: -s.score)
        return distinct(scored, lambda s: s.text)

    def _leads(self, cands: list[Candidate], texts: DocumentTexts | None) -> dict[tuple[str, int], tuple]:
        """(source, start) of each list item among the candidates -> its lead-in line."""
        if texts is None:
            return {}
        out = {}
        for c in cands:
            full = texts(c.passage.source)
            span = lead_in(full, c.start)
            if span and span[1] <= c.start:
                clause = line_before(full, span[0])  # what the list adds to, read as evidence only
                extra = full[clause[0] : clause[1]][: self.params.clause_chars] if clause else ""
                out[(c.passage.source, c.start)] = (*span, full[span[0] : span[1]], extra)
        return out

    def _listed(self, reading: Reading, texts: DocumentTexts | None) -> Shaped | None:
        if not (reading.q.wants_list and texts is not None):
            return None
        p = self.params
        kind = [s for s in reading.sentences[: p.list_intro_best] if s.level == 2]  # not "Nơi nhận:" for any list
        intros = [
            (s.cand.passage, s.lead[0] if s.lead else s.cand.start)
            for s in kind
            if s.lead or s.cand.text.rstrip().endswith(":")  # a heading, or the one over an item
        ]
        top = [(s.cand.passage, s.cand.start) for s in reading.sentences[: p.evidence_top]]
        starts = [*named_headings(reading.q, [x for x, _ in top], texts), *intros[:2], *top]
        goes_on = task_paragraph if reading.q.kind == Kind.TASKS else None
        asked = (reading.q.asking | reading.q.which) - GENERIC_ASKING
        return listed_answer(texts, starts, goes_on, asked)  # a heading of the kind asked first ("Những hạn chế:")

    def _disagreement(self, reading: Reading) -> Shaped | None:
        """The best sentence of each document nearly as good as the best one, when their
        counts of what is asked differ."""
        q, scored = reading.q, reading.sentences
        near = same_place(q, [s for s in scored if s.score >= scored[0].score * self.params.near_best])
        best: dict[str, Scored] = {}
        for s in near:
            best.setdefault(s.cand.passage.source, s)
        if len(best) < 2:
            return None
        pairs = [
            (
                s.cand.passage.record,
                Citation.of(0, s.cand.passage.record, s.cand.passage.section, s.cand.text, s.cand.start, s.cand.end),
            )
            for s in best.values()
        ]
        return disagreement(q, pairs)

    def _quoted(self, reading: Reading, texts: DocumentTexts | None = None) -> Shaped:
        """The best sentence and those nearly as good, in reading order."""
        q, scored, p = reading.q, reading.sentences, self.params
        limit = p.max_sentences + 2 if q.wants_list else p.max_sentences
        floor = p.near_best_list if q.wants_list else p.near_best
        chosen = same_place(q, [s for s in scored if s.score >= scored[0].score * floor][:limit])
        if q.expects in (Expects.PERSON, Expects.ORGANISATION) or q.kind == Kind.TASKS:
            chosen = every_name(chosen, texts)  # every name, or a task whole through its ";"
        chosen.sort(key=lambda s: (s.cand.rank, s.cand.start))
        spans: list[tuple] = []  # (record, section, quote, start, end): each item after its lead-in, once
        for s in chosen:
            c = s.cand
            if s.lead and all(s.lead[0] != x[3] for x in spans):
                spans.append((c.passage.record, c.passage.section, s.lead[2], s.lead[0], s.lead[1]))
            spans.append((c.passage.record, c.passage.section, c.text, c.start, c.end))
        citations = [Citation.of(n, *span) for n, span in enumerate(spans, 1)]
        return cited_lines(citations, bullets=q.wants_list)

    def _per_document(self, reading: Reading) -> Shaped:
        """One bullet per document whose best sentence passes the same evidence test
        as a whole answer."""
        best: dict[str, Scored] = {}
        for s in reading.sentences:
            source = s.cand.passage.source
            if source not in best and (not best or s.evidence >= self.threshold):
                best[source] = s
        return per_document(
            [Citation.in_passage(n, s.cand.passage, s.cand.start, s.cand.end) for n, s in enumerate(best.values(), 1)]
        )


def tiers(q: Question, scored: list[Scored]) -> list[list[Scored]]:
    """The groups of sentences tried in turn, each of those that fit the type better
    first: sentences whose number counts what is asked, else the type itself, then a
    looser form of it; narrowed by what the question names."""
    counted = [s for s in scored if counts(q, s.text)]
    if q.kind in (Kind.TASKS, Kind.LIMITS):  # any sentence may state a task; its wording only ranks it
        groups = [scored]
    elif q.unit and not counted:
        groups = []  # "bao nhiêu xe đạp", "bao nhiêu tiền": a number of something else does not answer
    elif counted:
        groups = [counted]
    else:
        groups = [[s for s in scored if s.level == 2], [s for s in scored if s.level >= 1]]
        if (q.day and q.expects == Expects.DATE) or q.numbered:  # a day, not "5 năm qua"; a document's
            groups = groups[:1]  # number, not the name of a kind of document
    if titled(q) and groups and q.kind not in (Kind.TASKS, Kind.LIMITS):
        offices = asked_titles(q)  # "Đồng chí nào…", "Ai là Giám đốc…": a person, where that office is said
        groups = [[s for s in groups[0] if all(o in fold(s.text) for o in offices)]]
    return [g for g in groups if g]


def named_headings(q: Question, passages: list[Passage], texts: DocumentTexts) -> list[tuple[Passage, int]]:
    """Headings of the best documents that name what is asked in the question's own
    words ("* Kiến nghị" for "kiến nghị những gì"), the most specific first: fewest
    words that neither the question nor its kind uses ("ưu điểm" in "Những ưu điểm,
    hạn chế"), then fewest words."""
    if not q.asking or q.kind not in (Kind.TASKS, Kind.LIMITS, Kind.WHY):
        return []
    known = {fold(t) for t in q.terms} | q.kind_words
    found, seen = [], set()
    for passage in passages:
        if passage.source in seen:
            continue
        seen.add(passage.source)
        for line in re.finditer(r"(?m)^[ \t]*(\S.*)$", texts(passage.source)):
            words = re.findall(r"\w+", fold(line.group(1)))
            if heading_level(line.group(1).strip()) and q.asking <= set(words):
                found.append((len(terms(line.group(1)) - known), len(words), passage, line.start(1)))
    return [(p, start) for *_, p, start in sorted(found, key=lambda f: f[:2])]


def header_line(find: Callable[[str], tuple[int, int] | None], where: str) -> Callable:
    """ "Ai viết bài…", "đăng ngày nào": the line that signs or dates the article the
    best sentences are in (`find` gives its span in the document)."""

    def shape(reading: Reading, texts: DocumentTexts) -> Shaped | None:
        for s in reading.sentences[: reading.top]:
            record = s.cand.passage.record
            text = texts(record.id)
            span = find(text)
            if span:
                citation = Citation.of(1, record, where, text[span[0] : span[1]], *span)
                return cited(citation), [citation]
        return None

    return shape


# Answer types answered from a line of the article rather than a sentence of it.
SHAPES: dict[Expects, Callable[[Reading, DocumentTexts], Shaped | None]] = {
    Expects.POSTED: header_line(dateline, "đầu văn bản"),  # else the dates the best sentences give
    Expects.AUTHOR: header_line(byline, "cuối văn bản"),
    Expects.PHOTO: header_line(photo_credit, "chú thích ảnh"),
}
REQUIRED = {Expects.AUTHOR, Expects.PHOTO}  # without that line, no answer


def task_paragraph(paragraph: str) -> bool:
    """A paragraph that gives a task: long enough, no heading, no result told (a figure, or
    "đã" in its main clause: "UBND tỉnh đã tặng…"), and a word that gives a task or a verb a
    task starts with."""
    key = match_key(paragraph)
    return (
        len(paragraph) >= TASK_PARAGRAPH
        and not heading_level(paragraph)
        and not FIGURE.search(paragraph)
        and not re.search(r"(?<!\w)đã(?!\w)", key[: TASK_PARAGRAPH + 20])
        and bool(TASK_WORDS.search(key))
    )


def every_name(chosen: list[Scored], texts: DocumentTexts | None) -> list[Scored]:
    """ "Ai…", "đơn vị nào…": a clause is quoted with the clauses before it in its sentence
    (people and bodies listed between ";", across chunks), so that every name it gives is
    quoted."""
    if texts is None:
        return chosen
    out: list[Scored] = []
    for s in chosen:
        c, full = s.cand, texts(s.cand.passage.source)
        start = c.start
        while start > 0 and full[max(0, start - 2) : start].strip() == ";":  # the clause before ends in ";"
            begin = (
                max(full.rfind(". ", 0, start - 2), full.rfind(";", 0, start - 2), full.rfind("\n", 0, start - 2)) + 1
            )
            start = begin + len(full[begin:start]) - len(full[begin:start].lstrip())
        end = c.end
        while full[end - 1 : end] == ";":  # and the clauses after it, to the sentence's end
            nxt = re.search(r"[;.!?…](?=\s|$)|\n", full[end:])
            if nxt is None or nxt.group() == "\n":  # the paragraph ends: so does its sentence
                end += len(full[end : end + nxt.start()].rstrip()) if nxt else 0
                break
            end += nxt.end()
        if (start < c.start or end > c.end) and end - start <= 2 * MAX_QUOTE and not s.lead:
            whole = Candidate(c.passage, start, end, full[start:end])
            s = Scored(whole, s.score, s.evidence, s.level)
        if all(s.cand.start != o.cand.start or s.cand.passage.source != o.cand.passage.source for o in out):
            out.append(s)
    return out


def where(citations: list[Citation]) -> str:
    """ "Bỉm Sơn", or "3 văn bản": where the quoted passages come from."""
    sources = {c.source: c for c in citations}
    if len(sources) == 1:
        c = next(iter(sources.values()))
        return c.locality or c.title
    return f"{len(sources)} văn bản"


def same_place(q: Question, chosen: list[Scored]) -> list[Scored]:
    """With a place asked and a sentence naming it, the sentences that name another place
    (another row of a table, another locality of a province report) are left out."""
    if not q.places or not any(p in fold(s.text) for s in chosen for p in q.places):
        return chosen
    return [s for s in chosen if any(p in fold(s.text) for p in q.places) or not places_in_query(s.text) - q.places]
