"""Verification of an LLM's answer against the passages it was given: every [n]
must point to a given passage, and every number and name in a sentence must occur
in the passage it cites. Exact citations are rebuilt from the passages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.records import Passage
from retrieval.citation import Citation
from retrieval.spans import MARKER, segments, terms
from retrieval.types import NOT_FOUND
from vietnamese.normalize import fold, nfc

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b([A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)+)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass
class Check:
    citations: list[Citation]
    problems: list[str]
    refused: bool
    text: str


def _claims(sentence: str) -> tuple[list[str], list[str]]:
    body = MARKER.sub(" ", sentence)
    numbers = [n for n in _NUMBER.findall(body) if len(n.strip(".,")) > 0]
    names = [n for n in _NAME.findall(body)]
    return numbers, names


def _plain_number(number: str) -> str:
    """ "46.500.000" and "46500000" compare equal, as do "01" and "1"."""
    return re.sub(r"[.,]", "", number).lstrip("0") or "0"


def verify(text: str, passages: list[Passage]) -> Check:
    """Check every marker and every number/name against the cited passages, and
    build exact citations (the best-supporting sentence of each cited passage)."""
    text = nfc(text).strip()
    if not text or fold(NOT_FOUND).rstrip(".") in fold(text):
        return Check([], [], True, NOT_FOUND)
    problems: list[str] = []
    order: list[int] = []
    support: dict[int, list[str]] = {}
    sentences = [s for s in _SENTENCE.split(text) if s and s.strip()]
    for sentence in sentences:
        marks = [int(n) for n in MARKER.findall(sentence)]
        numbers, names = _claims(sentence)
        bad = [n for n in marks if not 1 <= n <= len(passages)]
        if bad:
            problems.append(f"trích dẫn [{bad[0]}] không trỏ tới đoạn nào đã cung cấp")
            continue
        if not marks:
            if numbers or names:
                problems.append(f"câu không có trích dẫn: “{sentence.strip()[:80]}”")
            continue
        cited = " ".join(passages[n - 1].context() for n in marks)
        known = {_plain_number(n) for n in _NUMBER.findall(cited)}
        for number in numbers:
            if _plain_number(number) not in known:
                problems.append(f"số “{number}” không có trong đoạn được dẫn")
        for name in names:
            if fold(name) not in fold(cited):
                problems.append(f"tên “{name}” không có trong đoạn được dẫn")
        for n in marks:
            if n not in order:
                order.append(n)
            support.setdefault(n, []).append(MARKER.sub("", sentence))
    renumber = {old: new for new, old in enumerate(order, 1)}
    citations = []
    for old in order:
        passage = passages[old - 1]
        wanted = terms(" ".join(support[old]))
        spans = segments(passage) or [(passage.start, passage.end)]
        a, b = max(spans, key=lambda s: len(wanted & terms(passage.quote(*s))))
        citations.append(Citation.in_passage(renumber[old], passage, a, b))
    renumbered = MARKER.sub(lambda mm: f"[{renumber.get(int(mm.group(1)), mm.group(1))}]", text)
    return Check(citations, problems, False, renumbered)
