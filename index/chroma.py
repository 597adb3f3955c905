"""Chroma plumbing: connecting (embedded or server), paged reads, and the per-process
client cache. Every whole-collection read goes through `paged`, so no statement
exceeds SQLite's 32,766 variables whatever the collection's size."""
from __future__ import annotations

from pathlib import Path

from errors import StoreUnavailable

PAGE = 5000  # rows per get()
epoch = 0  # bumped when this process drops Chroma's shared clients; every Index then reconnects


def connect(index_dir: Path, host: str | None, port: int):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if host:
        try:
            return chromadb.HttpClient(host=host, port=port, settings=settings)
        except Exception as e:  # chromadb raises ValueError/ConnectionError variously
            raise StoreUnavailable(f"Không kết nối được máy chủ Chroma {host}:{port} "
                                   f"({type(e).__name__}). Hãy kiểm tra CHROMA_HOST/CHROMA_PORT.") from e
    index_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(index_dir / "chroma"), settings=settings)


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
