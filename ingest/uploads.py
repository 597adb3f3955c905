"""Uploads from the browser. A document's id is its file name, so an upload never
takes a name the index or the upload folder already holds: it is stored under a new
name and the user is told, unless the user confirmed that it replaces the indexed
document of that name (whose text the index keeps as an earlier version). A refused
upload leaves everything as it was, on disk and in the index."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from index.records import DocRecord
from index.store import Index
from ingest.pipeline import NO_LOCK, Owner, Report, file_hash, ingest, safe_name
from ingest.readers import SIDECAR_SUFFIX, SUPPORTED
from ingest.removal import unmark
from vietnamese.normalize import nfc

log = logging.getLogger(__name__)


@dataclass
class UploadResult:
    report: Report | None = None
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (name given, name stored)
    replaced: list[str] = field(default_factory=list)  # documents this upload replaced
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (name given, reason)


def free_name(name: str, taken: set[str]) -> str:
    """`name`, or `stem-2.ext`, `stem-3.ext`… whichever is not taken."""
    path = Path(name)
    candidate, n = name, 2
    while nfc(candidate) in taken:
        candidate = f"{path.stem}-{n}{path.suffix}"
        n += 1
    return candidate


def clashes(names: list[str], index: Index) -> list[str]:
    """The names (as they would be stored) that an indexed document already has."""
    records = index.records()
    return sorted({safe_name(n) for n in names if nfc(safe_name(n)) in records})


def save_and_ingest(
    files: list[tuple[str, bytes]],
    upload_dir: Path,
    index: Index,
    max_bytes: int,
    on_progress=None,
    replace: bool = False,
    commit_lock: AbstractContextManager = NO_LOCK,
    owner: Owner | None = None,
    may_replace: Callable[[DocRecord], bool] = lambda record: True,
    allow_classified: bool = False,
) -> UploadResult:
    """Store each (name, bytes) under a free name in `upload_dir` and ingest them; with
    `replace`, a file named like an indexed document the uploader `may_replace` is written
    over that document's file (any other keeps its name, and the upload takes a free one).
    `owner`: the unit new documents belong to (a replaced one keeps its own).
    `index` is the whole index, not a reader's view: names are unique across all of it.
    Whatever the index refuses is undone: new files removed, replaced files put back."""
    result = UploadResult()
    upload_dir.mkdir(parents=True, exist_ok=True)
    records = index.records()
    taken = set(records) | {nfc(p.name) for p in upload_dir.iterdir()}
    saved: list[Path] = []
    before: dict[Path, bytes | None] = {}  # what each written path held (None: nothing)
    stands_in: dict[str, str] = {}  # a document whose file lies outside the upload folder -> that file's hash
    replaceable = {i: r for i, r in records.items() if replace and may_replace(r)}
    try:  # a batch is stored and indexed whole, or each file it wrote is undone
        for given, data in files:
            path = _store(given, data, upload_dir, replaceable, taken, saved, before, result, replace, stands_in)
            if path is not None:
                saved.append(path)
        if not saved:
            return result
        unmark(index.index_dir, {nfc(p.name) for p in saved})  # uploaded again: read it again
        result.report = ingest(
            saved,
            index,
            max_bytes,
            progress=False,
            on_progress=on_progress,
            lock=commit_lock,
            stands_in=stands_in,
            owner=owner,
            allow_classified=allow_classified,
        )
    except BaseException:  # the store failed part way: undo every file whose upload did not commit
        try:
            committed = index.records()
        except Exception:  # the store cannot say: undo everything
            log.warning("upload: store unreadable after a failure, undoing every file", exc_info=True)
            committed = {}
        for path in [p for p in before if not p.name.endswith(SIDECAR_SUFFIX)]:
            record = committed.get(nfc(path.name))
            if record is None or not path.exists() or record.hash != file_hash(path):
                _undo_with_sidecar(path, before)
        raise
    refused = {f["path"]: f["reason"] for f in result.report.failed}
    for path in saved:
        if str(path) in refused:
            _undo_with_sidecar(path, before)
            given = next((g for g, s in result.renamed if s == path.name), path.name)
            result.rejected.append((given, refused[str(path)]))
        elif before[path] not in (None, path.read_bytes()) or nfc(path.name) in stands_in:
            result.replaced.append(path.name)
    return result


def _store(given, data, folder, records, taken, saved, before, result, replace, stands_in) -> Path | None:
    """Write one uploaded file (under a free name, or in place of the document it replaces)
    and note what the path held; a name too long to store keeps the given one in a sidecar.
    A replaced document whose file lies outside the upload folder (the bundled corpus, a
    folder ingested from the command line) keeps its file: the upload is stored beside the
    other uploads and stands in for it."""
    name = safe_name(given)
    if not name.lower().endswith(tuple(SUPPORTED)):
        result.rejected.append((given, "Định dạng không được hỗ trợ."))
        return None
    if replace and nfc(name) in records and nfc(name) not in {nfc(p.name) for p in saved}:
        record = records[nfc(name)]
        path = _file_of(record.path, folder / name)
        if not path.resolve().is_relative_to(folder.resolve()):  # never written over: stand in for it
            stands_in[nfc(name)] = file_hash(path)
            path = folder / name
        elif record.restored_over:  # an upload that already stands in for another file goes on doing so
            stands_in[nfc(name)] = record.restored_over
        before[path] = path.read_bytes() if path.exists() else None
    else:
        path = _claim(folder, name, taken)
        before[path] = None
        if path.name != given:
            result.renamed.append((given, path.name))
        if name != safe_name(given, limit=10_000):  # shortened: the full name is kept with it
            sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
            before[sidecar] = None
            sidecar.write_text(json.dumps({"file_name": nfc(given)}, ensure_ascii=False), encoding="utf-8")
    path.write_bytes(data)
    return path


def _claim(folder: Path, name: str, taken: set[str]) -> Path:
    """A free name in `folder`, created empty at once, so that two sessions uploading at
    the same moment never pick the same one."""
    while True:
        path = folder / free_name(name, taken)
        taken.add(nfc(path.name))
        try:
            path.touch(exist_ok=False)
            return path
        except FileExistsError:
            continue


def _file_of(recorded: str, fallback: Path) -> Path:
    """Where an indexed document's file is (its recorded path, when that file still exists)."""
    path = Path(recorded)
    return path if recorded and path.is_file() else fallback


def _undo_with_sidecar(path: Path, before: dict[Path, bytes | None]) -> None:
    _undo(path, before[path])
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if sidecar in before:
        _undo(sidecar, before[sidecar])


def _undo(path: Path, held: bytes | None) -> None:
    """Put back what the path held before this upload (only ever a file it wrote)."""
    if held is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(held)
