"""A conversation keeps its turns so that "Còn Đồng Nai thì sao?" after a question
about Cần Thơ asks the same thing about Đồng Nai (no LLM needed)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields

from retrieval.citation import Citation
from retrieval.question import Question
from retrieval.types import Answer
from vietnamese.normalize import fold, nfc
from vietnamese.places import place_names, places_in_query

# The fields of an answer kept as they are in `as_dict` (the others are rebuilt in `from_dict` or not kept).
PLAIN_FIELDS = {f.name for f in dataclass_fields(Answer)} - {"citations", "related", "question", "passages", "rows"}
_FOLLOW_UP = re.compile(r"^(con|the con|vay con|thế còn)\b|\b(thi sao|the nao|ra sao)\s*\??$")
_THERE = re.compile(r"(?i)(?:\b(ở|tại) (?:đó|đấy|đây)|\b(?:địa phương|nơi) (?:này|đó|ấy))(?!\w)")
_ANAPHORA = re.compile(r"\b(do|nay|ay|dia phuong (nay|do)|noi (nay|do))\b")


@dataclass
class Turn:
    question: str
    resolved: str
    answer: Answer


def _place_span(text: str, place: str) -> tuple[int, int] | None:
    """Where `place` (folded) stands in `text`, matched without accents."""
    words = list(re.finditer(r"\w+", text))
    size = len(place.split())
    for i in range(len(words) - size + 1):
        if fold(" ".join(w.group(0) for w in words[i : i + size])) == place:
            return words[i].start(), words[i + size - 1].end()
    return None


def _spelled(place: str, typed: str) -> str:
    """The gazetteer spelling of a place typed as `typed`."""
    return next((n for n in place_names() if fold(n) == place), typed)


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)

    def resolve(self, q: Question, rewriter=None, restore=None) -> str:
        """The stand-alone form of question `q` (read once, with the places it names in
        any spelling) given the previous turns; an LLM rewriter, when given, is tried first.
        `restore` reads a follow-up that names no place the corpus spells ("Còn Hué thì sao?")
        without its accents."""
        question = q.typed
        if not self.turns:
            return question
        if rewriter is not None:
            rewritten = rewriter.rewrite([t.resolved for t in self.turns], question)
            if rewritten:
                return nfc(rewritten)
        prev = self.turns[-1].resolved
        q_fold = fold(question)
        new_places = q.places or (places_in_query(restore(question)) if restore else set())
        old_places = places_in_query(prev)
        if new_places and _FOLLOW_UP.search(q_fold):
            new = _spelled(sorted(new_places)[0], question)
            for old in old_places:
                span = _place_span(prev, old)
                if span:
                    return prev[: span[0]] + new + prev[span[1] :]
            return f"{prev.rstrip(' ?')} ở {new}?"
        if not new_places and old_places and _ANAPHORA.search(q_fold) and len(question.split()) < 12:
            place = _spelled(sorted(old_places)[0], "")
            there = _THERE.search(question)  # "ở đó" becomes the place, rather than "ở đó ở Cần Thơ"
            if there:
                return (
                    question[: there.start()]
                    + (f"{there.group(1)} {place}" if there.group(1) else place)
                    + question[there.end() :]
                )
            return f"{question.rstrip(' ?')} ở {place}?"
        return question

    def as_dict(self) -> dict:
        return {
            "turns": [
                {"question": t.question, "resolved": t.resolved, "answer": t.answer.as_dict()} for t in self.turns
            ]
        }

    @classmethod
    def from_dict(cls, data: dict) -> Conversation:
        """A conversation as `as_dict` wrote it (the answers with their citations)."""
        turns = []
        for t in data.get("turns", []):
            a = dict(t["answer"])
            citations = [Citation(**c) for c in a.pop("citations", [])]
            related = [Citation(**c) for c in a.pop("related", [])]
            plain = {k: v for k, v in a.items() if k in PLAIN_FIELDS}
            plain["rows"] = [(r["place"], r["value"], r["citation"]) for r in a.get("rows", [])]
            turns.append(
                Turn(
                    t["question"],
                    t["resolved"],
                    Answer(citations=citations, related=related, question=t["resolved"], **plain),
                )
            )
        return cls(turns)

    def add(self, question: str, resolved: str, answer: Answer) -> None:
        self.turns.append(Turn(question, resolved, answer))

    def clear(self) -> None:
        self.turns.clear()
