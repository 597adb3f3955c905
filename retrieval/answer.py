"""Extractive answers: pick the sentences (or clauses) of the top passages that
answer the question, quote them verbatim with [n] markers, and refuse plainly
when the corpus does not hold the answer."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from langchain_core.documents import Document

from ingest.chunking import LATER_ORDINALS, ORDINALS, heading_level
from ingest.places import places_in_query
from ingest.vntext import fold, has_diacritics, match_key

NOT_FOUND = "Không tìm thấy thông tin này trong các tài liệu hiện có."
# Calibrated with retrieval.eval on the seed questions: below this share of the
# question's idf-weighted terms found in one of the top passages, the answer is refused.
EVIDENCE_THRESHOLD = 0.6
MAX_SENTENCES = 3
MAX_QUOTE = 420

_STOP = set(("bao nhieu nhung gi nao the nhu the nao ra sao vi sao tai sao khi nao o dau dau "
             "cua o duoc co la va cac cho da dang se thi sao con ai hay hoac voi trong tren den "
             "mot nhu de tu ve theo nay do ay").split())
_WANTS_NUMBER = re.compile(r"\b(bao nhieu|may|ty le|phan tram|so luong|so tien|bao lau)\b")
_WANTS_DATE = re.compile(r"\b(ngay nao|khi nao|thoi gian nao|luc nao|nam nao|thang nao)\b")
_WANTS_LIST = re.compile(r"\b(nhung|cac)\b.*\b(gi|nao)\b|\bnhiem vu\b|\bgiai phap\b")
_DATE = re.compile(r"\d{1,2}/\d{1,2}(/\d{2,4})?|ngày \d{1,2} tháng")
_ITEM = re.compile(rf"(?<!\w)Thứ ({ORDINALS})\s*[,:]")
_SPLIT = re.compile(rf"(?<=[.!?…;])\s+|\n+|\s+(?=Thứ (?:{LATER_ORDINALS})[,:])")


@dataclass
class Citation:
    n: int
    source: str
    title: str
    locality: str
    date: str
    section: str
    quote: str
    start: int
    end: int


@dataclass
class Answer:
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    related: list[Citation] = field(default_factory=list)
    question: str = ""  # the question as answered (follow-ups resolved)
    mode: str = "extractive"  # or "llm" when a verified LLM answer is shown
    notice: str = ""  # e.g. why an LLM answer was replaced by the extractive one

    def as_dict(self) -> dict:
        return {"answer": self.answer, "refused": self.refused,
                "citations": [asdict(c) for c in self.citations],
                "related": [asdict(c) for c in self.related]}


def _syllables(text: str, accented: bool = False) -> list[str]:
    """Content syllables: accent-free, or (for questions typed with accents)
    lower-cased with one tone placement, so that "phạt" does not match "phát"."""
    key = match_key(text) if accented else fold(text)
    return [s.lstrip("0") or s for s in re.findall(r"\w+", key) if fold(s) not in _STOP]


def _terms(text: str, accented: bool = False) -> set[str]:
    return set(_syllables(text, accented))


def _pairs(text: str, accented: bool = False) -> set[str]:
    syl = _syllables(text, accented)
    return {f"{a} {b}" for a, b in zip(syl, syl[1:])}


def _segments(doc: Document) -> list[tuple[int, int]]:
    """(start, end) of sentence-sized pieces in the cleaned document; very long
    sentences are cut into clauses at commas."""
    text, base = doc.page_content, int(doc.metadata.get("start", 0))
    out, pos = [], 0
    for piece in _SPLIT.split(text):
        if piece is None:
            continue
        at = text.find(piece, pos)
        if at < 0 or not piece.strip():
            continue
        pos = at + len(piece)
        spans = [(at, pos)]
        if len(piece) > MAX_QUOTE:
            spans, cur = [], at
            for m in re.finditer(r",\s+", piece):
                cut = at + m.start() + 1
                if cut - cur >= 120:
                    spans.append((cur, cut))
                    cur = at + m.end()
            spans.append((cur, pos))
        for a, b in spans:
            seg = text[a:b].strip(" -•*\t")
            lead = text[a:b].find(seg)
            if len(seg) >= 15:
                out.append((base + a + lead, base + a + lead + len(seg)))
    return out


def cite(n: int, meta: dict, quote: str, start: int, end: int, source: str | None = None,
         section: str | None = None) -> Citation:
    """A citation from chunk or document metadata (source, title, locality, date, section)."""
    return Citation(n, source or meta.get("source", ""), meta.get("title", ""), meta.get("locality", ""),
                    meta.get("date", ""), meta.get("section", "") if section is None else section,
                    quote, start, end)


def quote_of(doc: Document, start: int, end: int) -> str:
    """The text of a chunk between two offsets of its cleaned document."""
    base = int(doc.metadata.get("start", 0))
    return doc.page_content[start - base:end - base]


def passage_context(doc: Document) -> str:
    """A passage with the document facts it stands under (title, place, issuer, date)."""
    m = doc.metadata
    facts = " ".join(str(m.get(k, "")) for k in ("title", "locality", "province", "province_new", "issuer", "date"))
    return f"{facts} {doc.page_content}"


def _citation(n: int, doc: Document, start: int, end: int, text: str) -> Citation:
    return cite(n, doc.metadata, text, start, end)


def _first_clause(text: str, start: int, end: int, limit: int = 240) -> tuple[int, int]:
    """The item's first sentence, cut at a comma when it runs long."""
    piece = text[start:end]
    stop = re.search(r"[.;](\s|$)", piece)
    cut = stop.start() + 1 if stop else len(piece)
    if cut > limit:
        comma = piece.rfind(",", 60, limit)
        cut = comma if comma > 0 else limit
    return start, start + len(piece[:cut].rstrip(" ,"))


