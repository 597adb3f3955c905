"""Briefings for trainers: for a topic, cited bullets grouped as Kết quả nổi bật ·
Hạn chế, nguyên nhân · Nhiệm vụ, giải pháp · Mô hình, điển hình — selected from
the documents without an LLM (`tools.briefing_llm` rewrites them when one is set)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.records import Passage
from index.store import Index
from retrieval.citation import Citation
from retrieval.filters import Filters
from retrieval.parts import CAUSES, FIGURE, TARGETS, part_of
from retrieval.retriever import HybridRetriever
from retrieval.spans import segments, shorten
from tools.relevance import features, relevance, subject
from vietnamese.normalize import fold
from vietnamese.numbers import date_vi

SECTIONS = {
    "ket_qua": "Kết quả nổi bật",
    "han_che": "Hạn chế, nguyên nhân",
    "nhiem_vu": "Nhiệm vụ, giải pháp",
    "mo_hinh": "Mô hình, điển hình",
}
PER_SECTION = 6
MAX_BULLET = 360


EMPTY_SECTION = "Không tìm thấy nội dung phù hợp trong các tài liệu."
# A report's sign-off: "UBND thị xã Bỉm Sơn báo cáo kết quả thực hiện Chỉ thị …./.", "Nơi nhận:".
CLOSING = re.compile(r"báo cáo kết quả thực hiện|\./\.\s*$|^nơi nhận", re.IGNORECASE)


@dataclass
class Bullet:
    text: str
    locality: str
    citations: list[Citation]

    def display(self) -> str:
        return f"{self.locality}: {self.text}" if self.locality else self.text

    def as_dict(self) -> dict:
        return {"text": self.text, "locality": self.locality, "citations": [c.as_dict() for c in self.citations]}


@dataclass
class Briefing:
    topic: str
    sections: dict[str, list[Bullet]] = field(default_factory=dict)
    mode: str = "extractive"

    def as_dict(self) -> dict:
        return {
            "topic": self.topic,
            "mode": self.mode,
            "sections": [
                {"key": k, "title": SECTIONS[k], "bullets": [b.as_dict() for b in self.sections.get(k, [])]}
                for k in SECTIONS
            ],
        }

    def citations(self) -> list[Citation]:
        return [c for k in SECTIONS for b in self.sections.get(k, []) for c in b.citations]


def build_briefing(
    index: Index, topic: str, filters: Filters | None = None, depth: int = 40, per_section: int = PER_SECTION
) -> Briefing:
    passages = HybridRetriever(index=index, k=depth).search(topic, k=depth, filters=filters)
    found = sentences(passages)
    on_topic = relevant(index, topic, [s for _, _, _, _, s in found])
    candidates: dict[str, list[tuple[float, Passage, int, int]]] = {k: [] for k in SECTIONS}
    for (key, passage, a, b, sentence), p in zip(found, on_topic):
        if p is not None:
            figure = 0.1 if key == "ket_qua" and FIGURE.search(sentence) else 0.0
            candidates[key].append((p + figure, passage, a, b))
    briefing = Briefing(topic)
    n = 0
    for key, items in candidates.items():
        bullets = []
        for _, passage, a, b in _spread(items, per_section):
            a, b = shorten(passage.text, passage.start, a, b, MAX_BULLET)
            n += 1
            citation = Citation.in_passage(n, passage, a, b)
            bullets.append(Bullet(citation.quote, place_of(passage), [citation]))
        briefing.sections[key] = bullets
    return briefing


def place_of(passage: Passage) -> str:
    """Where a bullet comes from: its locality, or for a document that names none, its
    issuer and date ("Ban Thường vụ Tỉnh ủy, 19/04/2018")."""
    r = passage.record
    if r.locality:
        return r.locality
    day = date_vi(r.date)
    return "chưa rõ địa phương (" + ", ".join(x for x in (r.issuer or r.doc_type, day) if x) + ")"


def sentences(passages: list[Passage]) -> list[tuple[str, Passage, int, int, str]]:
    """(section, passage, start, end, sentence) of every sentence that belongs to a part of
    a briefing: results, shortcomings and their causes (a sentence that only mentions
    shortcomings is none), tasks and targets, models; a report's closing formula is none."""
    out, seen = [], set()
    for passage in passages:
        for a, b in segments(passage):
            sentence = passage.quote(a, b)
            if len(sentence) < 40 or a == 0 or CLOSING.search(sentence):  # short, a title line, a sign-off
                continue
            part = part_of(sentence, passage.section)
            key = {CAUSES: "han_che", TARGETS: "nhiem_vu"}.get(part or "", part)
            if key in SECTIONS and (passage.source, a) not in seen:
                seen.add((passage.source, a))
                out.append((key, passage, a, b, sentence))
    return out


def relevant(index: Index, topic: str, texts: list[str]) -> list[float | None]:
    """Each sentence's probability of being about `topic`, or None below the threshold;
    a topic as wide as the documents keeps every sentence."""
    words = subject(topic, [r.title for r in index.records().values()])
    if not words:
        return [1.0] * len(texts)
    model = relevance()
    p = model.probabilities(features(index.embedder, index.lexical().idf, topic, words, texts))
    return [float(x) if x >= model.threshold else None for x in p]


def _spread(items: list[tuple[float, Passage, int, int]], per_section: int) -> list:
    """The best items, taken round-robin over localities, without repeated sentences."""
    items.sort(key=lambda t: -t[0])
    chosen: list[tuple[float, Passage, int, int]] = []
    seen: set[str] = set()
    by_place: dict[str, list] = {}
    for item in items:
        by_place.setdefault(item[1].record.locality or item[1].source, []).append(item)
    while len(chosen) < per_section and any(by_place.values()):
        for place in list(by_place):
            if by_place[place] and len(chosen) < per_section:
                item = by_place[place].pop(0)
                key_text = fold(item[1].quote(item[2], item[3])[:80])
                if key_text not in seen:
                    seen.add(key_text)
                    chosen.append(item)
    return chosen
