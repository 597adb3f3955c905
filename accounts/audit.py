"""The audit trail: append-only rows, each holding the hash of the one before, so an
edited, inserted or deleted row breaks the chain (`verify`). What is recorded: who, when,
from where, what they did, to what, and small details (never a password, a token or a
document's text)."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass

from sqlalchemy import Engine, insert, select, update

from accounts.store import GENESIS, audit, audit_head


@dataclass
class Row:
    id: int
    at: str
    actor: str
    unit: str
    action: str
    target: str
    detail: str
    address: str
    prev: str
    hash: str

    def digest(self) -> str:
        fields = [str(self.id), self.at, self.actor, self.unit, self.action, self.target, self.detail, self.address]
        return hashlib.sha256((self.prev + "\x1f".join(fields)).encode("utf-8")).hexdigest()

    def as_dict(self) -> dict:
        return asdict(self)


def append(
    db: Engine, actor: str, action: str, target: str = "", detail: dict | None = None, unit: str = "", address: str = ""
) -> Row:
    """Add a row at the end of the chain (one writer at a time: the head row is locked)."""
    text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)
    with db.begin() as conn:
        head = conn.execute(select(audit_head).where(audit_head.c.one == 1).with_for_update()).one()
        last, prev = head.last, head.hash
        at = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime())
        row = Row(last + 1, at, actor, unit, action, target, text, address, prev, "")
        row.hash = row.digest()
        conn.execute(insert(audit).values(**row.as_dict()))
        conn.execute(update(audit_head).where(audit_head.c.one == 1).values(last=row.id, hash=row.hash))
    return row


def rows(
    db: Engine,
    actor: str | None = None,
    since: str | None = None,
    units: set[str] | None = None,
    limit: int | None = None,
) -> list[Row]:
    """Rows oldest first; `units`: only those of actors of these units (a unit administrator's view)."""
    query = select(audit).order_by(audit.c.id)
    if actor:
        query = query.where(audit.c.actor == actor)
    if since:
        query = query.where(audit.c.at >= since)
    if units is not None:
        query = query.where(audit.c.unit.in_(sorted(units)))
    if limit:
        query = query.limit(limit)
    with db.connect() as conn:
        return [Row(**r._asdict()) for r in conn.execute(query)]


def verify(db: Engine) -> list[str]:
    """What is wrong with the chain (empty when intact): a row whose hash does not match
    its content, a link to a row that is not the one before, a missing id, a missing tail."""
    problems: list[str] = []
    prev, expected = GENESIS, 1
    with db.connect() as conn:
        for r in conn.execute(select(audit).order_by(audit.c.id)):
            row = Row(**r._asdict())
            if row.id != expected:
                problems.append(f"thiếu dòng {expected}–{row.id - 1}" if row.id > expected else f"dòng {row.id} lặp")
            if row.prev != prev:
                problems.append(f"dòng {row.id}: không nối với dòng trước")
            if row.digest() != row.hash:
                problems.append(f"dòng {row.id}: nội dung đã bị sửa")
            prev, expected = row.hash, row.id + 1
        head = conn.execute(select(audit_head)).first()
    if head is None:
        problems.append("mất dấu dòng cuối của sổ")
    elif head.last != expected - 1 or head.hash != prev:
        problems.append(f"thiếu dòng cuối: sổ ghi đến dòng {head.last}, còn lại đến dòng {expected - 1}")
    return problems
