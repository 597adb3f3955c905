"""Near copies: a new document most of whose paragraphs already stand in other
documents is accepted and marked. Candidates are the documents whose centroid is
nearest to the new one's; the share is measured on exact paragraphs, by length.
(Exact copies, the same cleaned text, are refused earlier, in the pipeline.)"""

from __future__ import annotations

from index.records import NewDocument
from index.store import Index

NEAR_SHARE = 0.5  # of the new document's paragraph text found elsewhere: "mostly the same"
CANDIDATES = 5
MIN_PARAGRAPH = 30  # characters; shorter lines (headings, dates, signatures) repeat by nature


def paragraphs(text: str) -> dict[str, int]:
    """Normalised paragraph -> length, for the paragraphs long enough to say something."""
    found = {}
    for line in text.split("\n"):
        key = " ".join(line.split()).lower()
        if len(key) >= MIN_PARAGRAPH:
            found[key] = len(key)
    return found


def mark_near_copy(index: Index, doc: NewDocument) -> None:
    """Set `near_copy_of` and `copied_share` on the document's record."""
    mine = paragraphs(doc.text)
    total = sum(mine.values())
    if not total or not len(doc.vectors):
        return
    shared: dict[str, int] = {}
    covered: set[str] = set()
    for other in index.nearest_documents(doc.centroid(), CANDIDATES):  # none before the first commit
        if other == doc.record.id:  # its own earlier version
            continue
        hit = mine.keys() & paragraphs(index.document_text(other)).keys()
        if hit:
            shared[other] = sum(mine[p] for p in hit)
            covered |= hit
    share = sum(mine[p] for p in covered) / total
    doc.record.copied_share = round(share, 3)
    if share >= NEAR_SHARE:
        doc.record.near_copy_of = "; ".join(sorted(shared, key=lambda d: shared[d], reverse=True))
