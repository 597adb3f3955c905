"""Per-document facts for the comparison and examples pages (indicator values, named
examples): found once per document version and kept beside the index, so that a page
reads them instead of every document's text. Chroma stays the source of truth: a
document changed or removed is simply found again, or never asked for."""
from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Callable

from index.records import DocRecord
from index.store import Index
from retrieval.citation import Citation

VERSION = "1"  # raise when what the finders extract changes: every document is read again
Found = list[dict]  # one dict per fact: its own fields plus section, quote, start, end
_lock = threading.Lock()
_memo: dict[tuple, Found] = {}  # (cache file, kind, document, version) -> facts, for this process


def cited(item: dict, record: DocRecord) -> Citation:
    return Citation.of(0, record, item["section"], item["quote"], item["start"], item["end"])


def span(text: str, start: int, end: int, section_at, record: DocRecord) -> dict:
    return {"section": section_at(record.id, start), "quote": text[start:end], "start": start, "end": end}


def _db(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=60)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE IF NOT EXISTS facts(kind TEXT, doc_id TEXT, version TEXT, payload TEXT,"
               " PRIMARY KEY (kind, doc_id))")
    return db


def facts(index: Index, kind: str, records: list[DocRecord],
          find: Callable[[DocRecord, str, Callable], Found]) -> dict[str, Found]:
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
            for i in range(0, len(missing), 500):
                ids = [r.id for r in missing[i:i + 500]]
                stored.update({d: (v, p) for d, v, p in db.execute(
                    f"SELECT doc_id, version, payload FROM facts WHERE kind = ? AND doc_id IN ({','.join('?' * len(ids))})",
                    [kind, *ids])})
            new = []
            for r in missing:
                if r.id in stored and stored[r.id][0] == version[r.id]:
                    out[r.id] = json.loads(stored[r.id][1])
                else:
                    out[r.id] = find(r, index.document_text(r.id), index.section_at)
                    new.append((kind, r.id, version[r.id], json.dumps(out[r.id], ensure_ascii=False)))
                _memo[(path, kind, r.id, version[r.id])] = out[r.id]
                if len(new) >= 50 or r is missing[-1]:  # kept as it goes: a page left midway loses little
                    with db:
                        db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?)", new)
                    new = []
        finally:
            db.close()
    return out
