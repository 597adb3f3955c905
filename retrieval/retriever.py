"""Hybrid retrieval: dense (Chroma, e5) and lexical (Vietnamese BM25, accented and
accent-free) candidates fused by reciprocal rank fusion, with metadata filters
applied to both sides alike and a boost for the locality a question names."""
from __future__ import annotations

from dataclasses import dataclass, field

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ingest.places import places_in_query
from ingest.store import Index
from ingest.vntext import fold, has_diacritics, nfc

MODES = ("bm25", "dense", "hybrid")
RRF_K = 60
DEPTH = 50  # candidates taken from each list


@dataclass
class Filters:
    localities: list[str] = field(default_factory=list)  # old or new names, any accents
    year_from: int | None = None
    year_to: int | None = None
    doc_types: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def active(self) -> bool:
        return bool(self.localities or self.year_from or self.year_to or self.doc_types or self.sources)


def place_keys(record: dict) -> set[str]:
    """Folded names a document answers to: as named, old province, new province."""
    return {fold(record.get(k, "")) for k in ("locality", "province", "province_new") if record.get(k)}


def allowed_sources(records: dict[str, dict], filters: Filters | None) -> set[str] | None:
    if filters is None or not filters.active():
        return None
    wanted = {fold(x) for x in filters.localities}
    types = {x.lower() for x in filters.doc_types}
    out = set()
    for doc_id, r in records.items():
        year = int(r.get("year") or 0)
        if wanted and not (place_keys(r) & wanted):
            continue
        if filters.year_from and (not year or year < filters.year_from):
            continue
        if filters.year_to and (not year or year > filters.year_to):
            continue
        if types and r.get("doc_type", "").lower() not in types:
            continue
        if filters.sources and doc_id not in filters.sources:
            continue
        out.add(doc_id)
    return out


@dataclass
class QueryPlan:
    text: str
    accented: bool
    restored: str  # diacritics restored from the corpus when typed without them
    places: set[str]


class HybridRetriever(BaseRetriever):
    """LangChain retriever over the project's index. Each returned Document carries
    `score` (fused, higher is better) and `rank` in its metadata."""

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

    def plan(self, query: str) -> QueryPlan:
        text = nfc(query).strip()
        accented = has_diacritics(text)
        restored = text if accented else self.index.lexical().restorer.restore(text)
        return QueryPlan(text, accented, restored, places_in_query(text) | places_in_query(restored))

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return self.search(query)

    def ranked_ids(self, query: str, depth: int | None = None, filters: Filters | None = None) -> list[tuple[str, float]]:
        """(chunk id, fused score), best first."""
        plan = self.plan(query)
        records = self.index.records()
        allowed = allowed_sources(records, filters if filters is not None else self.filters)
        depth = max(depth or 0, self.k, DEPTH)
        lists: list[list[str]] = []
        lexical = self.index.lexical()
        allowed_chunks = None
        if allowed is not None:
            allowed_chunks = {cid for cid, src in lexical.source_of.items() if src in allowed}
        if self.mode in ("bm25", "hybrid"):
            lists.append([c for c, _ in lexical.search(plan.restored, depth, allowed_chunks, accented=True)])
            if not plan.accented:
                lists.append([c for c, _ in lexical.search(plan.text, depth, allowed_chunks, accented=False)])
        if self.mode in ("dense", "hybrid"):
            vector = self.index.embedder.embed_query(plan.restored)
            lists.append([c for c, _ in self.index.dense_search(vector, depth, allowed)])
        fused: dict[str, float] = {}
        for ranking in lists:
            for rank, cid in enumerate(ranking):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
        if plan.places and self.locality_boost:
            for cid in fused:
                if place_keys(records.get(lexical.source_of.get(cid, ""), {})) & plan.places:
                    fused[cid] += self.locality_boost / (RRF_K + 1)
        return sorted(fused.items(), key=lambda kv: -kv[1])[:depth]

    def search(self, query: str, k: int | None = None, filters: Filters | None = None) -> list[Document]:
        ranked = self.ranked_ids(query, k, filters)[: k or self.k]
        docs = self.index.get_chunks([cid for cid, _ in ranked])
        for rank, (doc, (_, score)) in enumerate(zip(docs, ranked)):
            doc.metadata["score"] = round(score, 5)
            doc.metadata["rank"] = rank
        return docs
