"""The door every request comes through: who is asking (a `Person`), the index as they
may see it, the decision on an action, and the record of it in the audit trail."""

from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine

from accounts import audit
from accounts.access import LOCAL_ADMIN, Action, Person, may, reader
from accounts.directory import Directory
from accounts.signin import Checker, Limits, SignIn
from accounts.store import engine, url_for
from errors import AppError, IndexMissing
from index.records import DocRecord
from index.store import Index
from index.view import ReaderView
from settings import Settings

_VIEWS = 64  # readers' views kept per gate (each caches its readable records)


def anchor_path(key_file: Path) -> Path:
    """Where `accounts audit --seal` keeps the row it sealed last: beside the key."""
    return Path(f"{key_file}.sealed")


class Gate:
    def __init__(self, settings: Settings, index_dir: Path | None = None) -> None:
        self.settings = settings
        self.index_dir = Path(index_dir or settings.index_dir)
        self._views: dict[tuple, ReaderView] = {}
        self.sealing()  # a bad AUDIT_KEY_FILE stops a command before it acts, not after

    @cached_property
    def db(self) -> Engine:
        """Opened at first use: a command that fails before it acts makes no database."""
        url = self.settings.accounts_db_url
        return engine(url_for(self.index_dir, url.get_secret_value() if url else None))

    @cached_property
    def audit_key(self) -> bytes | None:
        """The secret audit rows are sealed with (AUDIT_KEY_FILE), or None."""
        path = self.settings.audit_key_file
        if path is None:
            return None
        try:
            key = Path(path).read_bytes().strip()
        except OSError as e:
            raise AppError(f"Không đọc được tệp khóa nhật ký AUDIT_KEY_FILE ({path}): {e.strerror}.") from e
        if len(key) < 32:
            raise AppError("Khóa nhật ký (AUDIT_KEY_FILE) cần ít nhất 32 byte ngẫu nhiên, ví dụ: openssl rand -hex 32.")
        return key

    @cached_property
    def directory(self) -> Directory:
        return Directory(self.db)

    @cached_property
    def signin(self) -> SignIn:
        s = self.settings
        checker = Checker("ldap" if s.auth == "ldap" else "local", s.ldap_url, s.ldap_user_dn, s.ldap_ca_file)
        return SignIn(self.db, Limits.of(s), checker, self.audit_key)

    @cached_property
    def audit_anchor(self) -> tuple[int, str] | None:
        """The last row `accounts audit --seal` sealed and its hash, kept beside the key."""
        path = self.settings.audit_key_file
        marker = anchor_path(path) if path is not None else None
        if marker is None or not marker.exists():
            return None
        try:
            row, hash = marker.read_text("utf-8").split()[:2]
            return int(row), hash
        except (OSError, ValueError) as e:
            raise AppError(f"Không đọc được mốc ký nhật ký {marker}.") from e

    def sealing(self) -> bool:
        """Whether audit rows are sealed with a key; AppError when AUDIT_KEY_FILE is set but unusable."""
        return self.audit_key is not None

    def person(self, name: str | None) -> Person:
        """The account `name` acts as (UnknownUser when there is none, or it is disabled);
        without a name, the machine's own administrator."""
        return LOCAL_ADMIN if name is None else self.directory.person(name)

    def view(self, index: Index, person: Person) -> Index:
        """The index as `person` may see it."""
        if person.local:
            return index
        tree = self.directory.tree()
        key = (id(index), person, tuple(sorted(tree.units.values(), key=lambda u: u.code)))
        view = self._views.get(key)
        if view is None:
            if len(self._views) >= _VIEWS:
                self._views.clear()
            view = self._views[key] = ReaderView(index, reader(person, tree))
        return view

    def may(self, person: Person, action: Action, record: DocRecord | None) -> bool:
        return may(person, action, record, self.directory.tree())

    def check(
        self, person: Person, action: Action, record: DocRecord | None, doc_id: str, address: str = ""
    ) -> DocRecord:
        """The record, when `person` may do `action` to it; else the denial is recorded and the
        same error as for a document that does not exist is raised."""
        if record is None or not self.may(person, action, record):
            self.record(person, "denied", doc_id, {"action": action.value}, address)
            raise IndexMissing(f"Không có tài liệu '{doc_id}' trong chỉ mục.")
        return record

    def record(
        self, person: Person, action: str, target: str = "", detail: dict | None = None, address: str = ""
    ) -> None:
        audit.append(self.db, person.name, action, target, detail, person.unit, address, self.audit_key)

    def asked(self, person: Person, question: str, cited: list[str], address: str = "", kind: str = "question") -> None:
        """A question and the documents its answer cited; the text as the setting says."""
        keep = self.settings.audit_questions
        detail: dict = {"cited": sorted(set(cited))}
        if keep == "text":
            detail["question"] = question
        elif keep == "hash":
            detail["question_sha256"] = hashlib.sha256(question.encode("utf-8")).hexdigest()
        self.record(person, kind, "", detail, address)
