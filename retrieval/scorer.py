"""The learned answer scorer: logistic models fitted by `evaluation.train_scorer`
(parameters in `scorer.json`). `prune` ranks spans on cheap signals so that only the
best are embedded, `sentence` gives the probability that a span answers the question,
`answerable` the probability that the passages hold an answer at all."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PARAMS = Path(__file__).with_name("scorer.json")


@dataclass
class Logistic:
    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float

    def p(self, row: dict[str, float]) -> float:
        z = self.intercept
        for name, m, s, w in zip(self.features, self.mean, self.scale, self.coef):
            z += w * (row.get(name, 0.0) - m) / s
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def as_dict(self) -> dict:
        return {
            "features": self.features,
            "mean": self.mean,
            "scale": self.scale,
            "coef": self.coef,
            "intercept": self.intercept,
        }


@dataclass
class Scorer:
    prune: Logistic
    sentence: Logistic
    answerable: Logistic
    threshold: float = 0.5  # refuse below this probability that an answer is present

    @classmethod
    def from_dict(cls, data: dict) -> Scorer:
        return cls(
            Logistic(**data["prune"]),
            Logistic(**data["sentence"]),
            Logistic(**data["answerable"]),
            data.get("threshold", 0.5),
        )

    def as_dict(self) -> dict:
        return {
            "prune": self.prune.as_dict(),
            "sentence": self.sentence.as_dict(),
            "answerable": self.answerable.as_dict(),
            "threshold": self.threshold,
        }


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    return Scorer.from_dict(json.loads(PARAMS.read_text(encoding="utf-8")))


def question_features(ps: list[float], rows: list[dict[str, float]]) -> dict[str, float]:
    """What the refusal model reads: how likely the best spans answer, and how well the
    best of them match the question in meaning and words."""
    order = sorted(range(len(ps)), key=lambda i: -ps[i])
    top = [ps[i] for i in order[:3]] + [0.0, 0.0, 0.0]
    best = rows[order[0]] if order else {}
    return {
        "best_p": top[0],
        "mean3_p": sum(top[:3]) / 3,
        "best_dense": max((r.get("dense", 0.0) for r in rows), default=0.0),
        "best_lex": max((r.get("lex", 0.0) for r in rows), default=0.0),
        "best_ctx": max((r.get("lex_ctx", 0.0) for r in rows), default=0.0),
        "top_lex": best.get("lex", 0.0),
        "top_dense": best.get("dense", 0.0),
        "place_asked": best.get("place_asked", 0.0),
    }
