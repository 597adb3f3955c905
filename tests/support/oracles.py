"""What the tests check the product against, kept out of the product: rank fusion (the
method z-score fusion replaced), a filter applied record by record, a document's chunks,
the appendix of a DOCX export read back, and text in the legacy Vietnamese encodings."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from index.records import DocRecord, Passage
from retrieval.filters import Filters, place_keys
from tools.exports import APPENDIX_TITLE
from vietnamese.legacy import TCVN3, VNI
from vietnamese.normalize import fold

RRF_K = 60


def rrf(lists: list[list[tuple[str, float]]]) -> tuple[dict[str, float], float]:
    """Reciprocal rank fusion: fused scores, and what a first place in one list is worth."""
    fused: dict[str, float] = {}
    for ranking in lists:
        for rank, (cid, _) in enumerate(ranking):
            fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
    return fused, 1.0 / (RRF_K + 1)


def admits(f: Filters, record: DocRecord) -> bool:
    """Whether the filters admit a document, decided on its record alone."""
    year = int(record.year or 0)
    wanted = {fold(x) for x in f.localities}
    types = {x.lower() for x in f.doc_types}
    if wanted and not (place_keys(record) & wanted):
        return False
    if f.year_from and (not year or year < f.year_from):
        return False
    if f.year_to and (not year or year > f.year_to):
        return False
    if types and record.doc_type.lower() not in types:
        return False
    return not f.sources or record.id in f.sources


def chunks_of(index, doc_id: str) -> list[Passage]:
    """Every stored chunk of a document, in reading order."""
    chunk_col, _ = index.open(create=False)
    ids = chunk_col.get(where={"source": doc_id}, include=[])["ids"]
    return sorted(index.passages(ids), key=lambda p: p.start)


SOURCE_LINE = re.compile(r"^\[(\d+)\] .*\((?P<source>[^()]+), ký tự (?P<start>\d+)–(?P<end>\d+)\)$")


def read_docx_appendix(path: Path) -> list[dict]:
    """(n, source, start, end, quote) of every appendix entry, read back from a DOCX."""
    from docx import Document as Docx

    paragraphs = [p.text for p in Docx(str(path)).paragraphs]
    start = paragraphs.index(APPENDIX_TITLE) + 1
    entries = []
    for head, quote in zip(paragraphs[start::2], paragraphs[start + 1 :: 2]):
        m = SOURCE_LINE.match(head)
        if m:
            entries.append(
                {
                    "n": int(m.group(1)),
                    "source": m.group("source"),
                    "start": int(m.group("start")),
                    "end": int(m.group("end")),
                    "quote": quote,
                }
            )
    return entries


def unicode_to_vni(text: str) -> str:
    """The inverse of `vietnamese.legacy.vni_to_unicode`."""
    inverse = {v: k for k, v in VNI.items()}
    return "".join(inverse.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def unicode_to_tcvn3(text: str) -> str:
    """The inverse of `tcvn3_to_unicode`; lower-cases toned capitals, as the font did."""
    inverse = {v: k for k, v in TCVN3.items()}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch not in inverse and ch.lower() in inverse and ch.lower() != ch:
            ch = ch.lower()
        out.append(inverse.get(ch, ch))
    return "".join(out)
