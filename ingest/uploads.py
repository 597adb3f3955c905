"""Uploads from the browser. A document's id is its file name, so an upload never
takes a name the index or the upload folder already holds: it is stored under a new
name and the user is told. A refused upload leaves nothing behind."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from errors import AppError
from index.store import Index
from ingest.pipeline import Report, ingest, safe_name
from ingest.readers import SUPPORTED
from vietnamese.normalize import nfc


@dataclass
class UploadResult:
    report: Report | None = None
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (name given, name stored)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (name given, reason)


def free_name(name: str, taken: set[str]) -> str:
    """`name`, or `stem-2.ext`, `stem-3.ext`… whichever is not taken."""
    path = Path(name)
    candidate, n = name, 2
    while nfc(candidate) in taken:
        candidate = f"{path.stem}-{n}{path.suffix}"
        n += 1
    return candidate


def save_and_ingest(files: list[tuple[str, bytes]], upload_dir: Path, index: Index, max_bytes: int,
                    on_progress=None) -> UploadResult:
    """Store each (name, bytes) under a free name in `upload_dir` and ingest them;
    the files the index refuses are removed again."""
    result = UploadResult()
    upload_dir.mkdir(parents=True, exist_ok=True)
    taken = set(index.records()) | {nfc(p.name) for p in upload_dir.iterdir()}
    saved: list[Path] = []
    for given, data in files:
        name = safe_name(given)
        if not name.lower().endswith(tuple(SUPPORTED)):
            result.rejected.append((given, "Định dạng không được hỗ trợ."))
            continue
        stored = free_name(name, taken)
        taken.add(nfc(stored))
        if stored != given:
            result.renamed.append((given, stored))
        path = upload_dir / stored
        path.write_bytes(data)
        saved.append(path)
    if not saved:
        return result
    try:
        result.report = ingest(saved, index, max_bytes, progress=False, on_progress=on_progress)
    except AppError:
        committed = index.records()
        for path in saved:
            if nfc(path.name) not in committed:
                path.unlink(missing_ok=True)
        raise
    refused = {f["path"]: f["reason"] for f in result.report.failed}
    for path in saved:
        if str(path) in refused:
            path.unlink(missing_ok=True)  # only ever a file this upload created
            given = next((g for g, s in result.renamed if s == path.name), path.name)
            result.rejected.append((given, refused[str(path)]))
    return result
