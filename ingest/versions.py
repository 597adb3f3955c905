"""Restoring an earlier version of a document: its text is chunked and embedded again
and committed in place of the current one, which is itself kept as a version. The
restored version stands in for the file as it is now, so a later ingest keeps it until
the file changes again."""

from __future__ import annotations

from dataclasses import replace

from errors import BadInputFile
from index.records import DocRecord
from index.store import Index
from ingest.pipeline import prepare_text
from ingest.removal import unmark


def restore(index: Index, version_id: str) -> DocRecord:
    version, text = index.version(version_id)
    current = index.records().get(version.record.id)
    stands_for = (current.restored_over or current.hash) if current else ""
    record = replace(version.record, restored_over=stands_for)
    if current is not None:  # who may read it stays as it is now
        record.unit, record.visibility, record.grants = current.unit, current.visibility, current.grants
    if current is not None and current.text_hash == record.text_hash:
        raise BadInputFile("Phiên bản này có nội dung giống hệt văn bản hiện tại.")
    prepared = prepare_text(record, text)
    index.put_documents([prepared.embedded(index.embedder)], replacing={record.id})
    unmark(index.index_dir, {record.id})  # a removed document restored is back for good
    index.lexical()  # searchable now rather than at the next question
    return index.records()[record.id]
