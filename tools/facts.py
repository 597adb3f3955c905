"""Per-document facts for the comparison and examples pages (indicator values, named
examples): found once per document version and kept beside the index, so that a page
reads them instead of every document's text. Chroma stays the source of truth: a
document changed or removed is simply found again, or never asked for."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from index.records import DocRecord
from index.store import Index
from retrieval.citation import Citation

_FINDERS = ("activities", "compare", "examples", "figures", "measures")


def _finders_hash() -> str:
    """The finders' own source: when it changes, every document is read again."""
    digest = hashlib.sha256()
    for name in _FINDERS:
        digest.update((Path(__file__).parent / f"{name}.py").read_bytes())
    return digest.hexdigest()[:12]


VERSION = _finders_hash()
Found = list[dict]  # one dict per fact: its own fields plus section, quote, start, end
Finder = Callable[[DocRecord, str, Callable], Found]
_lock = threading.Lock()
_memo: dict[tuple, Found] = {}  # (cache file, kind, document, version) -> facts, for this process


def clear_memo() -> None:
    """Forget the facts read in this process (the next read is from the cache file)."""
    _memo.clear()


def cited(item: dict, record: DocRecord) -> Citation:
    return Citation.of(0, record, item["section"], item["quote"], item["start"], item["end"])


def span(text: str, start: int, end: int, section_at, record: DocRecord) -> dict:
    return {"section": section_at(record.id, start), "quote": text[start:end], "start": start, "end": end}


def _db(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=60)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(
        "CREATE TABLE IF NOT EXISTS facts(kind TEXT, doc_id TEXT, version TEXT, payload TEXT,"
        " PRIMARY KEY (kind, doc_id))"
    )
    return db


def facts(index: Index, kind: str, records: list[DocRecord], find: Finder) -> dict[str, Found]:
    """`find(record, text, section_at)` of each record, read from the cache when it holds
    this version of the document, else found now and kept."""
    path = index.cache_path("facts.sqlite")
    version = {r.id: f"{VERSION}:{r.version}" for r in records}
    out = {r.id: _memo[key] for r in records if (key := (path, kind, r.id, version[r.id])) in _memo}
    missing = [r for r in records if r.id not in out]
    if not missing:
        return out
    with _lock:
        db = _db(path)
        try:
            stored = {}
            for ids in _batches([r.id for r in missing]):
                stored.update(
                    {
                        d: (v, p)
                        for d, v, p in db.execute(
                            f"SELECT doc_id, version, payload FROM facts WHERE kind = ? AND doc_id IN ({','.join('?' * len(ids))})",
                            [kind, *ids],
                        )
                    }
                )
            for r in missing:
                if r.id in stored and stored[r.id][0] == version[r.id]:
                    out[r.id] = _memo[(path, kind, r.id, version[r.id])] = json.loads(stored[r.id][1])
            out.update(_find_and_keep(db, index, kind, [r for r in missing if r.id not in out], find))
        finally:
            db.close()
    return out


def keep(index: Index, finders: dict[str, Finder], progress: bool = False) -> int:
    """After an ingest: find and keep the facts of every document whose version has none
    yet, so the pages only read. Returns how many documents were read."""
    path, records = index.cache_path("facts.sqlite"), list(index.records().values())
    read: set[str] = set()
    with _lock:
        db = _db(path)
        try:
            for kind, find in finders.items():
                stored = dict(db.execute("SELECT doc_id, version FROM facts WHERE kind = ?", [kind]))
                missing = [r for r in records if stored.get(r.id) != f"{VERSION}:{r.version}"]
                bar = tqdm(
                    missing, desc=f"Số liệu, điển hình ({kind})", unit="tệp", disable=not progress or not missing
                )
                _find_and_keep(db, index, kind, bar, find)
                read.update(r.id for r in missing)
        finally:
            db.close()
    return len(read)


def _batches(ids: list[str], size: int = 500):
    return (ids[i : i + size] for i in range(0, len(ids), size))


def _find_and_keep(db: sqlite3.Connection, index: Index, kind: str, records, find: Finder) -> dict[str, Found]:
    """Facts found now, kept as they go (a page left midway loses little)."""
    path, out, new = index.cache_path("facts.sqlite"), {}, []
    for r in records:
        version = f"{VERSION}:{r.version}"
        out[r.id] = _memo[(path, kind, r.id, version)] = find(r, index.document_text(r.id), index.section_at)
        new.append((kind, r.id, version, json.dumps(out[r.id], ensure_ascii=False)))
        if len(new) >= 50:
            _write(db, new)
            new = []
    _write(db, new)
    return out


def _write(db: sqlite3.Connection, rows: list[tuple]) -> None:
    with db:
        db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?)", rows)
