"""Examples finder for propaganda staff: named movements, campaigns, model cases
and notable activities found in the documents, each with its locality and an
exact citation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.records import DocRecord
from index.store import Index
from retrieval.citation import Citation
from retrieval.filters import Filters, allowed_sources
from retrieval.spans import clause_around
from tools.facts import cited, facts, span
from vietnamese.normalize import fold

# A quoted name counts when a cue word stands just before it.
_QUOTED = re.compile(r"[“\"]([^”\"\n;]{3,70})(?:[”\"]|(?=;))")
_CUES = {
    "phong trào": "phong trào",
    "cuộc vận động": "cuộc vận động",
    "mô hình": "mô hình",
    "gia đình": "phong trào",
    "hội thi": "hoạt động",
    "hoạt động": "hoạt động",
    "chương trình": "chương trình",
    "tuần lễ": "hoạt động",
    "ngày": "hoạt động",
    "tháng": "hoạt động",
    "xây dựng": "phong trào",
}
_CUE_RE = re.compile(r"(" + "|".join(sorted(_CUES, key=len, reverse=True)) + r")\b[^.;“\"]{0,40}$", re.IGNORECASE)
# Unquoted examples worth showing: model cases and notable child-care activities.
_PATTERNS = [
    (re.compile(r"(?:tổ chức\s+)?\d+\s+lớp học bơi[^.;]*", re.IGNORECASE), "hoạt động", "Lớp học bơi"),
    (re.compile(r"dạy bơi cho[^.;]*", re.IGNORECASE), "hoạt động", "Dạy bơi cho học sinh"),
    (re.compile(r"(?:tổ chức\s+)?học bơi", re.IGNORECASE), "hoạt động", "Học bơi"),
    (re.compile(r"Tháng hành động vì trẻ em", re.IGNORECASE), "hoạt động", "Tháng hành động vì trẻ em"),
    (re.compile(r"\d+\s+điểm vui chơi[^.;]*", re.IGNORECASE), "hoạt động", "Điểm vui chơi cho trẻ em"),
    (
        re.compile(r"mô hình,? điển hình tiên tiến[^.;]*|tấm gương người tốt,? việc tốt[^.;]*", re.IGNORECASE),
        "điển hình",
        "Nhân rộng mô hình, điển hình tiên tiến",
    ),
    (re.compile(r"gương điển hình[^.;]*", re.IGNORECASE), "điển hình", "Gương điển hình"),
    (re.compile(r"các mô hình [^.;,]{5,80}", re.IGNORECASE), "mô hình", None),
]
_LONG_TITLES = ("tăng cường sự lãnh đạo", "chăm sóc, giáo dục và bảo vệ trẻ em trong tình hình mới")


@dataclass
class Example:
    name: str
    kind: str  # phong trào, cuộc vận động, mô hình, điển hình, hoạt động, chương trình
    locality: str
    province_new: str
    citation: Citation

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "locality": self.locality,
            "province_new": self.province_new,
            "citation": self.citation.as_dict(),
        }


def find_examples(index: Index, filters: Filters | None = None, query: str = "") -> list[Example]:
    records = index.records()
    allowed = allowed_sources(records, filters)
    found = facts(
        index, "examples", [r for d, r in sorted(records.items()) if allowed is None or d in allowed], examples_in
    )
    out = [
        Example(
            item["name"],
            item["kind"],
            records[doc_id].locality,
            records[doc_id].province_new,
            cited(item, records[doc_id]),
        )
        for doc_id, items in found.items()
        for item in items
    ]
    if query:  # names first; the passage text only when no name matches
        wanted = fold(query)
        by_name = [e for e in out if wanted in fold(f"{e.name} {e.kind} {e.locality}")]
        out = by_name or [e for e in out if wanted in fold(e.citation.quote)]
    for n, e in enumerate(out, 1):
        e.citation.n = n
    return out


def examples_in(record: DocRecord, text: str, section_at) -> list[dict]:
    """The examples of one document: quoted names after a cue word, then patterns
    (kept per document version)."""
    found: dict[str, dict] = {}

    def add(name: str, kind: str, start: int, end: int) -> None:
        if fold(name) not in found:
            a, b = clause_around(text, start, end)
            found[fold(name)] = {"name": name, "kind": kind, **span(text, a, b, section_at, record)}

    last_end, last_kind = -10, ""
    for m in _QUOTED.finditer(text):
        name = m.group(1).strip(" ,")
        window = text[max(0, m.start() - 60) : m.start()]
        cue = _CUE_RE.search(window)
        listed = last_kind and text[last_end : m.start()].strip() in {",", "và", ", và"}
        if (not cue and not listed) or any(t in name for t in _LONG_TITLES):
            continue
        kind = _CUES[cue.group(1).lower()] if cue else last_kind
        if window.lower().rstrip().endswith("gia đình"):
            name = f"Gia đình “{name}”"
        add(name, kind, m.start(), m.end())
        last_end, last_kind = m.end(), kind
    for pattern, kind, label in _PATTERNS:
        for m in pattern.finditer(text):
            add(label or m.group(0).strip(), kind, m.start(), m.end())
    return list(found.values())
