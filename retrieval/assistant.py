"""One entry for a question: read it once (follow-ups resolved), retrieve, answer with
citations. Every request goes through `Assistant.ask` (or `ask_stream`): the command
line, the browser and the evaluation."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator

from errors import EmptyQuestion, QuestionTooLong
from index.records import Passage
from index.store import Index
from retrieval.chat import LLMRewriter
from retrieval.conversation import Conversation
from retrieval.filters import Filters
from retrieval.kinds import Kind
from retrieval.learned import LearnedAnswerer
from retrieval.llm_answer import LLMAnswerer, Streamed
from retrieval.params import PARAMS
from retrieval.question import MAX_QUESTION_CHARS, Question, clean
from retrieval.retriever import HybridRetriever
from retrieval.rules import RulesAnswerer
from retrieval.strategies import STRATEGIES, Request, Strategy
from retrieval.texts import DocumentTexts
from retrieval.types import Answer, Answerer
from vietnamese.numbers import number_vi

# The extractive answerers by the name ANSWER_SCORER gives them, each made for an index as it is now.
SCORERS: dict[str, Callable[[Index], Answerer]] = {
    "rules": RulesAnswerer.for_index,
    "learned": LearnedAnswerer.for_index,
}


class Ready:
    """An answer with nothing to stream, shaped like `Streamed` (iterate, then `.answer`)."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer

    def __iter__(self) -> Iterator[str]:
        return iter(())


class Assistant:
    """Extractive by default; with a chat model, LLM answers verified against the
    passages (falling back to the extractive answer)."""

    def __init__(
        self,
        index: Index,
        mode: str = "hybrid",
        k: int = 5,
        chat_model=None,
        scorer: str = "rules",
        strategies: dict[Kind, Strategy] | None = None,
    ) -> None:
        if scorer not in SCORERS:
            raise ValueError(f"scorer must be one of {sorted(SCORERS)}")
        self.index = index
        self.scorer = scorer
        self.retriever = HybridRetriever(index=index, k=max(k, PARAMS.pool_across), mode=mode)
        self.chat_model = chat_model
        self.strategies = STRATEGIES if strategies is None else strategies

    def seen_by(self, index: Index) -> Assistant:
        """This assistant reading through another index: a reader's view (`index.view`),
        sharing the model, caches and strategies."""
        other = copy.copy(self)
        other.index = index
        other.retriever = self.retriever.model_copy(update={"index": index})
        return other

    def answerer(self) -> Answerer:
        """The answerer for the index as it is now (its word statistics change with it)."""
        extractive = SCORERS[self.scorer](self.index)
        return LLMAnswerer(self.chat_model, extractive) if self.chat_model is not None else extractive

    def read(self, question: str, conversation: Conversation | None = None) -> Question:
        """The question read once against the corpus; a follow-up is resolved first
        ("Còn Đồng Nai thì sao?") and the stand-alone question read."""
        if len(question) > MAX_QUESTION_CHARS:  # before any reading: 200,000 characters took minutes
            raise QuestionTooLong(
                f"Câu hỏi dài {number_vi(len(question))} ký tự, vượt giới hạn {number_vi(MAX_QUESTION_CHARS)} ký tự; hãy hỏi ngắn gọn hơn."
            )
        typed = clean(question)
        if not typed:
            raise EmptyQuestion("Hãy nhập một câu hỏi.")
        self.index.refresh()  # documents another process committed are seen at once
        restorer = self.index.lexical().restorer
        q = Question.of(typed, restorer)
        if conversation is not None and conversation.turns:
            rewriter = LLMRewriter(self.chat_model) if self.chat_model is not None else None
            resolved = conversation.resolve(q, rewriter, restorer.restore)
            if resolved != q.typed:
                q = Question.read(resolved, restorer)
        return q

    def ask(self, question: str, conversation: Conversation | None = None, filters: Filters | None = None) -> Answer:
        q = self.read(question, conversation)
        passages = self.retriever.search(q, filters=filters)
        texts = DocumentTexts(self.index.document_text)
        answer = self.by_strategy(q, passages, texts, filters) or self.answerer().answer(q, passages, texts)
        answer.passages = passages
        self.remember(conversation, question, answer)
        return answer

    def by_strategy(
        self, q: Question, passages: list[Passage], texts: DocumentTexts, filters: Filters | None
    ) -> Answer | None:
        """The answer of the strategy registered for the question's kind; None for a lookup."""
        strategy = self.strategies.get(q.kind)
        if strategy is None:
            return None
        return strategy.answer(Request(q, passages, texts, self.index, self.retriever, self.answerer(), filters))

    def ask_stream(
        self, question: str, conversation: Conversation | None = None, filters: Filters | None = None
    ) -> Streamed | Ready:
        """LLM mode only: iterate the returned object for text, then read `.answer`. A
        request a strategy answers (a summary, a comparison…) is answered as `ask` does,
        with nothing to stream. The turn is added to the conversation by `remember`."""
        q = self.read(question, conversation)
        passages = self.retriever.search(q, filters=filters)
        texts = DocumentTexts(self.index.document_text)
        answer = self.by_strategy(q, passages, texts, filters)
        if answer is not None:
            return Ready(answer)
        extractive = SCORERS[self.scorer](self.index)
        return LLMAnswerer(self.chat_model, extractive).stream(q, passages, texts)

    @staticmethod
    def remember(conversation: Conversation | None, question: str, answer: Answer) -> None:
        """Add a turn; `answer.question` is the question as resolved and answered."""
        if conversation is not None:
            conversation.add(question, answer.question, answer)
