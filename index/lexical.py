"""Vietnamese BM25 beside Chroma (bm25s over pyvi-segmented words), with an
accent-free twin so that "can tho" finds "Cần Thơ". A local cache, rebuilt from
the tokens Chroma stores whenever the set of documents changes."""
from __future__ import annotations

import math
import os
import pickle
from pathlib import Path

import bm25s
import numpy as np

from vietnamese.places import place_names
from vietnamese.restore import DiacriticRestorer
from vietnamese.normalize import has_diacritics, plain_query_tokens, plain_tokens_from_words, word_tokens


class LexicalIndex:
    def __init__(self, ids: list[str], sources: list[str], tokens: list[list[str]], texts: list[str],
                 fingerprint: str = "") -> None:
        self.ids = ids
        self.source_of = dict(zip(ids, sources))
        self.fingerprint = fingerprint
        self.words = self._bm25(tokens)
        self.plain = self._bm25([plain_tokens_from_words(t) for t in tokens])
        self.restorer = DiacriticRestorer(texts + [" , ".join(place_names())] * 3)
        self.doc_freq: dict[str, int] = {}  # syllable document frequencies, for answer scoring:
        self.doc_freq_accented: dict[str, int] = {}  # accent-free and accented ("phạt" is not "phát")
        for t in tokens:
            accented = {s for w in t for s in w.split("_")}
            for syl in accented:
                self.doc_freq_accented[syl] = self.doc_freq_accented.get(syl, 0) + 1
            for syl in set(plain_tokens_from_words(sorted(accented))):
                self.doc_freq[syl] = self.doc_freq.get(syl, 0) + 1

    @staticmethod
    def _bm25(corpus: list[list[str]]) -> bm25s.BM25 | None:
        if not corpus:
            return None
        model = bm25s.BM25()
        model.index([t or ["\x00"] for t in corpus], show_progress=False)
        return model

    def idf(self, syllable: str) -> float:
        """IDF of an accented syllable, or of an accent-free one when it has no accents
        and never occurs accent-free in the corpus."""
        n = len(self.ids) or 1
        if has_diacritics(syllable) or syllable in self.doc_freq_accented:
            df = self.doc_freq_accented.get(syllable, 0)
        else:
            df = self.doc_freq.get(syllable, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def _scores(self, model: bm25s.BM25 | None, tokens: list[str]) -> np.ndarray:
        if model is None:
            return np.zeros(0)
        known = [t for t in tokens if t in model.vocab_dict]
        if not known:
            return np.zeros(len(self.ids))
        return model.get_scores(known)

    def scores(self, query: str, accented: bool | None = None) -> np.ndarray:
        """BM25 scores of every chunk: accented words for accented queries, the
        accent-free twin for queries typed without diacritics."""
        if accented is None:
            accented = has_diacritics(query)
        if accented:
            return self._scores(self.words, word_tokens(query))
        return self._scores(self.plain, plain_query_tokens(query))

    def rows(self, sources: set[str]) -> np.ndarray:
        """Row numbers of the chunks of these documents (cost: the chunks selected)."""
        rows_of = self.__dict__.get("_rows_of")
        if rows_of is None:  # built once per index (and absent from caches pickled before it)
            grouped: dict[str, list[int]] = {}
            for row, cid in enumerate(self.ids):
                grouped.setdefault(self.source_of[cid], []).append(row)
            rows_of = self._rows_of = {src: np.array(r, dtype=np.int64) for src, r in grouped.items()}
        parts = [rows_of[s] for s in sources if s in rows_of]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def search(self, query: str, k: int, sources: set[str] | None = None,
               accented: bool | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score), best first; with `sources`, only those documents' chunks."""
        scores = self.scores(query, accented)
        if not len(scores):
            return []
        if sources is not None:
            mask = np.zeros(len(scores), dtype=bool)
            mask[self.rows(sources)] = True
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores)[:k]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    @staticmethod
    def load(path: Path) -> "LexicalIndex | None":
        try:
            with open(path, "rb") as f:
                obj = pickle.load(f)
            return obj if isinstance(obj, LexicalIndex) else None
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
