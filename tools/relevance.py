"""Is a sentence about the briefing's topic? The topic's subject is its own words: less the
parts of a briefing, which its sections already are ("những hạn chế …"), and less the
corpus's theme, the words in more than half of the documents' titles ("thực hiện Chỉ thị
20", "chăm sóc, giáo dục và bảo vệ trẻ em"). A topic with no subject left is as wide as the
documents: every sentence is on it. Otherwise a logistic model over three signals: the
embedding model's cosine between the topic (as a query) and the sentence (as a passage),
standardised over the sentences a briefing chooses from (in a corpus all about children
every cosine is high; what tells is being higher than the rest), and the idf-weighted
share of the subject's words and of its word pairs ("đuối nước", "dạy bơi") the sentence
holds (the lexical index's statistics). Fitted on labelled topics by
`python -m evaluation.fit_briefing`; its weights and threshold live in relevance.json."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from retrieval.spans import pairs, terms

PARAMS = Path(__file__).with_name("relevance.json")


@dataclass(frozen=True)
class Relevance:
    weights: tuple[float, ...]  # standardised cosine, subject word cover, subject pair cover
    bias: float
    threshold: float  # on the probability

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        if not len(features):
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-(features @ np.asarray(self.weights) + self.bias)))


@cache
def relevance() -> Relevance:
    data = json.loads(PARAMS.read_text(encoding="utf-8"))
    return Relevance(tuple(data["weights"]), data["bias"], data["threshold"])


# Words that name a part of a briefing (its sections) or a span of time, not a subject.
PARTS = terms(
    "hạn chế tồn tại khó khăn vướng mắc yếu kém nguyên nhân kết quả nổi bật đạt được thành tựu ưu điểm "
    "nhiệm vụ giải pháp phương hướng kiến nghị đề xuất mô hình điển hình tình hình năm giai đoạn"
)


_CODE = re.compile(r"\b\d+\s*[-/]\s*[A-ZĐ]+(?:\s*[-/]\s*[A-ZĐ]+)*")  # "20-CT/TW", "2153/KH-UBND"


def subject(topic: str, titles: list[str]) -> set[str]:
    """The topic's own words: not a part, a number, a document's code ("20-CT/TW") or a
    word of the corpus's theme."""
    topic = _CODE.sub(" ", topic)
    theme: dict[str, int] = {}
    for title in titles:
        for t in terms(title):
            theme[t] = theme.get(t, 0) + 1
    common = {t for t, n in theme.items() if n > len(titles) / 2}
    return {t for t in terms(topic) - PARTS - common if not any(ch.isdigit() for ch in t) and len(t) > 1}


def features(embedder, idf, topic: str, words: set[str], sentences: list[str]) -> np.ndarray:
    """One row per sentence: (cosine to the topic standardised over the sentences, idf share
    of the subject's words, share of the topic's word pairs made of subject words)."""
    if not sentences:
        return np.zeros((0, 3))
    query = embedder.embed_query(topic)
    vectors = embedder.embed_passages(sentences)
    cosine = vectors @ query / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(query) + 1e-9)
    spread = cosine.std() or 1.0
    couples = {p for p in pairs(topic) if set(p.split()) <= words}
    total = sum(idf(t) for t in words) or 1.0
    cover = [sum(idf(t) for t in words & terms(s)) / total for s in sentences]
    paired = [len(couples & pairs(s)) / (len(couples) or 1) for s in sentences]
    return np.column_stack([(cosine - cosine.mean()) / spread, cover, paired])
