"""Hybrid retrieval: dense (Chroma, e5) and lexical (Vietnamese BM25, accented and
accent-free) candidates fused by z-score fusion (`retrieval.fusion`), with metadata filters
applied to both sides alike and a boost for the locality a question names."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from index.embedding import vector_cache
from index.records import Passage
from index.store import Index
from retrieval import fusion
from retrieval.filters import Filters, allowed_sources, place_keys
from retrieval.question import Question

MODES = ("bm25", "dense", "hybrid")
DEPTH = 50  # candidates taken from each list


def to_document(passage: Passage) -> Document:
    """The LangChain form of a passage (only for LangChain callers)."""
    meta = dict(
        passage.record.facts(),
        source=passage.source,
        section=passage.section,
        start=passage.start,
        end=passage.end,
        score=passage.score,
        rank=passage.rank,
    )
    return Document(page_content=passage.text, metadata=meta, id=passage.id)


class HybridRetriever(BaseRetriever):
    """Ranks passages for a question (`search`); as a LangChain retriever it returns
    Documents whose metadata carry `score` (fused, higher is better) and `rank`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: Index
    k: int = 5
    mode: str = "hybrid"
    filters: Filters | None = None
    locality_boost: float = 1.0

    def model_post_init(self, __context) -> None:
        if self.k <= 0:
            raise ValueError("k must be positive")
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")

    def read(self, query: Question | str) -> Question:
        """The question as read once by the assistant; a bare string (LangChain callers,
        benchmarks) is read here."""
        return query if isinstance(query, Question) else Question.read(query, self.index.lexical().restorer)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [to_document(p) for p in self.search(query)]

    def ranked_ids(
        self, query: Question | str, depth: int | None = None, filters: Filters | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, fused score), best first."""
        plan = self.read(query)
        records = self.index.records()
        allowed = self.index.within(allowed_sources(records, filters if filters is not None else self.filters))
        depth = max(depth or 0, self.k, DEPTH)
        lists: list[list[tuple[str, float]]] = []
        lexical = self.index.lexical()
        if self.mode in ("bm25", "hybrid"):
            lists.append(lexical.search(plan.restored, depth, allowed, accented=True))
            if not plan.accented:
                lists.append(lexical.search(plan.typed, depth, allowed, accented=False))
        if self.mode in ("dense", "hybrid"):
            vector = vector_cache(self.index.embedder).query(plan.restored)  # the answerer reuses it
            lists.append(self.index.dense_search(vector, depth, allowed))
        fused, first_place = fusion.zscore(lists)
        if plan.places and self.locality_boost:
            source_of = lexical.sources(fused)
            for cid in fused:
                record = records.get(source_of.get(cid, ""))
                if record is not None and place_keys(record) & plan.places:
                    fused[cid] += self.locality_boost * first_place
        return sorted(fused.items(), key=lambda kv: -kv[1])[:depth]

    def search(self, query: Question | str, k: int | None = None, filters: Filters | None = None) -> list[Passage]:
        """The best passages, with their fused score and rank. A text met again is one
        passage: a paragraph a document repeats fifty times takes one place, not all of
        them, and of an original and its near copy the original's is kept."""
        k = k or self.k
        ranked = self.ranked_ids(query, k, filters)
        kept: list[tuple[Passage, float]] = []
        where: dict[str, int] = {}  # text -> its place in `kept`
        for at in range(0, len(ranked), k):  # read a batch more only when texts repeated
            batch = ranked[at : at + k]
            for p, (_, score) in zip(self.index.passages([cid for cid, _ in batch]), batch):
                text = " ".join(p.text.split())
                if text not in where:
                    where[text] = len(kept)
                    kept.append((p, score))
                elif kept[where[text]][0].record.near_copy_of and not p.record.near_copy_of:
                    kept[where[text]] = (p, kept[where[text]][1])  # the original, in the copy's place
            if len(kept) >= k:
                break
        return [p.ranked(round(score, 5), rank) for rank, (p, score) in enumerate(kept[:k])]