def enumeration(text: str, pos: int) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """(lead-in span, item spans) of the "Thứ nhất… Thứ sáu" list in the paragraph
    holding `pos`, or of the dashed list introduced by the line holding `pos`."""
    para_start = text.rfind("\n", 0, pos) + 1
    para_end = text.find("\n", pos)
    para_end = len(text) if para_end < 0 else para_end
    marks = list(_ITEM.finditer(text, para_start, para_end))
    if len(marks) >= 2 and marks[0].group(1) == "nhất":
        ends = [m.start() for m in marks[1:]] + [para_end]
        items = [_first_clause(text, m.start(), e) for m, e in zip(marks, ends)]
        lead_start = max(text.rfind(". ", para_start, marks[0].start()) + 2, para_start)
        lead = (lead_start, len(text[:marks[0].start()].rstrip()))
        return (lead if lead[1] - lead[0] >= 15 else None), items
    level = heading_level(text[para_start:para_end].strip())
    if level:
        return (para_start, para_end), _section_items(text, para_end, level)
    if not text[para_start:para_end].rstrip().endswith(":"):
        return None, []
    items = []
    for line in re.finditer(r"(?m)^(.*)$", text[para_end:]):
        body = line.group(1).strip()
        if not body:
            continue
        if not re.match(r"[-–•+] +", body):
            break
        a = para_end + line.start(1) + len(line.group(1)) - len(line.group(1).lstrip()) + 2
        items.append(_first_clause(text, a, para_end + line.end(1)))
        if len(items) >= 8:
            break
    return ((para_start, para_end) if items else None), (items if len(items) >= 2 else [])


def _section_items(text: str, pos: int, level: int) -> list[tuple[int, int]]:
    """First clauses of the paragraphs under a heading, up to the next heading of
    the same or a higher level."""
    items = []
    for line in re.finditer(r"(?m)^(.+)$", text[pos:]):
        body = line.group(1).strip()
        sub = heading_level(body)
        if sub and sub <= level:
            break
        if sub or len(body) < 15:
            continue
        a = pos + line.start(1) + len(line.group(1)) - len(line.group(1).lstrip())
        a += len(body) - len(body.lstrip("-–•+* "))
        items.append(_first_clause(text, a, pos + line.end(1)))
        if len(items) >= 8:
            break
    return items if len(items) >= 2 else []


