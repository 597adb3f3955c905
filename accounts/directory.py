"""Units and accounts as stored: adding, renaming and merging units, adding, assigning
and disabling accounts, and the `Person` an account signs in as."""

from __future__ import annotations

import time
import unicodedata

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import Engine, insert, select, update

from accounts.access import LEVELS, ROLES, Person
from accounts.store import units, users
from accounts.units import Tree, Unit
from errors import AppError

HASHER = PasswordHash((Argon2Hasher(),))  # Argon2id
MIN_PASSWORD = 10


NAME_MARKS = "._-@+"  # besides letters and digits: "ho.ten", "ten_donvi", e-mail addresses


def valid_name(name: str) -> bool:
    """A sign-in name or unit code: Latin letters (Vietnamese ones too, in NFC), digits and
    NAME_MARKS, so nothing in it is markup where it is shown, and no look-alike letters of
    another script ("аdmin" with a Cyrillic а)."""
    return 0 < len(name) <= 100 and unicodedata.is_normalized("NFC", name) and all(_allowed(c) for c in name)


def _allowed(c: str) -> bool:
    return c in NAME_MARKS or (c.isalnum() and (c.isascii() or unicodedata.name(c, "").startswith("LATIN")))


class UnknownUser(AppError):
    """A name no account has (or a disabled one, where it must not act)."""


class Directory:
    def __init__(self, db: Engine) -> None:
        self.db = db

    # -- units -------------------------------------------------------------------
    def tree(self) -> Tree:
        with self.db.connect() as conn:
            return Tree([Unit(r.code, r.name, r.parent, r.merged_into) for r in conn.execute(select(units))])

    def add_unit(self, code: str, name: str, parent: str = "") -> None:
        code, name = code.strip(), " ".join(name.split())
        if not code or not name:
            raise AppError("Đơn vị cần mã và tên.")
        if not valid_name(code) or "@" in code:
            raise AppError("Mã đơn vị không hợp lệ: chỉ chữ, số và ._-+ (tối đa 100 ký tự).")
        tree = self.tree()
        if code in tree:
            raise AppError(f"Đã có đơn vị mã {code}.")
        if parent and parent not in tree:
            raise AppError(f"Không có đơn vị cấp trên mã {parent}.")
        with self.db.begin() as conn:
            conn.execute(insert(units).values(code=code, name=name, parent=tree.current(parent) if parent else ""))

    def rename_unit(self, code: str, name: str) -> None:
        self._unit(code)
        with self.db.begin() as conn:
            conn.execute(update(units).where(units.c.code == code).values(name=" ".join(name.split())))

    def merge_unit(self, code: str, into: str) -> None:
        """`code` joins `into`: its children and accounts move there, its documents answer to it."""
        tree = self.tree()
        self._unit(code)
        self._unit(into)
        into = tree.current(into)
        if into in tree.below(code):
            raise AppError(f"Không thể nhập {code} vào một đơn vị trực thuộc nó.")
        with self.db.begin() as conn:
            conn.execute(update(units).where(units.c.code == code).values(merged_into=into))
            conn.execute(update(units).where(units.c.parent == code).values(parent=into))
            conn.execute(update(users).where(users.c.unit == code).values(unit=into))

    def _unit(self, code: str) -> None:
        if code not in self.tree():
            raise AppError(f"Không có đơn vị mã {code}.")

    # -- accounts ----------------------------------------------------------------
    def add_user(
        self, name: str, unit: str = "", role: str = "reader", password: str = "", source: str = "local"
    ) -> None:
        name = name.strip()
        if not valid_name(name):
            raise AppError(f"Tên đăng nhập không hợp lệ: chỉ chữ, số và {NAME_MARKS} (tối đa 100 ký tự).")
        if role not in ROLES:
            raise AppError(f"Vai trò phải là một trong: {', '.join(ROLES)}.")
        if unit and unit not in self.tree():
            raise AppError(f"Không có đơn vị mã {unit}.")
        if source == "local" and len(password) < MIN_PASSWORD:
            raise AppError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
        if self.row(name) is not None:
            raise AppError(f"Đã có tài khoản {name}.")
        hashed = HASHER.hash(password) if password else ""
        with self.db.begin() as conn:
            conn.execute(
                insert(users).values(
                    name=name, unit=unit, role=role, password=hashed, source=source, created=time.time()
                )
            )

    def row(self, name: str):
        with self.db.connect() as conn:
            return conn.execute(select(users).where(users.c.name == name)).first()

    def person(self, name: str) -> Person:
        """The person an enabled account acts as; UnknownUser otherwise."""
        row = self.row(name)
        if row is None or row.disabled:
            raise UnknownUser(f"Không có người dùng {name}.")
        return Person(row.name, self.tree().current(row.unit) if row.unit else "", row.role, row.clearance)

    def change(self, name: str, **values) -> None:
        """Set an account's unit, role, clearance, password or disabled flag."""
        if self.row(name) is None:
            raise UnknownUser(f"Không có người dùng {name}.")
        if "role" in values and values["role"] not in ROLES:
            raise AppError(f"Vai trò phải là một trong: {', '.join(ROLES)}.")
        if values.get("unit") and values["unit"] not in self.tree():
            raise AppError(f"Không có đơn vị mã {values['unit']}.")
        if "clearance" in values and values["clearance"] not in LEVELS.values():
            raise AppError("Mức mật phải là 0–3.")
        if "password" in values:
            if len(values["password"]) < MIN_PASSWORD:
                raise AppError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
            values["password"] = HASHER.hash(values["password"])
        with self.db.begin() as conn:
            conn.execute(update(users).where(users.c.name == name).values(**values))

    def users(self) -> list:
        with self.db.connect() as conn:
            return list(conn.execute(select(users).order_by(users.c.name)))
