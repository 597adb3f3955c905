"""One entry for a question: resolve follow-ups, retrieve, answer with citations."""
from __future__ import annotations

from ingest.store import Index
from retrieval.answer import Answer, ExtractiveAnswerer
from retrieval.conversation import Conversation
from retrieval.retriever import Filters, HybridRetriever


class Assistant:
    def __init__(self, index: Index, mode: str = "hybrid", k: int = 5) -> None:
        self.index = index
        self.retriever = HybridRetriever(index=index, k=k, mode=mode)

    def ask(self, question: str, conversation: Conversation | None = None,
            filters: Filters | None = None) -> Answer:
        resolved = conversation.resolve(question) if conversation else question.strip()
        passages = self.retriever.search(resolved, filters=filters)
        answerer = ExtractiveAnswerer(idf=self.index.lexical().idf, document_text=self.index.document_text)
        answer = answerer.answer(resolved, passages)
        if conversation is not None:
            conversation.add(question, resolved, answer)
        return answer
