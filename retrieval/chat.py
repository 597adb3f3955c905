"""Chat models through LangChain (Ollama or any OpenAI-compatible server): the
factory, a plain description of their failures, and the follow-up rewriter."""

from __future__ import annotations

import logging

from langchain_core.messages import HumanMessage

from errors import ModelUnavailable
from prompts import load

log = logging.getLogger(__name__)


def make_chat_model(settings):
    """The configured chat model; None when the answer mode is extractive."""
    if settings.answer_mode != "llm":
        return None
    if not settings.llm_model:
        raise ModelUnavailable("Chế độ LLM cần LLM_MODEL (tên mô hình).")
    key = (
        settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    )  # ASCII: it travels in an HTTP header
    if settings.llm_provider == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(
            model=settings.llm_model,
            base_url=settings.llm_base_url or "http://127.0.0.1:11434",
            temperature=0,
            client_kwargs={"timeout": settings.llm_timeout},
        )
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=key,
        temperature=0,
        timeout=settings.llm_timeout,
        max_retries=0,
    )


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
            log.warning("follow-up rewrite failed, rule-based resolution used", exc_info=True)
            return None
        line = reply.splitlines()[0].strip(' "“”') if reply else ""
        return line if 3 <= len(line) <= 400 else None
