"""The audit trail: append-only rows, each holding the hash of the one before, so an
edited, inserted or deleted row breaks the chain (`verify`). What is recorded: who, when,
from where, what they did, to what, and small details (never a password, a token or a
document's text)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import asdict, dataclass

from sqlalchemy import Engine, bindparam, func, insert, select, update

from accounts.store import GENESIS, audit, audit_head
from errors import AppError


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

    def digest(self, key: bytes | None = None) -> str:
        """SHA-256 of the row and the hash before it; with `key`, HMAC-SHA256 (a seal that
        someone who can write to the database but lacks the key cannot remake)."""
        fields = [str(self.id), self.at, self.actor, self.unit, self.action, self.target, self.detail, self.address]
        if key:  # JSON: no text can move from one field to the next under the same seal
            sealed = json.dumps([self.prev, *fields], ensure_ascii=False).encode("utf-8")
            return hmac.new(key, sealed, hashlib.sha256).hexdigest()
        return hashlib.sha256((self.prev + "\x1f".join(fields)).encode("utf-8")).hexdigest()

    def sealed(self, key: bytes | None) -> str | None:
        """How its hash was made: "plain", "keyed", or None (by neither: the row was edited)."""
        if self.digest() == self.hash:
            return "plain"
        return "keyed" if key and hmac.compare_digest(self.digest(key), self.hash) else None

    def as_dict(self) -> dict:
        return asdict(self)


def append(
    db: Engine,
    actor: str,
    action: str,
    target: str = "",
    detail: dict | None = None,
    unit: str = "",
    address: str = "",
    key: bytes | None = None,
) -> Row:
    """Add a row at the end of the chain (one writer at a time: the head row is locked),
    sealed with `key` when the deployment has one (AUDIT_KEY_FILE)."""
    text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)
    with db.begin() as conn:
        head = conn.execute(select(audit_head).where(audit_head.c.one == 1).with_for_update()).one()
        last, prev = head.last, head.hash
        at = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime())
        row = Row(last + 1, at, actor, unit, action, target, text, address, prev, "")
        row.hash = row.digest(key)
        conn.execute(insert(audit).values(**row.as_dict()))
        conn.execute(update(audit_head).where(audit_head.c.one == 1).values(last=row.id, hash=row.hash))
    return row


def _where(query, actor: str | None, since: str | None, units: set[str] | None, actions: list[str] | None):
    if actor:
        query = query.where(audit.c.actor == actor)
    if since:
        query = query.where(audit.c.at >= since)
    if units is not None:
        query = query.where(audit.c.unit.in_(sorted(units)))
    if actions:
        query = query.where(audit.c.action.in_(actions))
    return query


def rows(
    db: Engine,
    actor: str | None = None,
    since: str | None = None,
    units: set[str] | None = None,
    actions: list[str] | None = None,
    newest: int | None = None,
) -> list[Row]:
    """Rows oldest first (`newest`: only that many, the newest, newest first); `units`: only
    those of actors of these units (a unit administrator's view); `actions`: only these."""
    query = _where(select(audit), actor, since, units, actions)
    query = query.order_by(audit.c.id.desc()).limit(newest) if newest else query.order_by(audit.c.id)
    with db.connect() as conn:
        return [Row(**r._asdict()) for r in conn.execute(query)]


def count(
    db: Engine,
    actor: str | None = None,
    since: str | None = None,
    units: set[str] | None = None,
    actions: list[str] | None = None,
) -> int:
    with db.connect() as conn:
        return conn.execute(_where(select(func.count()).select_from(audit), actor, since, units, actions)).scalar_one()


@dataclass(frozen=True)
class Check:
    problems: list[str]  # empty when intact
    last: int  # the last row checked, and its hash: where the next check may start
    hash: str


def verify(db: Engine, key: bytes | None = None, anchor: tuple[int, str] | None = None) -> list[str]:
    """What is wrong with the whole chain (empty when intact)."""
    return check(db, key=key, anchor=anchor).problems


def check(
    db: Engine,
    after: tuple[int, str] | None = None,
    key: bytes | None = None,
    anchor: tuple[int, str] | None = None,
) -> Check:
    """Check the chain, whole or from a row checked before (`after`: its id and hash; that
    row must still hold that hash): a row whose hash does not match its content, a link to
    a row that is not the one before, a missing id, a missing tail. With `key`, every row
    must be sealed with it; `anchor`: the last row `seal` sealed and its hash, kept beside
    the key (a chain rewritten whole, or cut before it, no longer holds it)."""
    problems: list[str] = []
    prev, expected = (after[1], after[0] + 1) if after else (GENESIS, 1)
    unsealed: list[int] = []
    with db.connect() as conn:
        if conn.dialect.name != "sqlite":  # one snapshot while others append (SQLite's reads lock)
            conn.execution_options(isolation_level="REPEATABLE READ")
        if anchor:
            held = conn.execute(select(audit.c.hash).where(audit.c.id == anchor[0])).scalar()
            if held != anchor[1]:
                problems.append(f"dòng {anchor[0]} (mốc lúc ký nhật ký) đã bị sửa hoặc xóa")
        if after:
            kept = conn.execute(select(audit).where(audit.c.id == after[0])).first()
            if kept is None or kept.hash != after[1] or Row(**kept._asdict()).sealed(key) is None:
                problems.append(f"dòng {after[0]}: đã bị sửa hoặc xóa sau lần kiểm tra trước")
        for r in conn.execute(select(audit).where(audit.c.id >= expected).order_by(audit.c.id)):
            row = Row(**r._asdict())
            if row.id != expected:
                problems.append(f"thiếu dòng {expected}–{row.id - 1}" if row.id > expected else f"dòng {row.id} lặp")
            if row.prev != prev:
                problems.append(f"dòng {row.id}: không nối với dòng trước")
            seal = row.sealed(key)
            if seal is None:
                problems.append(f"dòng {row.id}: nội dung đã bị sửa")
            elif seal == "plain" and key:
                unsealed.append(row.id)
            prev, expected = row.hash, row.id + 1
        head = conn.execute(select(audit_head)).first()
    if unsealed:  # remade without the key (or, before the first seal, written before the key)
        problems.append(f"{len(unsealed)} dòng không có chữ ký khóa, từ dòng {unsealed[0]} đến {unsealed[-1]}")
    if head is None:
        problems.append("mất dấu dòng cuối của sổ")
    elif head.last != expected - 1 or head.hash != prev:
        problems.append(f"thiếu dòng cuối: sổ ghi đến dòng {head.last}, còn lại đến dòng {expected - 1}")
    return Check(problems, expected - 1, prev)


def seal(db: Engine, key: bytes) -> tuple[int, str]:
    """Seal the whole chain with `key`, once, when a deployment starts keeping one: every
    row's hash is remade as HMAC-SHA256, in one transaction with the head locked (the audit
    table too, on PostgreSQL). Each row is checked first, inside that transaction: it must
    link to the one before and match its plain hash, or its seal when rows were already
    written with the key; a plain row after a sealed one is an edit. (The id and hash of the
    last row sealed.)"""
    with db.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("LOCK TABLE audit IN EXCLUSIVE MODE")
        head = conn.execute(select(audit_head).where(audit_head.c.one == 1).with_for_update()).one()
        old_prev, new_prev, keyed = GENESIS, GENESIS, False
        changes: list[dict[str, object]] = []
        for r in conn.execute(select(audit).order_by(audit.c.id)).all():
            row = Row(**r._asdict())
            seal = row.sealed(key)
            if row.id != len(changes) + 1 or row.prev != old_prev or seal is None or (keyed and seal == "plain"):
                raise AppError(f"Nhật ký đã bị sửa hoặc xóa ở dòng {row.id}, không ký được; hãy kiểm tra (--verify).")
            keyed = keyed or seal == "keyed"
            old_prev, row.prev = row.hash, new_prev
            row.hash = new_prev = row.digest(key)
            changes.append({"rid": row.id, "p": row.prev, "h": row.hash})
        if head.last != len(changes) or head.hash != old_prev:
            raise AppError("Nhật ký thiếu dòng cuối, không ký được; hãy kiểm tra (--verify).")
        if changes:
            conn.execute(
                update(audit).where(audit.c.id == bindparam("rid")).values(prev=bindparam("p"), hash=bindparam("h")),
                changes,
            )
        conn.execute(update(audit_head).where(audit_head.c.one == 1).values(hash=new_prev))
    return len(changes), new_prev
