"""A per-request cache of documents' cleaned texts: each is fetched from the store at
most once while one question is answered."""

from __future__ import annotations

import logging
from collections.abc import Callable

from errors import IndexMissing

log = logging.getLogger(__name__)


class DocumentTexts:
    """`texts(doc_id)` -> the document's cleaned text; empty when another process removed
    it meanwhile (logged), so an answer quotes what it can."""

    def __init__(self, fetch: Callable[[str], str]) -> None:
        self.fetch = fetch
        self.cache: dict[str, str] = {}

    def __call__(self, doc_id: str) -> str:
        if doc_id not in self.cache:
            try:
                self.cache[doc_id] = self.fetch(doc_id)
            except IndexMissing:
                log.info("document %s removed while answering", doc_id)
                self.cache[doc_id] = ""
        return self.cache[doc_id]
