"""Briefings for trainers: for a topic, cited bullets grouped as Kết quả nổi bật ·
Hạn chế, nguyên nhân · Nhiệm vụ, giải pháp · Mô hình, điển hình — selected from
the documents without an LLM (`tools.briefing_llm` rewrites them when one is set)."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.records import Passage
from index.store import Index
from retrieval.citation import Citation
from retrieval.filters import Filters
from retrieval.parts import FIGURE, classify
from retrieval.retriever import HybridRetriever
from retrieval.spans import segments, shorten, terms
from vietnamese.normalize import fold

SECTIONS = {
    "ket_qua": "Kết quả nổi bật",
    "han_che": "Hạn chế, nguyên nhân",
    "nhiem_vu": "Nhiệm vụ, giải pháp",
    "mo_hinh": "Mô hình, điển hình",
}
PER_SECTION = 6
MAX_BULLET = 360


EMPTY_SECTION = "Không tìm thấy nội dung phù hợp trong các tài liệu."


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
    candidates = _candidates(passages, topic, index.lexical().idf)
    briefing = Briefing(topic)
    n = 0
    for key, items in candidates.items():
        bullets = []
        for _, passage, a, b in _spread(items, per_section):
            a, b = shorten(passage.text, passage.start, a, b, MAX_BULLET)
            n += 1
            citation = Citation.in_passage(n, passage, a, b)
            bullets.append(Bullet(citation.quote, passage.record.locality, [citation]))
        briefing.sections[key] = bullets
    return briefing


def _candidates(passages: list[Passage], topic: str, idf) -> dict[str, list[tuple[float, Passage, int, int]]]:
    """Scored sentences of the passages, by the briefing section they belong to."""
    topic_terms = terms(topic)
    total = sum(idf(t) for t in topic_terms) or 1.0
    candidates: dict[str, list[tuple[float, Passage, int, int]]] = {k: [] for k in SECTIONS}
    for rank, passage in enumerate(passages):
        for a, b in segments(passage):
            sentence = passage.quote(a, b)
            if len(sentence) < 40 or a == 0:  # too short, or the document's title line
                continue
            key = classify(sentence, passage.section)
            if key is None:
                continue
            cover = sum(idf(t) for t in topic_terms & terms(sentence)) / total
            score = cover + 1.0 / (rank + 3) + (0.3 if key == "ket_qua" and FIGURE.search(sentence) else 0)
            candidates[key].append((score, passage, a, b))
    return candidates


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
