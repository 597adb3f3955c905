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
from tools.activities import ACTIVITIES, BY_MEASURE
from tools.facts import cited, facts, span
from tools.figures import TARGET, figures_in, heading_before, is_target
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
_LONG_TITLES = ("tăng cường sự lãnh đạo", "chăm sóc, giáo dục và bảo vệ trẻ em trong tình hình mới")


@dataclass
class Example:
    name: str
    kind: str  # phong trào, cuộc vận động, mô hình, hoạt động, khen thưởng, chương trình
    locality: str
    province_new: str
    citation: Citation
    planned: bool = False  # set as a target in a plan, not reported as done
    aliases: str = ""  # other words it is searched by

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "locality": self.locality,
            "province_new": self.province_new,
            "planned": self.planned,
            "citation": self.citation.as_dict(),
        }


def find_examples(index: Index, filters: Filters | None = None, query: str = "") -> list[Example]:
    """The examples of the documents in `filters`, one per name and locality: a near copy
    (a scan of a report already held) adds nothing, and a name two reports of one place
    give is shown once, from the first. `query` matches names first (accents optional),
    then the quoted passages."""
    records = index.records()
    allowed = allowed_sources(records, filters)
    chosen = [r for d, r in sorted(records.items()) if allowed is None or d in allowed]
    chosen.sort(key=lambda r: bool(_originals(r, records)))  # originals first
    found = facts(index, "examples", chosen, examples_in)
    out: list[Example] = []
    seen: set[tuple[str, str]] = set()
    for record in chosen:
        for item in found[record.id]:
            key = (fold(item["name"]), record.locality or record.id)
            of_original = {(fold(item["name"]), records[d].locality or d) for d in _originals(record, records)}
            if key in seen or of_original & seen:  # a near copy repeats its original's examples
                continue
            seen.add(key)
            out.append(
                Example(
                    item["name"],
                    item["kind"],
                    record.locality,
                    record.province_new,
                    cited(item, record),
                    item.get("planned", False),
                    item.get("aliases", ""),
                )
            )
    if query:
        words = fold(query).split()

        def has(text: str) -> bool:
            folded = fold(text)
            return all(re.search(rf"\b{re.escape(w)}", folded) for w in words)

        by_name = [e for e in out if has(f"{e.name} {e.aliases} {e.kind} {e.locality} {e.province_new}")]
        out = by_name or [e for e in out if has(e.citation.quote)]
    for n, e in enumerate(out, 1):
        e.citation.n = n
    return out


def _originals(record: DocRecord, records: dict[str, DocRecord]) -> list[str]:
    """The documents held that `record` is a near copy of (a scan of one, a re-upload)."""
    return [d for d in record.near_copy_of.split("; ") if d and d in records and d != record.id]


def examples_in(record: DocRecord, text: str, section_at) -> list[dict]:
    """The examples of one document (kept per document version): names quoted after a cue
    word ("phong trào “Nghìn việc tốt”"), activities reported with a figure, and events
    specific enough to name themselves (tools.activities)."""
    found: dict[str, dict] = {}

    def add(name: str, kind: str, a: int, b: int, **more) -> None:
        if fold(name) not in found:
            found[fold(name)] = {"name": name, "kind": kind, **more, **span(text, a, b, section_at, record)}

    last_end, last_kind = -10, ""
    for m in _QUOTED.finditer(text):
        name = m.group(1).strip(" ,")
        window = text[max(0, m.start() - 60) : m.start()]
        cue = _CUE_RE.search(window)
        listed = last_kind and text[last_end : m.start()].strip() in {",", ";", "và", ", và"}
        if (not cue and not listed) or any(t in name for t in _LONG_TITLES):
            continue
        kind = _CUES[cue.group(1).lower()] if cue else last_kind
        if window.lower().rstrip().endswith("gia đình"):
            name = f"Gia đình “{name}”"
        add(name, kind, *clause_around(text, m.start(), m.end()))
        last_end, last_kind = m.end(), kind
    for f in figures_in(text):  # a figure reports something done (or planned)
        activity = BY_MEASURE.get(f.measure)
        if activity:
            a, b = clause_around(text, f.at, f.to)
            add(activity.name, activity.kind, a, b, planned=f.kind == TARGET, aliases=activity.aliases)
    folded = fold(text)
    for activity in ACTIVITIES:
        for hit in re.finditer(activity.words, folded) if activity.words else ():
            paragraph = text[text.rfind("\n", 0, hit.start()) + 1 : hit.start()]
            if not is_target(paragraph, heading_before(text, hit.start())):  # a goal is no example
                a, b = clause_around(text, hit.start(), hit.end())
                add(activity.name, activity.kind, a, b, aliases=activity.aliases)
                break
    return list(found.values())
