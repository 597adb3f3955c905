"""Signing in: a local password (Argon2id) or a bind to the organisation's directory
(LDAP / Active Directory); failed attempts limited per account and per address; sessions
that end after idle and absolute limits, on sign-out, or when the account is disabled."""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, insert, select, update

from accounts import audit
from accounts.access import Person
from accounts.directory import HASHER, Directory, UnknownUser, valid_name
from accounts.store import audit_head, failures, sessions
from errors import AppError

log = logging.getLogger(__name__)
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
# A hash to check against when the account does not exist: the answer takes as long.
_DUMMY = HASHER.hash(secrets.token_urlsafe(16))


class SignInRefused(AppError):
    pass


@dataclass(frozen=True)
class Limits:
    account_failures: int = 5  # failed attempts per account within `window` before it is locked
    address_failures: int = 20  # per address
    window: float = 900.0  # seconds
    idle: float = 1800.0  # a session unused this long ends
    absolute: float = 43200.0  # and any session after this long

    @classmethod
    def of(cls, settings) -> Limits:
        return cls(
            settings.signin_account_failures,
            settings.signin_address_failures,
            settings.signin_window_minutes * 60,
            settings.session_idle_minutes * 60,
            settings.session_hours * 3600,
        )


@dataclass(frozen=True)
class Checker:
    """Where passwords are checked: "local" (the accounts database) or "ldap"."""

    kind: str = "local"
    ldap_url: str = ""
    ldap_user_dn: str = ""  # "uid={name},ou=people,dc=example,dc=org"
    ldap_ca_file: str = ""  # the directory's CA (else the system's); its certificate is always checked


