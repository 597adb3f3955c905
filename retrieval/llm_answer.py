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
from retrieval.answer import POOL, Answer, ExtractiveAnswerer
from retrieval.chat import describe_error
from retrieval.spans import neutral, without_instructions
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

    def __init__(self, chat_model, fallback: ExtractiveAnswerer) -> None:
        self.chat = chat_model
        self.fallback = fallback

    def messages(self, question: str, passages: list[Passage]) -> list:
        """The prompt: the first POOL passages (the extractive fallback may read more)."""
        return [
            SystemMessage(load("answer_system")),
            HumanMessage(load("answer_user", passages=passages_block(passages[:POOL]), question=question)),
        ]

    def finish(self, question: str, passages: list[Passage], text: str) -> Answer:
        extractive = self.fallback.answer(question, passages)
        check = verify(text, passages[:POOL])
        if check.refused:
            if extractive.refused:
                return extractive
            return self._fallback(extractive, "mô hình không tìm thấy câu trả lời trong các đoạn trích")
        if check.problems or not check.citations:
            reason = check.problems[0] if check.problems else "câu trả lời không có trích dẫn hợp lệ"
            return self._fallback(extractive, reason)
        return Answer(check.text, False, check.citations, [], question, mode="llm")

    @staticmethod
    def _fallback(extractive: Answer, reason: str) -> Answer:
        extractive.notice = (
            f"Câu trả lời của mô hình ngôn ngữ không được dùng ({reason}); hiển thị trích đoạn nguyên văn."
        )
        return extractive

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        if not passages:
            return self.fallback.answer(question, passages)
        try:
            reply = self.chat.invoke(self.messages(question, passages))
        except Exception as e:  # connection refused, timeout, HTTP errors: all fall back
            log.warning("chat model failed, extractive answer shown: %s", e, exc_info=True)
            return self._fallback(self.fallback.answer(question, passages), describe_error(e))
        return self.finish(question, passages, str(reply.content))

    def stream(self, question: str, passages: list[Passage]) -> Streamed:
        return Streamed(self, question, passages)


class Streamed:
    """Iterate for text chunks as they arrive; `.answer` is the verified result."""

    def __init__(self, owner: LLMAnswerer, question: str, passages: list[Passage]) -> None:
        self.owner, self.question, self.passages = owner, question, passages
        self.answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        parts: list[str] = []
        try:
            for chunk in self.owner.chat.stream(self.owner.messages(self.question, self.passages)):
                piece = str(chunk.content)
                parts.append(piece)
                yield piece
        except Exception as e:
            log.warning("chat model stream failed, extractive answer shown: %s", e, exc_info=True)
            self.answer = self.owner._fallback(
                self.owner.fallback.answer(self.question, self.passages), describe_error(e)
            )
            return
        self.answer = self.owner.finish(self.question, self.passages, "".join(parts))
