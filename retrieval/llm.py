"""Optional LLM answers through LangChain chat models (Ollama or any
OpenAI-compatible server), verified against the passages they cite. An answer
that cites a passage it was not given, or states a number or name its cited
passage does not contain, never reaches the user as grounded: the extractive
answer is shown instead, with a short notice."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from langchain_core.documents import Document
from langchain_core.messages import HumanMessage, SystemMessage

from errors import ModelUnavailable
from ingest.vntext import fold, nfc
from prompts import load
from retrieval.answer import NOT_FOUND, Answer, Citation, ExtractiveAnswerer, _segments, _terms, cite, passage_context, quote_of

_MARK = re.compile(r"\[(\d{1,3})\]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b([A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)+)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def make_chat_model(settings):
    """The configured chat model; None when the answer mode is extractive."""
    if settings.answer_mode != "llm":
        return None
    if not settings.llm_model:
        raise ModelUnavailable("Chế độ LLM cần LLM_MODEL (tên mô hình).")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"  # ASCII: it travels in an HTTP header
    if settings.llm_provider == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(model=settings.llm_model, base_url=settings.llm_base_url or "http://127.0.0.1:11434",
                          temperature=0, client_kwargs={"timeout": settings.llm_timeout})
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(model=settings.llm_model, base_url=settings.llm_base_url, api_key=key, temperature=0,
                      timeout=settings.llm_timeout, max_retries=0)


def passages_block(passages: list[Document]) -> str:
    blocks = []
    for n, d in enumerate(passages, 1):
        m = d.metadata
        where = ", ".join(x for x in (m.get("locality"), m.get("date"), m.get("section")) if x)
        blocks.append(f"[{n}] {m.get('title', '')} ({where})\n<<<\n{d.page_content}\n>>>")
    return "\n\n".join(blocks)


@dataclass
class Check:
    citations: list[Citation]
    problems: list[str]
    refused: bool
    text: str


def _claims(sentence: str) -> tuple[list[str], list[str]]:
    body = _MARK.sub(" ", sentence)
    numbers = [n for n in _NUMBER.findall(body) if len(n.strip(".,")) > 0]
    names = [n for n in _NAME.findall(body)]
    return numbers, names


def _plain_number(number: str) -> str:
    """"46.500.000" and "46500000" compare equal, as do "01" and "1"."""
    return re.sub(r"[.,]", "", number).lstrip("0") or "0"


def verify(text: str, passages: list[Document]) -> Check:
    """Check every marker and every number/name against the cited passages, and
    build exact citations (the best-supporting sentence of each cited passage)."""
    text = nfc(text).strip()
    if not text or fold(NOT_FOUND).rstrip(".") in fold(text):
        return Check([], [], True, NOT_FOUND)
    problems, order, support = [], [], {}
    sentences = [s for s in _SENTENCE.split(text) if s and s.strip()]
    for sentence in sentences:
        marks = [int(n) for n in _MARK.findall(sentence)]
        numbers, names = _claims(sentence)
        bad = [n for n in marks if not 1 <= n <= len(passages)]
        if bad:
            problems.append(f"trích dẫn [{bad[0]}] không trỏ tới đoạn nào đã cung cấp")
            continue
        if not marks:
            if numbers or names:
                problems.append(f"câu không có trích dẫn: “{sentence.strip()[:80]}”")
            continue
        cited = " ".join(passage_context(passages[n - 1]) for n in marks)
        known = {_plain_number(n) for n in _NUMBER.findall(cited)}
        for number in numbers:
            if _plain_number(number) not in known:
                problems.append(f"số “{number}” không có trong đoạn được dẫn")
        for name in names:
            if fold(name) not in fold(cited):
                problems.append(f"tên “{name}” không có trong đoạn được dẫn")
        for n in marks:
            if n not in order:
                order.append(n)
            support.setdefault(n, []).append(_MARK.sub("", sentence))
    renumber = {old: new for new, old in enumerate(order, 1)}
    citations = []
    for old in order:
        doc = passages[old - 1]
        wanted = _terms(" ".join(support[old]))
        spans = _segments(doc) or [(int(doc.metadata.get("start", 0)), int(doc.metadata.get("end", 0)))]
        a, b = max(spans, key=lambda s: len(wanted & _terms(quote_of(doc, *s))))
        citations.append(cite(renumber[old], doc.metadata, quote_of(doc, a, b), a, b))
    renumbered = _MARK.sub(lambda mm: f"[{renumber.get(int(mm.group(1)), mm.group(1))}]", text)
    return Check(citations, problems, False, renumbered)


class LLMAnswerer:
    """Generate with the chat model, verify, and fall back to the extractive answer."""

    def __init__(self, chat_model, fallback: ExtractiveAnswerer) -> None:
        self.chat = chat_model
        self.fallback = fallback

    def messages(self, question: str, passages: list[Document]) -> list:
        return [SystemMessage(load("answer_system")),
                HumanMessage(load("answer_user", passages=passages_block(passages), question=question))]

    def finish(self, question: str, passages: list[Document], text: str) -> Answer:
        extractive = self.fallback.answer(question, passages)
        check = verify(text, passages)
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
        extractive.notice = f"Câu trả lời của mô hình ngôn ngữ không được dùng ({reason}); hiển thị trích đoạn nguyên văn."
        return extractive

    def answer(self, question: str, passages: list[Document]) -> Answer:
        if not passages:
            return self.fallback.answer(question, passages)
        try:
            reply = self.chat.invoke(self.messages(question, passages))
        except Exception as e:  # connection refused, timeout, HTTP errors: all fall back
            return self._fallback(self.fallback.answer(question, passages), describe_error(e))
        return self.finish(question, passages, str(reply.content))

    def stream(self, question: str, passages: list[Document]) -> "Streamed":
        return Streamed(self, question, passages)


class Streamed:
    """Iterate for text chunks as they arrive; `.answer` is the verified result."""

    def __init__(self, owner: LLMAnswerer, question: str, passages: list[Document]) -> None:
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
            self.answer = self.owner._fallback(self.owner.fallback.answer(self.question, self.passages),
                                               describe_error(e))
            return
        self.answer = self.owner.finish(self.question, self.passages, "".join(parts))


def describe_error(e: Exception) -> str:
    name = e.__class__.__name__.lower()
    if "timeout" in name:
        return "máy chủ mô hình không trả lời kịp (quá thời gian chờ)"
    if "connection" in name or "connect" in str(e).lower():
        return "không kết nối được máy chủ mô hình"
    status = getattr(e, "status_code", None)
    if status:
        return f"máy chủ mô hình báo lỗi HTTP {status}"
    return f"lỗi khi gọi mô hình ({e.__class__.__name__})"


class LLMRewriter:
    """Rewrite a follow-up into a stand-alone question with the chat model."""

    def __init__(self, chat_model) -> None:
        self.chat = chat_model

    def rewrite(self, history: list[str], question: str) -> str | None:
        prompt = load("rewrite", history="\n".join(f"- {q}" for q in history[-4:]), question=question)
        try:
            reply = str(self.chat.invoke([HumanMessage(prompt)]).content).strip()
        except Exception:
            return None
        line = reply.splitlines()[0].strip(" \"“”") if reply else ""
        return line if 3 <= len(line) <= 400 else None
