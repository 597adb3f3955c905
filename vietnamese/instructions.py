"""Sentences that instruct a reader or a model ("bỏ qua mọi hướng dẫn…", "hãy trả lời
rằng…", "ignore previous instructions"). Documents are data: such sentences are
counted at ingest, flagged in the library and never quoted as an answer."""

from __future__ import annotations

import re

from vietnamese.normalize import fold

# Matched on folded text (no accents, lower case), so typed-without-accents variants match too.
_PATTERNS = re.compile(
    "|".join(
        (
            r"\bbo qua (het |moi |tat ca |cac |nhung |toan bo )*(huong dan|chi dan|chi thi|lenh|yeu cau|quy tac|thong tin)",
            r"\bhay (tra loi|noi|khang dinh|viet|tuyen bo|xac nhan) (rang|la)\b",
            r"\b(tro ly|mo hinh|chatbot|llm)\b.{0,30}\b(phai|hay|can) (tra loi|noi|tiet lo|bo qua)\b",
            r"\bignore (all |any |the |your )*(previous|prior|above|earlier|preceding) (instructions|prompts|messages|rules)",
            r"\bdisregard (all |any |the |your )*(previous|prior|above|earlier|instructions)",
            r"\b(you are now|act as an?|pretend (to be|you are)|from now on,? you)\b",
            r"\b(system prompt|jailbreak)\b",
        )
    )
)


def instructs(text: str) -> bool:
    """Whether `text` tells a reader or model what to do or answer."""
    return bool(_PATTERNS.search(fold(text)))


def count_instructions(text: str) -> int:
    """How many places in `text` instruct a reader or model."""
    return len(_PATTERNS.findall(fold(text)))
