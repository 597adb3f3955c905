"""Briefings for trainers: for a topic, cited bullets grouped as Kết quả nổi bật ·
Hạn chế, nguyên nhân · Nhiệm vụ, giải pháp · Mô hình, điển hình — selected from
the documents without an LLM, rewritten more fluently (and verified) when one is set.

python -m retrieval.briefing "topic" [--locality …] [--out FILE.docx|.md] [--index-dir DIR] [--json]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from langchain_core.documents import Document

from ingest.store import Index
from ingest.vntext import fold, match_key
from retrieval.answer import Citation, _segments, _terms, cite, quote_of
from retrieval.retriever import Filters, HybridRetriever

SECTIONS = {
    "ket_qua": "Kết quả nổi bật",
    "han_che": "Hạn chế, nguyên nhân",
    "nhiem_vu": "Nhiệm vụ, giải pháp",
    "mo_hinh": "Mô hình, điển hình",
}
# Cues in the heading path (strong) and in the sentence itself (weaker).
_HEADING_CUES = {
    "han_che": r"hạn chế|tồn tại|nguyên nhân|khó khăn|vướng mắc|yếu kém",
    "nhiem_vu": r"giải pháp|nhiệm vụ|phương hướng|kiến nghị|đề xuất|thời gian tới",
    "ket_qua": r"kết quả|ưu điểm|đạt được|thành tích",
}
_SENTENCE_CUES = {
    "han_che": r"\bchưa\b|còn hạn chế|hạn chế|thiếu|yếu|khó khăn|vướng mắc|tồn tại|nguyên nhân|bất cập|"
               r"chưa (?:cao|đồng bộ|chặt chẽ|thường xuyên|kịp thời)",
    "nhiem_vu": r"^(?:thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|tám)|tiếp tục|tăng cường|đẩy mạnh|nâng cao|đổi mới|"
                r"huy động|đưa|xây dựng|củng cố|đề nghị|cần|phải|yêu cầu)|thời gian tới|đề nghị|yêu cầu",
    "mo_hinh": r"mô hình|điển hình|phong trào “|gương người tốt|tấm gương|cuộc vận động|lớp học bơi",
}
# A figure: a percentage, a count of people/units, or money ("Kết quả nổi bật" wants figures).
FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s*%|\d+(?:[./]\d+)*\s+(?:tập thể|cá nhân|em|học sinh|lượt|xã|lớp|điểm|cơ sở|"
                    r"hội nghị|trẻ em|xe đạp)|\d+(?:[.,]\d+)*\s*(?:tỷ |triệu )?đồng")
PER_SECTION = 6
MAX_BULLET = 360


EMPTY_SECTION = "Không tìm thấy nội dung phù hợp trong các tài liệu."


@dataclass
class Bullet:
    text: str
    locality: str
    citations: list[Citation]

    def display(self) -> str:
        return f"{self.locality}: {self.text}" if self.locality else self.text


@dataclass
class Briefing:
    topic: str
    sections: dict[str, list[Bullet]] = field(default_factory=dict)
    mode: str = "extractive"

    def as_dict(self) -> dict:
        return {"topic": self.topic, "mode": self.mode,
                "sections": [{"key": k, "title": SECTIONS[k], "bullets": [asdict(b) for b in self.sections.get(k, [])]}
                             for k in SECTIONS]}

    def citations(self) -> list[Citation]:
        return [c for k in SECTIONS for b in self.sections.get(k, []) for c in b.citations]


_TASK_START = re.compile(r"^(?:thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|tám)|tiếp tục|tăng cường|đẩy mạnh|nâng cao|đổi mới|"
                         r"huy động|đưa|củng cố|đề nghị|cần|phải|yêu cầu)\b")


def classify(sentence: str, section_path: str) -> str | None:
    """The briefing section a sentence belongs to: from its deepest heading first
    ("… > Ưu điểm" is not "hạn chế"), then its wording (matched with diacritics:
    "yếu" is not "yêu")."""
    text = match_key(sentence)
    if re.search(_SENTENCE_CUES["mo_hinh"], text):
        return "mo_hinh"
    for heading in reversed([match_key(h) for h in section_path.split(" > ") if h]):
        if "ưu điểm" in heading or re.search(_HEADING_CUES["ket_qua"], heading):
            return "ket_qua" if FIGURE.search(sentence) or "ưu điểm" in heading else None
        for key in ("han_che", "nhiem_vu"):
            if re.search(_HEADING_CUES[key], heading):
                return key
    if _TASK_START.search(text):
        return "nhiem_vu"
    for key in ("han_che", "nhiem_vu"):
        if re.search(_SENTENCE_CUES[key], text):
            return key
    return "ket_qua" if FIGURE.search(sentence) else None


def _bullet_span(text: str, base: int, a: int, b: int) -> tuple[int, int]:
    """Trim a long sentence to its first MAX_BULLET characters at a comma or space."""
    if b - a <= MAX_BULLET:
        return a, b
    piece = text[a - base:a - base + MAX_BULLET]
    cut = max(piece.rfind(", "), piece.rfind("; "))
    cut = cut if cut > 120 else piece.rfind(" ")
    return a, a + cut


def build_briefing(index: Index, topic: str, filters: Filters | None = None, depth: int = 40,
                   per_section: int = PER_SECTION) -> Briefing:
    retriever = HybridRetriever(index=index, k=depth)
    passages: list[Document] = retriever.search(topic, k=depth, filters=filters)
    idf = index.lexical().idf
    topic_terms = _terms(topic)
    total = sum(idf(t) for t in topic_terms) or 1.0
    candidates: dict[str, list[tuple[float, Document, int, int]]] = {k: [] for k in SECTIONS}
    for rank, doc in enumerate(passages):
        for a, b in _segments(doc):
            sentence = quote_of(doc, a, b)
            if len(sentence) < 40 or a == 0:  # too short, or the document's title line
                continue
            key = classify(sentence, doc.metadata.get("section", ""))
            if key is None:
                continue
            cover = sum(idf(t) for t in topic_terms & _terms(sentence)) / total
            score = cover + 1.0 / (rank + 3) + (0.3 if key == "ket_qua" and FIGURE.search(sentence) else 0)
            candidates[key].append((score, doc, a, b))
    briefing = Briefing(topic)
    n = 0
    for key, items in candidates.items():
        items.sort(key=lambda t: -t[0])
        chosen, seen = [], set()
        by_place: dict[str, list] = {}
        for item in items:  # round-robin over localities, best first within each
            by_place.setdefault(item[1].metadata.get("locality", "") or item[1].metadata["source"], []).append(item)
        while len(chosen) < per_section and any(by_place.values()):
            for place in list(by_place):
                if by_place[place] and len(chosen) < per_section:
                    item = by_place[place].pop(0)
                    key_text = fold(quote_of(item[1], item[2], item[3])[:80])
                    if key_text not in seen:
                        seen.add(key_text)
                        chosen.append(item)
        bullets = []
        for _, doc, a, b in chosen:
            a, b = _bullet_span(doc.page_content, int(doc.metadata.get("start", 0)), a, b)
            quote = quote_of(doc, a, b)
            n += 1
            bullets.append(Bullet(quote, doc.metadata.get("locality", ""), [cite(n, doc.metadata, quote, a, b)]))
        briefing.sections[key] = bullets
    return briefing


def rewrite_with_llm(briefing: Briefing, chat_model) -> Briefing:
    """More fluent bullets from the LLM, kept only where verification passes."""
    from langchain_core.messages import HumanMessage, SystemMessage

    from prompts import load
    from retrieval.llm import passages_block, verify

    for key, bullets in briefing.sections.items():
        if not bullets:
            continue
        docs = [Document(page_content=b.citations[0].quote,
                         metadata={"source": b.citations[0].source, "title": b.citations[0].title,
                                   "locality": b.locality, "date": b.citations[0].date,
                                   "section": b.citations[0].section, "start": b.citations[0].start,
                                   "end": b.citations[0].end}) for b in bullets]
        try:
            reply = chat_model.invoke([SystemMessage(load("answer_system")),
                                       HumanMessage(load("briefing", section=SECTIONS[key], topic=briefing.topic,
                                                         passages=passages_block(docs)))])
        except Exception:
            continue
        lines = [line.strip(" -•*") for line in str(reply.content).splitlines() if line.strip(" -•*")]
        rewritten = []
        for line in lines:
            check = verify(line, docs)
            if check.refused or check.problems or not check.citations:
                rewritten = []
                break
            marks = [int(x) for x in re.findall(r"\[(\d+)\]", line)]
            cited = [bullets[m - 1].citations[0] for m in marks if 1 <= m <= len(bullets)]
            rewritten.append(Bullet(re.sub(r"\s*\[\d+\]", "", line), cited[0].locality if cited else "", cited))
        if rewritten:
            briefing.sections[key] = rewritten
            briefing.mode = "llm"
    n = 0
    for c in briefing.citations():  # renumber after any rewrite
        n += 1
        c.n = n
    return briefing


def to_markdown(briefing: Briefing) -> str:
    lines = [f"# Tài liệu tóm tắt: {briefing.topic}", ""]
    for key, title in SECTIONS.items():
        lines += [f"## {title}", ""]
        bullets = briefing.sections.get(key, [])
        if not bullets:
            lines.append(f"_{EMPTY_SECTION}_")
        for b in bullets:
            marks = "".join(f"[^{c.n}]" for c in b.citations)
            lines.append(f"- {b.display()}{marks}")
        lines.append("")
    lines += ["## Nguồn trích dẫn", ""]
    for c in briefing.citations():
        lines.append(f"[^{c.n}]: {c.title} — {c.locality or 'không rõ địa phương'}, {c.date or 'không rõ ngày'}; "
                     f"{c.section or 'phần đầu'} ({c.source}, ký tự {c.start}–{c.end}): “{c.quote}”")
    return "\n".join(lines) + "\n"


APPENDIX_TITLE = "Phụ lục: nguyên văn các đoạn trích"
_SOURCE_LINE = re.compile(r"^\[(\d+)\] .*\((?P<source>[^()]+), ký tự (?P<start>\d+)–(?P<end>\d+)\)$")


def to_docx(briefing: Briefing, path) -> None:
    """Headings, bullets with superscript citation numbers, a numbered source list
    and an appendix quoting each cited passage with its source and offsets."""
    from docx import Document as Docx
    from docx.shared import Pt

    doc = Docx()
    doc.add_heading(f"Tài liệu tóm tắt: {briefing.topic}", level=1)
    for key, title in SECTIONS.items():
        doc.add_heading(title, level=2)
        bullets = briefing.sections.get(key, [])
        if not bullets:
            doc.add_paragraph(EMPTY_SECTION)
        for b in bullets:
            p = doc.add_paragraph(style="List Bullet")
            if b.locality:
                p.add_run(f"{b.locality}: ").bold = True
            p.add_run(b.text)
            for c in b.citations:
                p.add_run(f"[{c.n}]").font.superscript = True
    doc.add_heading("Nguồn trích dẫn", level=2)
    for c in briefing.citations():
        doc.add_paragraph(f"[{c.n}] {c.title} — {c.locality or 'không rõ địa phương'}, {c.date or 'không rõ ngày'}; "
                          f"{c.section or 'phần đầu'} ({c.source}, ký tự {c.start}–{c.end})")
    doc.add_heading(APPENDIX_TITLE, level=2)
    for c in briefing.citations():
        doc.add_paragraph(f"[{c.n}] {c.title} ({c.source}, ký tự {c.start}–{c.end})").runs[0].bold = True
        quote = doc.add_paragraph(c.quote)
        quote.paragraph_format.left_indent = Pt(18)
    doc.save(path if hasattr(path, "write") else str(path))


def read_docx_appendix(path: Path) -> list[dict]:
    """(n, source, start, end, quote) of every appendix entry, read back from a DOCX."""
    from docx import Document as Docx

    paragraphs = [p.text for p in Docx(str(path)).paragraphs]
    start = paragraphs.index(APPENDIX_TITLE) + 1
    entries = []
    for head, quote in zip(paragraphs[start::2], paragraphs[start + 1::2]):
        m = _SOURCE_LINE.match(head)
        if m:
            entries.append({"n": int(m.group(1)), "source": m.group("source"), "start": int(m.group("start")),
                            "end": int(m.group("end")), "quote": quote})
    return entries


def main(argv: list[str] | None = None) -> int:
    from ingest.embedding import get_embedder
    from retrieval.llm import make_chat_model
    from settings import Settings

    settings = Settings()
    parser = argparse.ArgumentParser(prog="python -m retrieval.briefing")
    parser.add_argument("topic")
    parser.add_argument("--locality", action="append", default=[])
    parser.add_argument("--year-from", type=int)
    parser.add_argument("--year-to", type=int)
    parser.add_argument("--out", type=Path, help="FILE.docx hoặc FILE.md")
    parser.add_argument("--index-dir", type=Path, default=settings.index_dir)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    index = Index(args.index_dir, get_embedder(settings.embedding_model), settings.chroma_host, settings.chroma_port)
    briefing = build_briefing(index, args.topic, Filters(args.locality, args.year_from, args.year_to))
    chat_model = make_chat_model(settings)
    if chat_model is not None:
        briefing = rewrite_with_llm(briefing, chat_model)
    if args.out:
        if args.out.suffix.lower() == ".docx":
            to_docx(briefing, args.out)
        else:
            args.out.write_text(to_markdown(briefing), encoding="utf-8")
    if args.json:
        print(json.dumps(briefing.as_dict(), ensure_ascii=False, indent=2))
    elif not args.out:
        print(to_markdown(briefing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
