"""Taking a document out of the library. Its text is kept as an earlier version, so it can
be restored. An uploaded file is deleted with it; a file elsewhere (the bundled corpus, a
folder ingested from the command line) is never touched: it is marked removed (by its
content hash) beside the index, so the next ingest of its folder does not bring it back,
until the file changes or the document is restored or uploaded again."""

from __future__ import annotations

import json
from pathlib import Path

from errors import IndexMissing
from index.atomic import write_atomic
from index.store import Index


def _marks(index_dir: Path) -> Path:
    return Path(index_dir) / "removed.json"


def removed(index_dir: Path) -> dict[str, list[str]]:
    """Document id -> the content hashes of the files it was removed with."""
    try:
        return json.loads(_marks(index_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save(index_dir: Path, marks: dict[str, list[str]]) -> None:
    write_atomic(_marks(index_dir), json.dumps(marks, ensure_ascii=False, indent=1).encode("utf-8"))


def remove(index: Index, doc_id: str, upload_dir: Path) -> None:
    """Remove `doc_id` (callers hold the write lock)."""
    record = index.records().get(doc_id)
    if record is None:
        raise IndexMissing(f"Không có tài liệu '{doc_id}' trong chỉ mục.")
    marks = removed(index.index_dir)
    marks[doc_id] = sorted({h for h in (record.hash, record.restored_over) if h})
    _save(index.index_dir, marks)
    index.remove_document(doc_id)
    index.lexical()
    path = Path(record.path)
    if record.path and path.is_file() and path.resolve().is_relative_to(Path(upload_dir).resolve()):
        path.unlink()


def unmark(index_dir: Path, doc_ids: set[str]) -> None:
    """The documents are back (restored, uploaded again): their files may be read again."""
    marks = removed(index_dir)
    if doc_ids & set(marks):
        _save(index_dir, {d: h for d, h in marks.items() if d not in doc_ids})
