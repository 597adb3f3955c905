"""Inventories: "Có những văn bản nào…", "Bao nhiêu văn bản…", "Văn bản nào nói về X",
"Văn bản nào do UBND ban hành": the document records (title, locality old and new, date,
number, issuer, type) in scope, narrowed by the issuer or type the question names and by
its topic through retrieval; each document cited."""

from __future__ import annotations

import re

from index.records import DocRecord, Passage
from retrieval.answer_type import ORG
from retrieval.citation import Citation
from retrieval.filters import Filters
from retrieval.params import PARAMS
from retrieval.question import Question
from retrieval.spans import coverage, neutral, segments, terms, without_places
from retrieval.strategies.request import Request, in_scope, label, title_citation, types_asked
from retrieval.types import Answer, refusal
from vietnamese.normalize import fold

# Words of an inventory question that only ask ("trong hệ thống", "trong kho", "được đăng").
ASKING = {
    "van",
    "ban",
    "tai",
    "lieu",
    "nao",
    "nhung",
    "cac",
    "bao",
    "nhieu",
    "may",
    "co",
    "khong",
    "he",
    "thong",
    "kho",
    "trong",
    "dang",
    "duoc",
    "liet",
    "ke",
    "ten",
    "la",
    "ve",
    "noi",
    "den",
    "viec",
    "hanh",
    "do",
    "cua",
    "nam",
}
# Abbreviations of issuing bodies as questions write them.
SPELLED = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "mttq": "mat tran to quoc"}


def issuers_asked(q: Question) -> list[str]:
    """Folded names of the bodies the question says issued the documents ("do UBND ban
    hành", "của Tỉnh Đoàn"): a body word and the capitalised words after it."""
    found = []
    for m in ORG.finditer(q.typed):
        tail = re.match(r"(?:\s+(?:[A-ZĐ][\w]*|và|-))*", q.typed[m.end() :])
        name = fold(m.group() + (tail.group() if tail else "")).strip()
        found.append(SPELLED.get(name, name))
    return found


def issued_by(record: DocRecord, issuer: str) -> bool:
    said = fold(f"{record.issuer} {record.title}")
    return issuer in said or issuer in {SPELLED.get(w, w) for w in said.split()}


class Inventory:
    def answer(self, request: Request) -> Answer:
        q = request.question
        docs = in_scope(request)
        issuers, types = issuers_asked(q), types_asked(q)
        docs = [d for d in docs if all(issued_by(d, i) for i in issuers)]
        if types:
            docs = [d for d in docs if d.doc_type in types]
        topic = self.topic(q, issuers, types)
        evidence: dict[str, tuple[Passage, int, int]] = {}
        if topic and docs:
            docs, evidence = self.about(request, docs, topic)
        if not docs:
            return refusal(q, request.passages)
        citations, lines = [], []
        for n, record in enumerate(docs, 1):
            text = request.texts(record.id)
            if record.id in evidence:
                passage, a, b = evidence[record.id]
                citation = Citation.in_passage(n, passage, a, b)
            else:
                citation = title_citation(n, record, text)
            citations.append(citation)
            lines.append(f"- {neutral(describe(record))}: “{neutral(citation.quote)}” [{n}]")
        head = f"Có {len(docs)} văn bản" + (" nói về nội dung được hỏi" if topic else "") + ":"
        answer = Answer("\n".join([head, *lines]), False, citations, [], q.typed, kind=q.kind, confidence=1.0)
        answer.did = f"Liệt kê {len(docs)} văn bản"
        return answer

    @staticmethod
    def topic(q: Question, issuers: list[str], types: set[str]) -> set[str]:
        """The question's content terms that are neither asking words, places, issuers,
        types, years nor the directive every document implements."""
        named = {w for i in issuers for w in i.split()} | {w for t in types for w in fold(t).split()}
        common = {"chi", "thi", "20", "tre", "em"}
        return {t for t in without_places(q.terms, q.places) if fold(t) not in ASKING | named | common | q.periods}

    @staticmethod
    def about(request: Request, docs: list[DocRecord], topic: set[str]) -> tuple[list[DocRecord], dict]:
        """The documents holding a sentence about the topic, with that sentence."""
        q = request.question
        idf = request.index.lexical().idf
        passages = request.retriever.search(q, k=40, filters=Filters(sources=[d.id for d in docs]))
        rarest = max(topic, key=idf)  # the word that tells the topic apart ("đuối" in "phòng chống đuối nước")
        best: dict[str, tuple[float, Passage, int, int]] = {}
        for p in passages:
            for a, b in segments(p):
                sentence = p.quote(a, b)
                share = coverage(idf, topic, sentence, q.accented)
                if rarest not in terms(sentence, q.accented):
                    continue
                if share >= PARAMS.evidence_threshold and share > best.get(p.source, (0.0,))[0]:
                    best[p.source] = (share, p, a, b)
        kept = [d for d in docs if d.id in best]
        return kept, {i: (p, a, b) for i, (_, p, a, b) in best.items()}


def describe(record: DocRecord) -> str:
    """ "Bỉm Sơn (Thanh Hóa) · báo cáo số 141/BC-UBND · Ủy ban nhân dân thị xã Bỉm Sơn · 24/08/2017"."""
    place = label(record)
    if record.province and record.province != record.locality:
        place += (
            f" ({record.province}"
            + (f", nay {record.province_new}" if record.province_new not in ("", record.province) else "")
            + ")"
        )
    parts = [place, f"{record.doc_type} số {record.number}" if record.number else record.doc_type, record.issuer]
    if record.date:
        y, m, d = record.date.split("-")
        parts.append(f"{d}/{m}/{y}")
    elif record.year:
        parts.append(str(record.year))
    return " · ".join(p for p in parts if p)
