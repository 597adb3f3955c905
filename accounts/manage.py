"""Units and accounts changed on someone's behalf: each change is checked (`may_manage`,
administrator-only for units and clearances), made in the directory and put on record.
The command line and the accounts page both come here."""

from __future__ import annotations

from typing import NoReturn

from accounts.access import GIVEN_BY_UNIT_ADMIN, ROLES, Person, may_manage
from accounts.directory import UnknownUser
from accounts.gate import Gate
from accounts.signin import WRONG, SignInRefused
from errors import AppError

ADMIN_ONLY = "Chỉ quản trị viên được làm việc này."
NOT_YOURS = "Chỉ quản trị viên hoặc quản trị đơn vị đó được làm việc này."


class Manager:
    def __init__(self, gate: Gate, actor: Person, address: str = "") -> None:
        self.gate, self.actor, self.address = gate, actor, address

    # -- what the actor may touch ---------------------------------------------------
    def users(self) -> list:
        """The accounts the actor manages (an administrator: all)."""
        tree = self.gate.directory.tree()
        return [r for r in self.gate.directory.users() if may_manage(self.actor, r.unit, r.role, tree, r.clearance)]

    def units(self) -> list[str]:
        """The units the actor may give an account (current ones, by code)."""
        tree = self.gate.directory.tree()
        return [c for c in tree.live() if may_manage(self.actor, c, "reader", tree)]

    def roles(self) -> tuple[str, ...]:
        return ROLES if self.actor.admin else GIVEN_BY_UNIT_ADMIN

    # -- units ------------------------------------------------------------------------
    def add_unit(self, code: str, name: str, parent: str = "") -> None:
        self._admin(f"unit:{code}")
        self.gate.directory.add_unit(code, name, parent)
        self._record("unit_add", code, {"name": name, "parent": parent})

    def rename_unit(self, code: str, name: str) -> None:
        self._admin(f"unit:{code}")
        self.gate.directory.rename_unit(code, name)
        self._record("unit_rename", code, {"name": name})

    def merge_unit(self, code: str, into: str) -> None:
        self._admin(f"unit:{code}")
        self.gate.directory.merge_unit(code, into)
        self._record("unit_merge", code, {"into": into})

    # -- accounts ---------------------------------------------------------------------
    def add_user(self, name: str, unit: str, role: str, password: str) -> None:
        self._manages(unit, role, f"user:{name}")
        self.gate.directory.add_user(name, unit, role, password)
        self._record("user_add", name, {"unit": unit, "role": role})

    def change_user(
        self,
        name: str,
        unit: str | None = None,
        role: str | None = None,
        clearance: int | None = None,
        password: str = "",
    ) -> None:
        """Change what is given (None leaves it; unit "" takes the account out of its unit);
        a new password ends the account's sessions."""
        row = self._row(name)
        what = f"user:{name}"
        after = (row.unit if unit is None else unit, row.role if role is None else role)
        self._manages(row.unit, row.role, what, row.clearance)  # the account as it is
        self._manages(*after, what, row.clearance)  # and as it will be
        if clearance is not None:
            self._admin(what)
        if name == self.actor.name and not self.actor.local and after[1] != self.actor.role:
            self._deny(what, "Không thể tự đổi vai trò của chính mình.")
        values = {k: v for k, v in (("unit", unit), ("role", role), ("clearance", clearance)) if v is not None}
        if password:
            values["password"] = password
        self.gate.directory.change(name, **values)
        if password:
            self.gate.signin.end_all(name)
        shown = {k: v for k, v in values.items() if k != "password"} | ({"password": "đổi"} if password else {})
        self._record("user_change", name, shown)

    def set_disabled(self, name: str, disabled: bool) -> None:
        """Disable an account (its sessions end at once) or enable it again."""
        row = self._row(name)
        self._manages(row.unit, row.role, f"user:{name}", row.clearance)
        if disabled and name == self.actor.name:
            self._deny(f"user:{name}", "Không thể tự khóa tài khoản của chính mình.")
        self.gate.directory.change(name, disabled=disabled)
        if disabled:
            self.gate.signin.end_all(name)
        self._record("user_disable" if disabled else "user_enable", name)

    def own_password(self, current: str, new: str) -> None:
        """The actor's own local password, after the current one is checked (as a sign-in
        is, with its limits); their sessions end."""
        row = self.gate.directory.row(self.actor.name)
        if self.actor.local or row is None or row.source != "local" or not row.password:
            raise AppError("Tài khoản này không đổi mật khẩu ở đây (đăng nhập qua hệ thống của cơ quan).")
        try:
            self.gate.signin.password(self.actor.name, current, self.address, confirming=True)
        except SignInRefused as e:
            raise AppError("Mật khẩu hiện tại không đúng." if str(e) == WRONG else str(e)) from e
        if new == current:
            raise AppError("Mật khẩu mới phải khác mật khẩu hiện tại.")
        self.gate.directory.change(self.actor.name, password=new)
        self.gate.signin.end_all(self.actor.name)
        self._record("user_change", self.actor.name, {"password": "đổi"})

    # -- checks -----------------------------------------------------------------------
    def _row(self, name: str):
        row = self.gate.directory.row(name)
        if row is None:
            if not self.actor.admin:  # recorded, and told apart from a refusal only to administrators
                self._deny(f"user:{name}", NOT_YOURS)
            raise UnknownUser(f"Không có người dùng {name}.")
        return row

    def _admin(self, what: str) -> None:
        if not self.actor.admin:
            self._deny(what, ADMIN_ONLY)

    def _manages(self, unit: str, role: str, what: str, clearance: int = 0) -> None:
        if not may_manage(self.actor, unit, role, self.gate.directory.tree(), clearance):
            self._deny(what, ADMIN_ONLY if role not in GIVEN_BY_UNIT_ADMIN else NOT_YOURS)

    def _deny(self, what: str, message: str) -> NoReturn:
        self._record("denied", what, {"action": "manage"})
        raise AppError(message)

    def _record(self, action: str, target: str, detail: dict | None = None) -> None:
        self.gate.record(self.actor, action, target, detail, self.address)
