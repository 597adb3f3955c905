"""Candidate answer spans of the top passages and the signals the learned scorer
reads off each: meaning (sentence embedding), shared words, answer-type fit, and
consistency with the place and year asked about."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from index.records import Passage
from retrieval.answer_type import DATE, ORG, TITLE, counts, names, names_place, short_name_line
from retrieval.question import Question
from retrieval.spans import MAX_QUOTE, coverage, segments, without_places
from vietnamese.normalize import fold
from vietnamese.vocabulary import ACTION_VERBS, CAUSES, TASK_GIVING, folded

_REASON = re.compile(rf"\b({folded(CAUSES)})\b")
# Task words and the verbs a task starts with: a signal of the learned scorer.
_TASK = re.compile(rf"\b({folded(TASK_GIVING + ACTION_VERBS)})\b")

DENSE = ("dense", "dense_gap")


@dataclass
class Candidate:
    passage: Passage
    start: int
    end: int
    text: str
    features: dict[str, float] = field(default_factory=dict)
    p: float = 0.0  # probability that the span answers the question

    @property
    def rank(self) -> int:
        return self.passage.rank


def candidates(passages: list[Passage], whole: bool = False) -> list[Candidate]:
    """Sentence and clause spans of the passages, plus short lines that hold only a
    name (a byline); a line that continues a sentence from the line before is joined.
    `whole`: also sentences made of clauses cut at ";" (people and their titles)."""
    out = []
    for passage in passages:
        spans = segments(passage, joined=True)
        for a, b in spans:
            out.append(Candidate(passage, a, b, passage.quote(a, b)))
        for a, b in _whole_sentences(passage, spans) if whole else []:
            out.append(Candidate(passage, a, b, passage.quote(a, b)))
        for m in re.finditer(r"(?m)^[ \t]*(\S[^\n]{3,40}?)[ \t]*$", passage.text):
            if short_name_line(m.group(1)):
                a = passage.start + m.start(1)
                if all(a != c.start for c in out if c.passage is passage):
                    out.append(Candidate(passage, a, a + len(m.group(1)), m.group(1)))
    return out


def _whole_sentences(passage: Passage, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs of spans cut at ";" that make one sentence (a list of people and their
    titles, say), when it is not too long to quote."""
    out, run = [], []
    for a, b in spans:
        run.append((a, b))
        if not passage.quote(a, b).rstrip().endswith(";"):
            if len(run) > 1 and run[-1][1] - run[0][0] <= MAX_QUOTE:
                out.append((run[0][0], run[-1][1]))
            run = []
    return out


class Signals:
    """Computes the features of candidates for one question; `idf` weighs terms."""

    def __init__(self, q: Question, idf) -> None:
        self.q = q
        self.idf = idf
        self.q_terms = without_places(q.terms, q.places)
        self.q_pairs = without_places(q.pairs, q.places)

    def coverage(self, wanted: set[str], text: str) -> float:
        return coverage(self.idf, wanted, text, self.q.accented)

    def lexical(self, cands: list[Candidate]) -> None:
        """Everything but the dense signals."""
        q = self.q
        top_score = max((c.passage.score for c in cands), default=0.0) or 1.0
        ctx_cover: dict[int, float] = {}
        for c in cands:
            key = id(c.passage)
            if key not in ctx_cover:
                ctx_cover[key] = self.coverage(self.q_terms, c.passage.context())
            text, folded = c.text, fold(c.text)
            has_digit = bool(re.search(r"\d", text))
            is_person = bool(TITLE.search(text)) or names(text) or short_name_line(text)
            f = {
                "lex": self.coverage(self.q_terms, text),
                "lex_pairs": self.coverage(self.q_pairs, text) if self.q_pairs else 0.0,
                "lex_ctx": ctx_cover[key],
                "rank_inv": 1.0 / (c.rank + 1),
                "fused_rel": c.passage.score / top_score if top_score > 0 else 0.0,
                "log_len": math.log(1 + len(text)),
                "intro": float(text.rstrip().endswith(":")),
                "name_line": float(short_name_line(text)),
                "fit_number": float(q.expects in ("number", "share") and has_digit),
                "miss_number": float(q.expects in ("number", "share") and not has_digit),
                "fit_unit": float(counts(q, text)),
                "fit_share": float(q.expects == "share" and "%" in text),
                "fit_date": float(q.expects == "date" and bool(DATE.search(text))),
                "miss_date": float(q.expects == "date" and not DATE.search(text)),
                "fit_person": float(q.expects == "person" and is_person),
                "miss_person": float(q.expects == "person" and not is_person),
                "fit_org": float(q.expects in ("organisation", "person") and bool(ORG.search(text))),
                "fit_reason": float(q.expects == "reason" and bool(_REASON.search(folded))),
                "fit_task": float(q.kind == "tasks" and bool(_TASK.search(folded))),
                "fit_list": float(q.wants_list and (text.rstrip().endswith(":") or text.count(",") >= 2)),
                "fit_place": float(q.expects == "place" and names_place(text)),
                "place_asked": float(bool(q.places)),
                "place_here": float(bool(q.places) and any(p in folded for p in q.places)),
                "year_here": float(bool(q.years) and any(y in text for y in q.years)),
            }
            c.features.update(f)

    @staticmethod
    def dense(cands: list[Candidate], q_vector, vectors) -> None:
        sims = [float(q_vector @ v) for v in vectors]
        best = max(sims, default=0.0)
        for c, s in zip(cands, sims):
            c.features["dense"] = s
            c.features["dense_gap"] = s - best
