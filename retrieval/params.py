"""The extractive answerer's parameters, named, with where each comes from
(`params.json` beside this file: fitted by `evaluation.fit_threshold`, or set by hand)."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from pathlib import Path

PATH = Path(__file__).with_name("params.json")


@dataclass(frozen=True)
class AnswerParams:
    evidence_threshold: float
    pair_weight: float
    rank_prior: float
    near_best: float
    near_best_list: float
    evidence_top: int
    max_sentences: int
    window: int
    pool: int
    pool_across: int
    list_intro_best: int
    clause_chars: int

    @classmethod
    def load(cls, path: Path = PATH) -> AnswerParams:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{f.name: data[f.name] for f in fields(cls)})

    def with_threshold(self, threshold: float) -> AnswerParams:
        return replace(self, evidence_threshold=threshold)

    def save_threshold(self, path: Path = PATH) -> None:
        """Store a newly fitted evidence threshold, keeping the rest of the file."""
        data = json.loads(path.read_text(encoding="utf-8"))
        data["evidence_threshold"] = self.evidence_threshold
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


PARAMS = AnswerParams.load()
