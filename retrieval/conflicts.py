"""Figures that disagree across documents are shown as a disagreement: "Các văn bản nêu
khác nhau: 04 lớp [1] — văn bản số 141/BC-UBND; 99 lớp [2] — tệp tải lên ngày …", each
value with its source and whether it is an official document or an upload, never one
value alone as if it were settled."""

from __future__ import annotations

import re
from pathlib import Path

from index.records import DocRecord
from retrieval.answer_type import counted
from retrieval.citation import Citation
from retrieval.question import Question
from retrieval.render import Shaped, cited

UPLOADS = "uploads"  # the folder uploads are stored in (Settings.upload_dir's last part)


def value(number: str) -> str:
    """A number as a value: "04" and "4" agree, "8.400" and "8400" too."""
    digits = re.sub(r"[.,](?=\d{3}(?!\d))", "", number).lstrip("0")
    return digits or "0"


def provenance(record: DocRecord) -> str:
    """Where a value comes from: an official document (its number), or an upload (its date)."""
    if UPLOADS in Path(record.path).parts:
        return f"tệp tải lên ngày {record.ingested_at[:10] or 'không rõ'} ({record.id})"
    if record.number:
        return f"{record.doc_type or 'văn bản'} số {record.number}"
    return f"văn bản “{record.title or record.id}”"


def disagreement(q: Question, best: list[tuple[DocRecord, Citation]]) -> Shaped | None:
    """When the best sentences of the documents (one each) count what is asked with different values,
    the answer that gives each of them with its source; None when they agree."""
    values: dict[str, tuple[str, DocRecord, Citation]] = {}
    for record, citation in best:
        number = counted(q, citation.quote)
        if number is not None:
            values.setdefault(value(number), (number, record, citation))
    if len(values) < 2:
        return None
    lines, citations = ["Các văn bản nêu khác nhau:"], []
    for n, (number, record, citation) in enumerate(values.values(), 1):
        citation.n = n
        citations.append(citation)
        lines.append(f"- {number} {q.unit_key or q.unit}: {cited(citation)} — {provenance(record)}")  # as typed
    return "\n".join(lines), citations