class SignIn:
    def __init__(self, db: Engine, limits: Limits, checker: Checker = Checker(), key: bytes | None = None) -> None:
        self.db = db
        self.directory = Directory(db)
        self.limits = limits
        self.checker = checker
        self.key = key  # the audit trail's seal (AUDIT_KEY_FILE)

    def _record(self, actor: str, action: str, **fields) -> None:
        """A row of the audit trail, sealed with the deployment's key when it has one."""
        audit.append(self.db, actor, action, key=self.key, **fields)

    def password(self, name: str, password: str, address: str = "", confirming: bool = False) -> Person:
        """The person `name` signs in as with `password`; SignInRefused (one message for a
        wrong name or password, another for a locked account or address). `confirming`: an
        account re-entering its password (to change it) is limited the same way, and not
        recorded as a sign-in."""
        # the directory matches names without case: so do the limits and accounts
        name = name.strip().casefold() if self.checker.kind == "ldap" else name.strip()
        counted = name if valid_name(name) else "?"  # a password typed as a name is not stored
        if not self._attempt(counted, address):
            self._record(counted, "sign_in_locked", address=address)
            raise SignInRefused(
                f"Đăng nhập tạm khóa vì sai nhiều lần; hãy thử lại sau {self.limits.window / 60:.0f} phút."
            )
        try:
            person = self._checked(name, password)
        except SignInRefused:  # the attempt stays counted as a failure
            self._record(counted, "sign_in_failed", address=address)
            raise
        with self.db.begin() as conn:  # a success clears the account's failures from this address
            conn.execute(delete(failures).where(failures.c.account == name, failures.c.address == address))
        if not confirming:
            self._record(person.name, "sign_in", unit=person.unit, address=address, detail={"via": self.checker.kind})
        return person

    def _attempt(self, name: str, address: str) -> bool:
        """Count an attempt as a failure before the password is checked, unless the account or
        the address is locked (False). Counting and adding are one transaction, serialised
        (SQLite's BEGIN IMMEDIATE; on PostgreSQL the audit head's row lock), so parallel
        attempts cannot all pass under the limit."""
        since = time.time() - self.limits.window
        with self.db.begin() as conn:
            conn.execute(select(audit_head.c.one).with_for_update()).all()
            by_account = conn.execute(
                select(func.count()).where(failures.c.account == name, failures.c.at >= since)
            ).scalar_one()
            by_address = conn.execute(
                select(func.count()).where(failures.c.address == address, failures.c.at >= since)
            ).scalar_one()
            if by_account >= self.limits.account_failures or (
                bool(address) and by_address >= self.limits.address_failures
            ):
                return False
            conn.execute(insert(failures).values(account=name, address=address, at=time.time()))
        return True

    def _checked(self, name: str, password: str) -> Person:
        if not valid_name(name) or not password:  # an invalid name is never bound nor stored
            raise SignInRefused(WRONG)
        if self.checker.kind == "ldap":
            return self._ldap(name, password)
        row = self.directory.row(name)
        good = HASHER.verify(password, row.password if row is not None and row.password else _DUMMY)
        if not good or row is None or row.disabled or row.source != "local":
            raise SignInRefused(WRONG)
        return self.directory.person(name)

    def _ldap(self, name: str, password: str) -> Person:
        """A simple bind as the user; the account is made (with no unit, so no access) the
        first time, and its unit and role are the administrator's to give."""
        import ldap3
        from ldap3.core.exceptions import LDAPException
        from ldap3.utils.dn import escape_rdn

        dn = self.checker.ldap_user_dn.format(name=escape_rdn(name))
        try:
            conn = ldap3.Connection(self._ldap_server(), user=dn, password=password)
            conn.open()
            if not self.checker.ldap_url.startswith("ldaps://") and not _loopback_url(self.checker.ldap_url):
                conn.start_tls()  # a password never crosses the network in clear
            bound = conn.bind()
            conn.unbind()
        except LDAPException as e:
            log.warning("LDAP sign-in for %s failed: %s", name, type(e).__name__)
            raise SignInRefused("Không kết nối được máy chủ thư mục (LDAP); hãy báo quản trị.") from e
        if not bound:
            raise SignInRefused(WRONG)
        row = self.directory.row(name)
        if row is not None and row.source != "ldap":  # a local account is not the directory's to open
            raise SignInRefused(WRONG)
        if row is None:
            self.directory.add_user(name, source="ldap")
            self._record(name, "user_add", target=name, detail={"via": "ldap", "unit": ""})
        try:
            return self.directory.person(name)
        except UnknownUser as e:  # disabled
            raise SignInRefused(WRONG) from e

    def _ldap_server(self):
        import ssl

        import ldap3

        tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=self.checker.ldap_ca_file or None)
        return ldap3.Server(self.checker.ldap_url, connect_timeout=5, tls=tls)

    # -- sessions ----------------------------------------------------------------
    def start(self, person: Person) -> str:
        token = secrets.token_urlsafe(32)
        now = time.time()
        with self.db.begin() as conn:
            conn.execute(insert(sessions).values(token=_hashed(token), user=person.name, started=now, seen=now))
        return token

    def resume(self, token: str) -> Person | None:
        """The person of a live session (its last use noted); None when it ended, expired,
        or its account is disabled or gone."""
        if not token:
            return None
        now = time.time()
        with self.db.connect() as conn:
            row = conn.execute(select(sessions).where(sessions.c.token == _hashed(token))).first()
        if row is None or row.ended:
            return None
        if now - row.seen > self.limits.idle or now - row.started > self.limits.absolute:
            self.end(token, "session_expired")
            return None
        try:
            person = self.directory.person(row.user)
        except UnknownUser:
            self.end(token, "session_ended_disabled")
            return None
        if now - row.seen > 30:  # note the use, not on every rerun
            with self.db.begin() as conn:
                conn.execute(update(sessions).where(sessions.c.token == _hashed(token)).values(seen=now))
        return person

    def end(self, token: str, why: str = "sign_out", address: str = "") -> None:
        with self.db.begin() as conn:
            row = conn.execute(select(sessions).where(sessions.c.token == _hashed(token))).first()
            if row is None or row.ended:
                return
            conn.execute(update(sessions).where(sessions.c.token == _hashed(token)).values(ended=True))
        account = self.directory.row(row.user)
        self._record(row.user, why, unit=account.unit if account is not None else "", address=address)

    def end_all(self, name: str) -> None:
        """End every session of an account (disabled, password changed)."""
        with self.db.begin() as conn:
            conn.execute(update(sessions).where(sessions.c.user == name).values(ended=True))


def _loopback_url(url: str) -> bool:
    """A directory on this machine (a test, a local relay): no TLS needed to reach it."""
    from urllib.parse import urlparse

    return (urlparse(url).hostname or "") in ("127.0.0.1", "::1", "localhost")


def _hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
