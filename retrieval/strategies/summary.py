"""Summaries ("Tóm tắt…", "… nói gì?", "Nội dung chính…") of the documents the question
names or the filters select: 4–8 cited sentences covering the document's own parts —
results with figures, shortcomings, their causes, tasks — chosen by the document's
structure (`retrieval.parts`, as the briefing reads it) and by how central each sentence
is to its document in the embedding model's space, not by the question's words."""

from __future__ import annotations

import re
from itertools import islice

import numpy as np

from index.embedding import vector_cache
from index.records import DocRecord, Passage
from retrieval.citation import Citation
from retrieval.parts import CAPTION, CAUSES, FIGURE, LIMITS, RESULTS, TARGETS, TASKS, part_of
from retrieval.spans import neutral, segments
from retrieval.strategies.request import Request, in_scope, label, types_asked
from retrieval.types import Answer, refusal

CONTENT = "noi_dung"
# Each part with its heading in the answer and the sentences it takes (fewer when
# several documents are summarised). CONTENT: the document's most central sentences of
# no part, when its parts give fewer than MIN_SENTENCES (a news article without figures).
PARTS = {
    CONTENT: ("Nội dung", 0),
    RESULTS: ("Kết quả", 3),
    TARGETS: ("Mục tiêu", 2),
    LIMITS: ("Hạn chế", 2),
    CAUSES: ("Nguyên nhân", 1),
    TASKS: ("Nhiệm vụ", 2),
}
MIN_SENTENCES = 4
MAX_DOCUMENTS = 3
MIN_CHARS = 40  # shorter sentences are captions and headings
# A part the question names ("phần hạn chế và nguyên nhân"): only those parts, more of each.
NAMED_PARTS = {
    RESULTS: r"ket qua|thanh tich|dat duoc",
    LIMITS: r"han che|ton tai|yeu kem|kho khan",
    CAUSES: r"nguyen nhan",
    TASKS: r"nhiem vu|giai phap|kien nghi|de xuat|phuong huong",
    TARGETS: r"muc tieu|chi tieu",
}
NAMED_PART_SIZE = 6


class Summary:
    def answer(self, request: Request) -> Answer:
        q = request.question
        docs = self.documents(request)
        if not docs:
            return refusal(q, request.passages)
        named = [part for part, words in NAMED_PARTS.items() if re.search(rf"\b({words})\b", q.folded)]
        sizes = {part: (NAMED_PART_SIZE if part in named else 0) for part in PARTS} if named else None
        citations: list[Citation] = []
        lines: list[str] = []
        for record in docs:
            chosen = self.sentences(request, record, sizes, len(docs)) or self.sentences(
                request, record, None, len(docs)
            )
            if not chosen:
                continue
            lines.append(f"{neutral(label(record))} — {neutral(record.title)}:")
            for part, (title, _) in PARTS.items():
                for section, a, b in chosen.get(part, []):
                    quote = request.texts(record.id)[a:b]
                    citation = Citation.of(len(citations) + 1, record, section, quote, a, b)
                    citations.append(citation)
                    lines.append(f"- {title}: {neutral(citation.quote)} [{citation.n}]")
        if not citations:
            return refusal(q, request.passages)
        answer = Answer("\n".join(lines), False, citations, [], q.typed, kind=q.kind, confidence=1.0)
        answer.did = f"Tóm tắt {len(docs)} văn bản"
        return answer

    @staticmethod
    def documents(request: Request) -> list[DocRecord]:
        """The documents named (by place, number, year or filters) that hold every number
        the question gives ("tổng kết 15 năm" is not a 10-year review); without a name,
        the document retrieval ranks first."""
        q = request.question
        docs = in_scope(request)
        typed = [d for d in docs if d.doc_type in types_asked(q)]  # "Tóm tắt báo cáo của…": the reports
        docs = typed or docs
        named = bool(q.places or q.periods or (request.filters and request.filters.active()))
        if not named and len(docs) > 1:
            top = request.passages[0].source if request.passages else None
            docs = [d for d in docs if d.id == top] or docs[:1]
        asked = {n.lstrip("0") or "0" for n in re.findall(r"\d+", q.typed)} - q.periods

        def holds(d: DocRecord) -> bool:  # "tháng 4" is in "19/04/2018"
            return asked <= {n.lstrip("0") or "0" for n in re.findall(r"\d+", request.texts(d.id))}

        order = {p.source: i for i, p in reversed(list(enumerate(request.passages)))}
        by_rank = sorted(docs, key=lambda d: order.get(d.id, len(order)))
        return list(islice((d for d in by_rank if holds(d)), MAX_DOCUMENTS))  # reads no more texts than it keeps

    @staticmethod
    def sentences(request: Request, record: DocRecord, sizes: dict[str, int] | None, count: int):
        """part -> [(section, start, end)] of the document's most central sentences, in
        document order."""
        text = request.texts(record.id)
        whole = Passage(record.id, text, 0, len(text), "", record)
        found: dict[str, list[tuple[int, int]]] = {}
        sections: dict[tuple[int, int], str] = {}
        others: list[tuple[int, int]] = []
        for a, b in segments(whole):
            sentence = text[a:b]
            if len(sentence) < MIN_CHARS or a == 0 or sentence.strip() == record.title:  # the title line
                continue
            sections[(a, b)] = request.index.section_at(record.id, a)
            part = part_of(sentence, sections[(a, b)])
            if part in PARTS:
                found.setdefault(part, []).append((a, b))
            elif part is None and not CAPTION.match(sentence):
                others.append((a, b))
        spans = [s for group in found.values() for s in group] + others
        if not spans:
            return {}
        vectors = np.array(vector_cache(request.index.embedder).passages([text[a:b] for a, b in spans]))
        centre = vectors.mean(axis=0)
        central = dict(zip(spans, (vectors @ centre).tolist()))
        chosen = {}
        for part, group in found.items():
            size = sizes[part] if sizes is not None else max(1, PARTS[part][1] - (count - 1))
            if part in (RESULTS, TARGETS):  # results and targets with figures first
                group = [s for s in group if FIGURE.search(text[s[0] : s[1]])] or group
            if size:
                chosen[part] = [(sections[s], *s) for s in sorted(leading(group, central)[:size])]
        short = MIN_SENTENCES - sum(len(v) for v in chosen.values())
        if sizes is None and short > 0 and others:
            chosen[CONTENT] = [(sections[s], *s) for s in sorted(leading(others, central)[:short])]
        return chosen


def leading(group: list[tuple[int, int]], central: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """A part's sentences, those that both come early in it (a document states its main
    points first) and stand near the document's centre in meaning first: the sum of the
    two ranks, earlier first on a tie."""
    by_place = {s: i for i, s in enumerate(sorted(group))}
    by_centre = {s: i for i, s in enumerate(sorted(group, key=lambda s: -central[s]))}
    return sorted(group, key=lambda s: (by_place[s] + by_centre[s], by_place[s]))
