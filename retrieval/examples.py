"""Examples finder for propaganda staff: named movements, campaigns, model cases
and notable activities found in the documents, each with its locality and an
exact citation.

python -m retrieval.examples [--locality …] [--query …] [--index-dir DIR] [--json]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from ingest.store import Index
from ingest.vntext import fold
from retrieval.answer import Citation, cite
from retrieval.retriever import Filters, allowed_sources

# A quoted name counts when a cue word stands just before it.
_QUOTED = re.compile(r"[“\"]([^”\"\n;]{3,70})(?:[”\"]|(?=;))")
_CUES = {
    "phong trào": "phong trào", "cuộc vận động": "cuộc vận động", "mô hình": "mô hình",
    "gia đình": "phong trào", "hội thi": "hoạt động", "hoạt động": "hoạt động", "chương trình": "chương trình",
    "tuần lễ": "hoạt động", "ngày": "hoạt động", "tháng": "hoạt động", "xây dựng": "phong trào",
}
_CUE_RE = re.compile(r"(" + "|".join(sorted(_CUES, key=len, reverse=True)) + r")\b[^.;“\"]{0,40}$", re.IGNORECASE)
# Unquoted examples worth showing: model cases and notable child-care activities.
_PATTERNS = [
    (re.compile(r"(?:tổ chức\s+)?\d+\s+lớp học bơi[^.;]*", re.IGNORECASE), "hoạt động", "Lớp học bơi"),
    (re.compile(r"dạy bơi cho[^.;]*", re.IGNORECASE), "hoạt động", "Dạy bơi cho học sinh"),
    (re.compile(r"(?:tổ chức\s+)?học bơi", re.IGNORECASE), "hoạt động", "Học bơi"),
    (re.compile(r"Tháng hành động vì trẻ em", re.IGNORECASE), "hoạt động", "Tháng hành động vì trẻ em"),
    (re.compile(r"\d+\s+điểm vui chơi[^.;]*", re.IGNORECASE), "hoạt động", "Điểm vui chơi cho trẻ em"),
    (re.compile(r"mô hình,? điển hình tiên tiến[^.;]*|tấm gương người tốt,? việc tốt[^.;]*", re.IGNORECASE),
     "điển hình", "Nhân rộng mô hình, điển hình tiên tiến"),
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
        return asdict(self)


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to the clause around it (between ; . or line ends), trimmed."""
    left = max(text.rfind(";", 0, start), text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    a = left + 1 if left >= 0 else 0
    stops = [i for i in (text.find(";", end), text.find(". ", end), text.find("\n", end)) if i >= 0]
    b = min(stops) if stops else len(text)
    if b - a > 400:  # very long clause: keep a window around the name
        a, b = max(a, start - 150), min(b, end + 200)
    while a < b and text[a] in " ,:-–•*":
        a += 1
    while b > a and text[b - 1] in " ,":
        b -= 1
    return a, b


def find_examples(index: Index, filters: Filters | None = None, query: str = "") -> list[Example]:
    records = index.records()
    allowed = allowed_sources(records, filters)
    out: list[Example] = []
    seen: set[tuple[str, str]] = set()
    for doc_id in sorted(records):
        if allowed is not None and doc_id not in allowed:
            continue
        r = records[doc_id]
        text = index.document_text(doc_id)

        def add(name: str, kind: str, start: int, end: int) -> None:
            key = (doc_id, fold(name))
            if key in seen:
                return
            seen.add(key)
            a, b = _clause(text, start, end)
            out.append(Example(name, kind, r.get("locality", ""), r.get("province_new", ""),
                               cite(len(out) + 1, r, text[a:b], a, b, doc_id, index.section_at(doc_id, a))))

        last_end, last_kind = -10, ""
        for m in _QUOTED.finditer(text):
            name = m.group(1).strip(" ,")
            window = text[max(0, m.start() - 60):m.start()]
            cue = _CUE_RE.search(window)
            listed = last_kind and text[last_end:m.start()].strip() in {",", "và", ", và"}
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
    if query:  # names first; the passage text only when no name matches
        wanted = fold(query)
        by_name = [e for e in out if wanted in fold(f"{e.name} {e.kind} {e.locality}")]
        out = by_name or [e for e in out if wanted in fold(e.citation.quote)]
    for n, e in enumerate(out, 1):
        e.citation.n = n
    return out


def main(argv: list[str] | None = None) -> int:
    from ingest.embedding import get_embedder
    from settings import Settings

    settings = Settings()
    parser = argparse.ArgumentParser(prog="python -m retrieval.examples")
    parser.add_argument("--locality", action="append", default=[])
    parser.add_argument("--query", default="", help="lọc theo từ khóa (có dấu hoặc không dấu)")
    parser.add_argument("--index-dir", type=Path, default=settings.index_dir)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    index = Index(args.index_dir, get_embedder(settings.embedding_model), settings.chroma_host, settings.chroma_port)
    items = find_examples(index, Filters(localities=args.locality), args.query)
    if args.json:
        print(json.dumps({"items": [e.as_dict() for e in items]}, ensure_ascii=False, indent=2))
        return 0
    for e in items:
        print(f"[{e.citation.n}] {e.name} ({e.kind}) — {e.locality or 'không rõ địa phương'}: {e.citation.quote}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
