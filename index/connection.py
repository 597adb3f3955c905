"""The Chroma connection of one index: the client, the store it reads (a folder when
embedded, a prefix of collection names on a server), its two collections checked
against the embedding model, and collection metadata read fresh from the store."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from errors import IndexMissing, IndexModelMismatch
from index import chroma
from index.chroma import CHUNKS, DOCUMENTS

REBUILD_HINT = "python -m ingest --rebuild"


class Connection:
    def __init__(
        self, index_dir: Path, model: str, host: str | None = None, port: int = 8000, store: str | None = None
    ) -> None:
        self.index_dir = Path(index_dir)
        self.model = model  # the embedding model's name, checked against the collections'
        self.host = host
        self.port = port
        self.fixed = store  # a fixed store (a rebuild's new one); None: the current one
        self.connected = ""  # the store the client was opened on
        self.client: Any = None  # chromadb's ClientAPI
        self.chunks = None
        self.docs = None
        self.epoch = chroma.epoch
        self.lock = threading.RLock()

    def connect(self):
        if self.host:
            client = chroma.connect(self.index_dir, self.host, self.port)
            self.connected = self.fixed or chroma.remote_store(client)
            return client
        self.connected = self.fixed or chroma.current_store(self.index_dir)
        return chroma.connect(self.index_dir / self.connected, None, self.port)

    def name(self, base: str) -> str:
        """A collection of the store in use (on a server, stores share one namespace)."""
        return chroma.named(self.connected, base) if self.host else base

    def drop(self) -> None:
        """Forget the client and collections: the next `open` connects again."""
        self.client = self.chunks = self.docs = None

    def open(self, create: bool = True):
        """(chunks, documents) collections; with `create`, made when absent."""
        with self.lock:
            if self.epoch != chroma.epoch:  # shared clients dropped since this index connected
                self.drop()
                self.epoch = chroma.epoch
            if self.chunks is not None:
                return self.chunks, self.docs
            store = self.index_dir / (self.fixed or chroma.current_store(self.index_dir))
            if not create and not self.host and not store.exists():
                raise IndexMissing(f"Chưa có chỉ mục tại {self.index_dir}. Hãy chạy: python -m ingest")
            self.client = self.client or self.connect()
            meta = {"embedding_model": self.model}
            cols = []
            for name in (CHUNKS, DOCUMENTS):
                col = self.client.get_or_create_collection(
                    self.name(name),
                    embedding_function=None,
                    metadata=meta,
                    configuration={"hnsw": {"space": "cosine"}},
                )
                built_with = (col.metadata or {}).get("embedding_model")
                if built_with != self.model:
                    raise IndexModelMismatch(
                        f"Chỉ mục được tạo bằng mô hình nhúng '{built_with}', nhưng đang dùng "
                        f"'{self.model}'. Hãy tạo lại chỉ mục: {REBUILD_HINT}"
                    )
                cols.append(col)
            self.chunks, self.docs = cols
            return self.chunks, self.docs

    def collection(self, base: str):
        """A collection of this store, read without the embedding-model check (versions)."""
        with self.lock:
            self.client = self.client or self.connect()
            client = self.client
        return client.get_or_create_collection(self.name(base), embedding_function=None)

    def documents_now(self):
        """The documents collection as the store has it now (another process may have made it anew)."""
        self.open(create=False)
        return self.client.get_collection(self.name(DOCUMENTS))

    def stored_meta(self, name: str) -> dict:
        """A collection's metadata as the store has it now (another process may have changed it)."""
        self.open(create=False)
        return self.client.get_collection(name).metadata or {}

    def set_meta(self, col, **values) -> None:
        col.modify(metadata={**self.stored_meta(col.name), **values})

    def drop_meta(self, col, *keys: str) -> None:
        col.modify(metadata={k: v for k, v in self.stored_meta(col.name).items() if k not in keys})

    def current_store(self) -> str:
        """The store every process should read now (a rebuild elsewhere may have switched it)."""
        if self.host:
            return chroma.remote_store(self.client)
        return chroma.current_store(self.index_dir)

    def cache_path(self, name: str) -> Path:
        """Where something derived from this store is kept: inside the store folder (gone with
        it) when embedded; with a server, a local cache per store."""
        self.open(create=False)
        return self.index_dir / (f"{name}-{self.connected}" if self.host else f"{self.connected}/{name}")