class ExtractiveAnswerer:
    def __init__(self, idf=None, threshold: float = EVIDENCE_THRESHOLD, document_text=None) -> None:
        self.idf = idf or (lambda term: 1.0)
        self.threshold = threshold
        self.document_text = document_text  # source id -> cleaned text, for lists across chunks

    def _weight(self, term: str) -> float:
        return sum(self.idf(p) for p in term.split())

    def coverage(self, question_terms: set[str], text: str, accented: bool = False) -> float:
        """Share of the question's idf-weighted terms found in `text`."""
        total = sum(self._weight(t) for t in question_terms) or 1.0
        found = _terms(text, accented) | _pairs(text, accented)
        return sum(self._weight(t) for t in question_terms if t in found) / total

    def answer(self, question: str, passages: list[Document]) -> Answer:
        accented = has_diacritics(question)
        q_terms, q_pairs = _terms(question, accented), _pairs(question, accented)
        q_fold = fold(question)
        wants_number = bool(_WANTS_NUMBER.search(q_fold))
        wants_date = bool(_WANTS_DATE.search(q_fold))
        wants_list = bool(_WANTS_LIST.search(q_fold))
        related = [_citation(i + 1, d, int(d.metadata.get("start", 0)), int(d.metadata.get("end", 0)),
                             d.page_content) for i, d in enumerate(passages[:3])]
        context = [passage_context(d) for d in passages]
        places = places_in_query(question)
        if places:  # the named place must be what a passage is about or mentions
            keep = [i for i, c in enumerate(context) if any(p in fold(c) for p in places)]
            passages, context = [passages[i] for i in keep], [context[i] for i in keep]
        years = set(re.findall(r"\b(?:19|20)\d\d\b", question))
        top = context[:3]
        evidence = max((self.coverage(q_terms, c, accented) for c in top), default=0.0)
        missing_year = any(not any(y in c for c in top) for y in years)
        if not passages or evidence < self.threshold or missing_year:
            return Answer(NOT_FOUND, True, [], related, question)
        place_syllables = {s for p in places for s in p.split()}
        q_terms = {t for t in q_terms if fold(t) not in place_syllables} or q_terms
        q_pairs = {t for t in q_pairs if not set(fold(t).split()) & place_syllables} or q_pairs
        scored = []
        for rank, doc in enumerate(passages[:5]):
            for a, b in _segments(doc):
                seg = quote_of(doc, a, b)
                score = (self.coverage(q_terms, seg, accented) + 0.5 * self.coverage(q_pairs, seg, accented)
                         + 0.15 / (rank + 1))
                if wants_number:
                    score += 0.3 if re.search(r"\d", seg) else -0.4
                if wants_date:
                    score += 0.3 if _DATE.search(seg) else -0.3
                scored.append((score, rank, a, b, doc, seg))
        if not scored:
            return Answer(NOT_FOUND, True, [], related, question)
        scored.sort(key=lambda t: -t[0])
        if wants_list and self.document_text:
            listed = self._listed(scored[:3])
            if listed:
                return Answer(listed[0], False, listed[1], [], question)
        best = scored[0][0]
        limit = MAX_SENTENCES + 2 if wants_list else MAX_SENTENCES
        floor = 0.75 if wants_list else 0.85
        chosen = [s for s in scored if s[0] >= best * floor][:limit]
        chosen.sort(key=lambda t: (t[1], t[2]))  # reading order within the ranking
        citations, lines = [], []
        for n, (_, _, a, b, doc, seg) in enumerate(chosen, 1):
            citations.append(_citation(n, doc, a, b, seg))
            lines.append(f"{seg} [{n}]")
        text = "\n".join(f"- {line}" for line in lines) if wants_list and len(lines) > 1 else " ".join(lines)
        return Answer(text, False, citations, [], question)

    def _listed(self, top: list) -> tuple[str, list[Citation]] | None:
        """A list answer when one of the best sentences introduces an enumeration."""
        for _, _, a, _, doc, _ in top:
            full = self.document_text(doc.metadata["source"])
            lead, items = enumeration(full, a)
            if not items:
                continue
            spans = ([lead] if lead else []) + items
            citations = [_citation(n, doc, s, e, full[s:e]) for n, (s, e) in enumerate(spans, 1)]
            lines = [f"{c.quote} [{c.n}]" for c in citations]
            body = [f"- {line}" for line in lines[1 if lead else 0:]]
            return "\n".join(lines[:1] + body if lead else body), citations
        return None
