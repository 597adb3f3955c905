"""One entry for a question: resolve follow-ups, retrieve, answer with citations."""

from __future__ import annotations

from errors import EmptyQuestion
from index.store import Index
from retrieval.answer import POOL_ACROSS, Answer, ExtractiveAnswerer
from retrieval.chat import LLMRewriter
from retrieval.conversation import Conversation
from retrieval.filters import Filters
from retrieval.learned import LearnedAnswerer
from retrieval.llm_answer import LLMAnswerer, Streamed
from retrieval.retriever import HybridRetriever
from vietnamese.normalize import nfc, strip_invisible


class Assistant:
    """Extractive by default; with a chat model, LLM answers verified against the
    passages (falling back to the extractive answer)."""

    def __init__(self, index: Index, mode: str = "hybrid", k: int = 5, chat_model=None, scorer: str = "rules") -> None:
        self.index = index
        self.scorer = scorer
        k = max(k, POOL_ACROSS)  # answers per locality read 10 passages
        self.retriever = HybridRetriever(index=index, k=k, mode=mode)
        self.chat_model = chat_model

    def extractive(self) -> ExtractiveAnswerer | LearnedAnswerer:
        if self.scorer == "learned":
            return LearnedAnswerer.for_index(self.index)
        return ExtractiveAnswerer.for_index(self.index)

    def _prepare(self, question: str, conversation: Conversation | None, filters: Filters | None):
        question = " ".join(strip_invisible(nfc(question)).split())
        if not question:
            raise EmptyQuestion("Hãy nhập một câu hỏi.")
        self.index.refresh()  # documents another process committed are seen at once
        rewriter = LLMRewriter(self.chat_model) if self.chat_model is not None else None
        restore = self.index.lexical().restorer.restore
        resolved = conversation.resolve(question, rewriter, restore) if conversation else question.strip()
        return resolved, self.retriever.search(resolved, filters=filters)

    def ask(self, question: str, conversation: Conversation | None = None, filters: Filters | None = None) -> Answer:
        resolved, passages = self._prepare(question, conversation, filters)
        if self.chat_model is not None:
            answer = LLMAnswerer(self.chat_model, self.extractive()).answer(resolved, passages)
        else:
            answer = self.extractive().answer(resolved, passages)
        self.remember(conversation, question, answer)
        return answer

    def ask_stream(
        self, question: str, conversation: Conversation | None = None, filters: Filters | None = None
    ) -> Streamed:
        """LLM mode only: iterate the returned object for text, then read `.answer`.
        The turn is added to the conversation by `remember`."""
        resolved, passages = self._prepare(question, conversation, filters)
        return LLMAnswerer(self.chat_model, self.extractive()).stream(resolved, passages)

    @staticmethod
    def remember(conversation: Conversation | None, question: str, answer: Answer) -> None:
        """Add a turn; `answer.question` is the question as resolved and answered."""
        if conversation is not None:
            conversation.add(question, answer.question, answer)
