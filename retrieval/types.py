"""The types every answerer shares: the `Answer` the UI and the CLI render, "not
found", and the `Answerer` contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from retrieval.citation import Citation
from vietnamese.instructions import count_instructions
from vietnamese.normalize import fold

if TYPE_CHECKING:
    from index.records import Passage
    from retrieval.question import Question
    from retrieval.texts import DocumentTexts

NOT_FOUND = "Không tìm thấy thông tin này trong các tài liệu hiện có."


class Mode(StrEnum):
    """Who wrote the answer shown: the extractive answerer (the default) or a verified LLM."""

    EXTRACTIVE = "extractive"
    LLM = "llm"


@dataclass
class Answer:
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    related: list[Citation] = field(default_factory=list)
    question: str = ""  # the question as answered (follow-ups resolved)
    mode: str = Mode.EXTRACTIVE
    notice: str = ""  # e.g. why an LLM answer was replaced by the extractive one
    kind: str = ""  # the kind of question answered (who, when, number, tasks, …)
    confidence: float = 0.0  # how much of the question the best sentence holds (0–1)
    passages: list[Passage] = field(default_factory=list)  # what retrieval gave the answerer (not exported)
    did: str = ""  # what the assistant did, one short line ("Tóm tắt 1 văn bản", "Danh sách 6 mục từ …")
    note: str = ""  # where the answer may be partial (a locality without data, a list that goes on)
    rows: list[tuple[str, str, int]] = field(default_factory=list)  # a comparison: (place, value, citation n or 0)

    def as_dict(self) -> dict:
        return {
            "answer": self.answer,
            "refused": self.refused,
            "mode": str(self.mode),
            "notice": self.notice,
            "kind": str(self.kind),
            "confidence": round(self.confidence, 3),
            "did": self.did,
            "note": self.note,
            "rows": [{"place": p, "value": v, "citation": n} for p, v, n in self.rows],
            "citations": [c.as_dict() for c in self.citations],
            "related": [c.as_dict() for c in self.related],
        }


def refusal(question: Question, passages: list[Passage], confidence: float = 0.0) -> Answer:
    """ "Not found", with the first passages shown as related (never as citations), each
    marked when it is another locality's than the one asked about."""
    related: list[Citation] = []
    for p in passages:
        if len(related) == RELATED:
            break
        if count_instructions(p.text):  # a planted instruction is not shown, even as related
            continue
        citation = Citation.in_passage(len(related) + 1, p, p.start, p.end)
        places = {fold(k) for k in p.record.place_keys() if k}
        citation.elsewhere = bool(question.places and places) and not places & question.places  # a known other place
        related.append(citation)
    return Answer(NOT_FOUND, True, [], related, question.typed, kind=question.kind, confidence=confidence)


RELATED = 3  # passages shown under a refusal


class Answerer(Protocol):
    """Anything that answers a read question from ranked passages, citing them."""

    def answer(self, question: Question, passages: list[Passage], texts: DocumentTexts | None = None) -> Answer: ...
