"""Chroma plumbing: connecting (embedded or server), paged reads, the per-process
client cache, and which store is in use. Every whole-collection read goes through
`paged`, so no statement exceeds SQLite's 32,766 variables whatever the collection's size."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path

from errors import StoreUnavailable
from index.atomic import write_atomic

CHUNKS = "chunks"
DOCUMENTS = "documents"
VERSIONS = "versions"  # earlier versions of documents (index.versions)
PAGE = 5000  # rows per get()
epoch = 0  # bumped when this process drops Chroma's shared clients; every Index then reconnects


def connect(store_dir: Path, host: str | None, port: int):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if host:
        try:
            return chromadb.HttpClient(host=host, port=port, settings=settings)
        except Exception as e:  # chromadb raises ValueError/ConnectionError variously
            raise StoreUnavailable(
                f"Không kết nối được máy chủ Chroma {host}:{port} "
                f"({type(e).__name__}). Hãy kiểm tra CHROMA_HOST/CHROMA_PORT."
            ) from e
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(store_dir), settings=settings)


def drop_shared_clients() -> None:
    """Chroma caches one client per path per process, with the vector index it loaded:
    vectors another process added stay invisible to it until the cache is dropped."""
    global epoch
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    epoch += 1


def paged(col, include: list[str], where: dict | None = None):
    """Every row of a collection as (id, metadata, document), one page at a time."""
    offset = 0
    while True:
        got = col.get(where=where, include=include, limit=PAGE, offset=offset)
        docs = got.get("documents") or [None] * len(got["ids"])
        yield from zip(got["ids"], got["metadatas"], docs)
        if len(got["ids"]) < PAGE:
            return
        offset += PAGE


# -- the store folder in use: `--rebuild` writes a new one beside it and switches at the end
POINTER = "current"


def current_store(index_dir: Path) -> str:
    """The store folder the index uses ("chroma" for indexes made before rebuilds switched)."""
    pointer = index_dir / POINTER
    return pointer.read_text(encoding="utf-8").strip() if pointer.exists() else "chroma"


def new_store_name() -> str:
    return f"chroma-{uuid.uuid4().hex[:12]}"


def switch_store(index_dir: Path, name: str) -> None:
    """Point the index at `name` (atomic: a crash leaves the old or the new pointer), then
    delete the other store folders."""
    write_atomic(index_dir / POINTER, name.encode("utf-8"))
    for old in index_dir.glob("chroma*"):
        if old.is_dir() and old.name != name:
            shutil.rmtree(old, ignore_errors=True)  # readers still on it keep their open files


# -- a Chroma server has no folders: a store is a prefix of collection names, and a
# pointer collection's metadata names the store in use (switched in one call)
REMOTE_POINTER = "current-store"
_STORE_COLLECTION = re.compile(r"^(chroma-[0-9a-f]{12}-)?(chunks|documents|versions)$")


def named(store: str, base: str) -> str:
    """A server store's collection; the first store ("chroma") keeps the plain names."""
    return base if store == "chroma" else f"{store}-{base}"


def remote_store(client) -> str:
    from chromadb.errors import NotFoundError

    try:
        return (client.get_collection(REMOTE_POINTER).metadata or {}).get("store", "chroma")
    except NotFoundError:  # never rebuilt: the first store
        return "chroma"


def switch_remote(client, name: str) -> None:
    """Point every app process at server store `name`. The store it replaces stays until
    the next switch (processes may be mid-question on it); older ones are dropped."""
    previous = remote_store(client)
    client.get_or_create_collection(REMOTE_POINTER, embedding_function=None).modify(
        metadata={"store": name, "previous": previous}
    )
    for col in client.list_collections():
        col_name = getattr(col, "name", col)
        found = _STORE_COLLECTION.match(col_name)
        if found and (found.group(1) or "chroma-")[:-1] not in (name, previous):
            client.delete_collection(col_name)
