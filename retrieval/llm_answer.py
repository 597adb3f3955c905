"""Optional LLM answers, verified against the passages they cite. An answer that
cites a passage it was not given, or states a number or name its cited passage
does not contain, never reaches the user as grounded: the extractive answer is
shown instead, with a short notice."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from langchain_core.messages import HumanMessage, SystemMessage

from index.records import Passage
from prompts import load
from retrieval.chat import describe_error
from retrieval.params import PARAMS
from retrieval.question import Question
from retrieval.spans import neutral, without_instructions
from retrieval.texts import DocumentTexts
from retrieval.types import Answer, Answerer, Mode
from retrieval.verify import verify

log = logging.getLogger(__name__)


def passages_block(passages: list[Passage]) -> str:
    """The numbered passages as the prompt shows them, each fenced as data."""
    blocks = []
    for n, p in enumerate(passages, 1):
        where = ", ".join(x for x in (p.record.locality, p.record.date, p.section) if x)
        body = neutral(without_instructions(p.text))
        blocks.append(f"[{n}] {neutral(p.record.title)} ({where})\n<<<\n{body}\n>>>")
    return "\n\n".join(blocks)


class LLMAnswerer:
    """Generate with the chat model, verify, and fall back to the extractive answer."""

    def __init__(self, chat_model, fallback: Answerer) -> None:
        self.chat = chat_model
        self.fallback = fallback

    def messages(self, q: Question, passages: list[Passage]) -> list:
        """The prompt: the first pool passages (the extractive fallback may read more)."""
        block = passages_block(passages[: PARAMS.pool])
        return [
            SystemMessage(load("answer_system")),
            HumanMessage(load("answer_user", passages=block, question=q.typed)),
        ]

    def finish(self, q: Question, passages: list[Passage], text: str, texts: DocumentTexts | None = None) -> Answer:
        extractive = self.fallback.answer(q, passages, texts)
        check = verify(text, passages[: PARAMS.pool])
        if check.refused:
            if extractive.refused:
                return extractive
            return self._fallback(extractive, "mô hình không tìm thấy câu trả lời trong các đoạn trích")
        if check.problems or not check.citations:
            reason = check.problems[0] if check.problems else "câu trả lời không có trích dẫn hợp lệ"
            return self._fallback(extractive, reason)
        return Answer(check.text, False, check.citations, [], q.typed, mode=Mode.LLM, kind=q.kind)

    @staticmethod
    def _fallback(extractive: Answer, reason: str) -> Answer:
        extractive.notice = (
            f"Câu trả lời của mô hình ngôn ngữ không được dùng ({reason}); hiển thị trích đoạn nguyên văn."
        )
        return extractive

    def failed(self, q: Question, passages: list[Passage], texts: DocumentTexts | None, e: Exception) -> Answer:
        """The extractive answer, with why the model's was not shown."""
        return self._fallback(self.fallback.answer(q, passages, texts), describe_error(e))

    def answer(self, q: Question, passages: list[Passage], texts: DocumentTexts | None = None) -> Answer:
        if not passages:
            return self.fallback.answer(q, passages, texts)
        try:
            reply = self.chat.invoke(self.messages(q, passages))
        except Exception as e:  # connection refused, timeout, HTTP errors: all fall back
            log.warning("chat model failed, extractive answer shown: %s", e, exc_info=True)
            return self.failed(q, passages, texts, e)
        return self.finish(q, passages, str(reply.content), texts)

    def stream(self, q: Question, passages: list[Passage], texts: DocumentTexts | None = None) -> Streamed:
        return Streamed(self, q, passages, texts)


class Streamed:
    """Iterate for text chunks as they arrive; `.answer` is the verified result."""

    def __init__(
        self, owner: LLMAnswerer, q: Question, passages: list[Passage], texts: DocumentTexts | None = None
    ) -> None:
        self.owner, self.q, self.passages, self.texts = owner, q, passages, texts
        self.answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        parts: list[str] = []
        try:
            for chunk in self.owner.chat.stream(self.owner.messages(self.q, self.passages)):
                piece = str(chunk.content)
                parts.append(piece)
                yield piece
        except Exception as e:  # the same fallbacks as `answer`
            log.warning("chat model stream failed, extractive answer shown: %s", e, exc_info=True)
            self.answer = self.owner.failed(self.q, self.passages, self.texts, e)
            return
        self.answer = self.owner.finish(self.q, self.passages, "".join(parts), self.texts)
