"""A briefing rewritten more fluently by the chat model, bullet by bullet verified
against the sentence it cites; a section whose rewrite fails verification keeps
its extractive bullets."""

from __future__ import annotations

import logging
import re

from langchain_core.messages import HumanMessage, SystemMessage

from index.records import DocRecord, Passage
from prompts import load
from retrieval.llm_answer import passages_block
from retrieval.verify import verify
from tools.briefing import SECTIONS, Briefing, Bullet

log = logging.getLogger(__name__)


def _passage(bullet: Bullet) -> Passage:
    """The cited sentence of a bullet, as the passage the model is shown."""
    c = bullet.citations[0]
    record = DocRecord(id=c.source, title=c.title, locality=bullet.locality, date=c.date)
    return Passage("", c.quote, c.start, c.end, c.section, record)


def _rewrite_section(chat_model, topic: str, key: str, bullets: list[Bullet]) -> list[Bullet]:
    """The model's bullets for one section, or [] when any line fails verification."""
    passages = [_passage(b) for b in bullets]
    try:
        reply = chat_model.invoke(
            [
                SystemMessage(load("answer_system")),
                HumanMessage(load("briefing", section=SECTIONS[key], topic=topic, passages=passages_block(passages))),
            ]
        )
    except Exception:  # any failure of the model keeps the extractive bullets
        log.warning("briefing rewrite failed, extractive bullets kept", exc_info=True)
        return []
    lines = [line.strip(" -•*") for line in str(reply.content).splitlines() if line.strip(" -•*")]
    rewritten = []
    for line in lines:
        check = verify(line, passages)
        if check.refused or check.problems or not check.citations:
            return []
        marks = [int(x) for x in re.findall(r"\[(\d+)\]", line)]
        cited = [bullets[m - 1].citations[0] for m in marks if 1 <= m <= len(bullets)]
        rewritten.append(Bullet(re.sub(r"\s*\[\d+\]", "", line), cited[0].locality if cited else "", cited))
    return rewritten


def rewrite_with_llm(briefing: Briefing, chat_model) -> Briefing:
    """More fluent bullets from the LLM, kept only where verification passes."""
    for key, bullets in briefing.sections.items():
        if not bullets:
            continue
        rewritten = _rewrite_section(chat_model, briefing.topic, key, bullets)
        if rewritten:
            briefing.sections[key] = rewritten
            briefing.mode = "llm"
    for n, c in enumerate(briefing.citations(), 1):  # renumber after any rewrite
        c.n = n
    return briefing
