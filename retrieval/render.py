"""How cited spans are written in an answer, the same for every answerer: each quote
with its [n] marker (a document's own "[1]" neutralised), as bullets for a list, and one
bullet per document for an answer across localities."""

from __future__ import annotations

from retrieval.citation import Citation
from retrieval.spans import neutral

Shaped = tuple[str, list[Citation]]


def cited(c: Citation) -> str:
    return f"{neutral(c.quote)} [{c.n}]"


def cited_lines(citations: list[Citation], bullets: bool) -> Shaped:
    """Each quote with its marker; as bullets when a list is asked and there are several."""
    lines = [cited(c) for c in citations]
    text = "\n".join(f"- {line}" for line in lines) if bullets and len(lines) > 1 else " ".join(lines)
    return text, citations


def listed_lines(citations: list[Citation], lead: bool) -> Shaped:
    """A list: its lead-in line (when `lead`), then one bullet per item."""
    lines = [cited(c) for c in citations]
    body = [f"- {line}" for line in lines[1 if lead else 0 :]]
    return "\n".join(lines[:1] + body if lead else body), citations


def per_document(citations: list[Citation]) -> Shaped:
    """One bullet per document, named by its locality (else its title)."""
    return "\n".join(f"- {neutral(c.locality or c.title)}: {cited(c)}" for c in citations), citations
