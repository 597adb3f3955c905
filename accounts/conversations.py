"""Each person's conversations, kept across reloads and listed in their sidebar, and the
feedback they give on answers. A conversation is found by an unguessable key (in the
page's address) *and* its owner: another person's key opens nothing."""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update

from accounts.store import conversations, feedback
from retrieval.conversation import Conversation
from retrieval.types import Answer

KEY = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16)
KEEP_DAYS = 90  # a conversation untouched this long is deleted
VERDICTS = ("đúng", "sai")


def new_key() -> str:
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Kept:
    key: str
    title: str
    touched: float


class History:
    def __init__(self, db: Engine) -> None:
        self.db = db

    def load(self, key: str, owner: str) -> Conversation | None:
        """The owner's conversation under `key`; None for a malformed key, an unknown one,
        or one of another person (the same to the caller: see `owned_by_other`)."""
        if not KEY.fullmatch(key or ""):
            return None
        with self.db.connect() as conn:
            row = conn.execute(select(conversations).where(conversations.c.key == key)).first()
        if row is None or row.owner != owner:
            return None
        return Conversation.from_dict(json.loads(row.data))

    def owned_by_other(self, key: str, owner: str) -> bool:
        """Whether `key` is another person's conversation (for the audit trail only)."""
        if not KEY.fullmatch(key or ""):
            return False
        with self.db.connect() as conn:
            row = conn.execute(select(conversations.c.owner).where(conversations.c.key == key)).first()
        return row is not None and row.owner != owner

    def save(self, key: str, owner: str, conversation: Conversation) -> None:
        if not KEY.fullmatch(key):
            raise ValueError("malformed conversation key")
        data = json.dumps(conversation.as_dict(), ensure_ascii=False)
        title = " ".join(conversation.turns[0].question.split())[:200] if conversation.turns else ""
        now = time.time()
        with self.db.begin() as conn:
            row = conn.execute(select(conversations.c.owner).where(conversations.c.key == key)).first()
            if row is not None and row.owner != owner:
                raise ValueError("conversation key of another person")
            if row is None:
                conn.execute(insert(conversations).values(key=key, owner=owner, title=title, data=data, touched=now))
            else:
                conn.execute(
                    update(conversations).where(conversations.c.key == key).values(title=title, data=data, touched=now)
                )
            conn.execute(delete(conversations).where(conversations.c.touched < now - KEEP_DAYS * 86400))

    def forget(self, key: str, owner: str) -> None:
        with self.db.begin() as conn:
            conn.execute(delete(conversations).where(conversations.c.key == key, conversations.c.owner == owner))

    def listed(self, owner: str, limit: int = 30) -> list[Kept]:
        """The owner's conversations, most recent first."""
        query = (
            select(conversations.c.key, conversations.c.title, conversations.c.touched)
            .where(conversations.c.owner == owner)
            .order_by(conversations.c.touched.desc())
            .limit(limit)
        )
        with self.db.connect() as conn:
            return [Kept(r.key, r.title, r.touched) for r in conn.execute(query)]


def give_feedback(
    db: Engine, owner: str, unit: str, key: str, turn: int, question: str, answer: Answer, verdict: str, comment: str
) -> None:
    """Keep a verdict on one answer, with what it cited."""
    if verdict not in VERDICTS:
        raise ValueError("verdict")
    cited = [{"source": c.source, "start": c.start, "end": c.end, "quote": c.quote} for c in answer.citations]
    with db.begin() as conn:
        conn.execute(
            insert(feedback).values(
                owner=owner,
                unit=unit,
                conversation=key,
                turn=turn,
                question=question,
                answer=answer.answer,
                cited=json.dumps(cited, ensure_ascii=False),
                verdict=verdict,
                comment=comment.strip()[:2000],
                at=time.time(),
            )
        )


def wrong_answers(db: Engine, units: set[str] | None) -> list[dict]:
    """Answers marked wrong (of people of `units`; None: everyone), as questions in the shape
    of the evaluation sets (`../shared/eval/README.md`): `sources` and `answer_keys` are left
    for the person labelling them to fill; what was answered, cited and said comes along."""
    query = select(feedback).where(feedback.c.verdict == "sai").order_by(feedback.c.id)
    if units is not None:
        query = query.where(feedback.c.unit.in_(sorted(units)))
    with db.connect() as conn:
        found = list(conn.execute(query))
    return [
        {
            "id": f"phan-hoi-{r.id}",
            "question": r.question,
            "answerable": True,
            "sources": [],
            "answer_keys": [],
            "reported_by": r.owner,
            "comment": r.comment,
            "wrong_answer": r.answer,
            "cited": json.loads(r.cited or "[]"),
        }
        for r in found
    ]
