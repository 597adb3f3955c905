"""Managing accounts on someone's behalf (`accounts.manage`), as the command line and the
accounts page do: who may change whom, and what is put on record."""

from __future__ import annotations

import json

import pytest

from accounts import audit
from accounts.access import LOCAL_ADMIN
from accounts.gate import Gate
from accounts.manage import Manager
from accounts.signin import SignInRefused
from errors import AppError
from settings import Settings

pytestmark = pytest.mark.unit


@pytest.fixture
def gate(tmp_path) -> Gate:
    g = Gate(Settings(index_dir=tmp_path, auth="local"))
    admin = Manager(g, LOCAL_ADMIN)
    admin.add_unit("P", "Tỉnh thử")
    admin.add_unit("A", "Phường A", "P")
    admin.add_unit("B", "Phường B", "P")
    for name, unit, role in (
        ("qa", "A", "unit_admin"),
        ("an", "A", "reader"),
        ("bien", "A", "editor"),
        ("qa2", "A", "unit_admin"),
        ("bo", "B", "reader"),
        ("sep", "", "admin"),
    ):
        admin.add_user(name, unit, role, f"mat-khau-cua-{name}-01")
    return g


def test_a_unit_administrator_manages_the_readers_and_editors_of_their_unit_only(gate):
    qa = Manager(gate, gate.person("qa"), "10.0.0.5")
    assert [r.name for r in qa.users()] == ["an", "bien"]
    assert qa.units() == ["A"] and qa.roles() == ("reader", "editor")
    qa.change_user("an", role="editor")
    qa.add_user("moi", "A", "reader", "mat-khau-nguoi-moi")
    assert gate.person("an").role == "editor" and gate.person("moi").unit == "A"

    refused = [
        lambda: qa.change_user("bo", role="editor"),  # another unit's reader
        lambda: qa.change_user("an", unit="B"),  # sent to another unit
        lambda: qa.change_user("an", role="unit_admin"),  # raised above what they may give
        lambda: qa.change_user("qa2", password="mat-khau-chiem-quyen"),  # a peer
        lambda: qa.change_user("an", clearance=2),
        lambda: qa.set_disabled("sep", True),
        lambda: qa.add_user("kt", "A", "auditor", "mat-khau-kiem-soat"),
        lambda: qa.add_user("xa", "B", "reader", "mat-khau-nguoi-xa"),
        lambda: qa.add_unit("C", "Phường C", "A"),
    ]
    for attempt in refused:
        with pytest.raises(AppError):
            attempt()
    assert (
        gate.person("bo").role == "reader" and gate.person("an").unit == "A" and gate.person("qa2").role == "unit_admin"
    )
    denied = [r for r in audit.rows(gate.db, "qa") if r.action == "denied"]
    assert len(denied) == len(refused) and {r.address for r in denied} == {"10.0.0.5"}


def test_disabling_ends_the_sessions_and_a_new_password_too(gate):
    session = gate.signin.start(gate.signin.password("an", "mat-khau-cua-an-01"))
    qa = Manager(gate, gate.person("qa"))
    qa.set_disabled("an", True)
    assert gate.signin.resume(session) is None
    with pytest.raises(AppError):
        gate.person("an")
    qa.set_disabled("an", False)
    session = gate.signin.start(gate.signin.password("an", "mat-khau-cua-an-01"))
    qa.change_user("an", password="mat-khau-dat-lai-01")
    assert gate.signin.resume(session) is None
    assert gate.signin.password("an", "mat-khau-dat-lai-01").name == "an"
    rows = [(r.action, r.target, json.loads(r.detail)) for r in audit.rows(gate.db, "qa")]
    assert rows == [("user_disable", "an", {}), ("user_enable", "an", {}), ("user_change", "an", {"password": "đổi"})]
    assert "mat-khau-dat-lai" not in str(rows)


def test_an_account_changes_its_own_password_only_with_the_current_one(gate):
    an = Manager(gate, gate.person("an"))
    with pytest.raises(AppError, match="Mật khẩu hiện tại không đúng"):
        an.own_password("doan-bua-mat-khau", "mat-khau-moi-cua-an")
    with pytest.raises(AppError, match="ít nhất 10"):
        an.own_password("mat-khau-cua-an-01", "ngan")
    session = gate.signin.start(gate.signin.password("an", "mat-khau-cua-an-01"))
    an.own_password("mat-khau-cua-an-01", "mat-khau-moi-cua-an")
    assert gate.signin.resume(session) is None  # every session ends, this one too
    with pytest.raises(SignInRefused):
        gate.signin.password("an", "mat-khau-cua-an-01")
    assert gate.signin.password("an", "mat-khau-moi-cua-an").name == "an"
    with pytest.raises(AppError, match="không đổi mật khẩu ở đây"):
        Manager(gate, LOCAL_ADMIN).own_password("", "mat-khau-bat-ky-01")


def test_a_name_is_letters_digits_and_a_few_marks_so_it_is_never_markup_where_shown(gate):
    admin = Manager(gate, LOCAL_ADMIN)
    for name in ("<b>x</b>", "[bam](http://x.vn)", "**to**", "ai`", "hai tu", "a" * 101):
        with pytest.raises(AppError, match="Tên đăng nhập không hợp lệ"):
            admin.add_user(name, "A", "reader", "mat-khau-bat-ky-01")
    admin.add_user("nguyễn.văn_an-2@phuong-a.gov.vn", "A", "reader", "mat-khau-bat-ky-01")
    assert gate.person("nguyễn.văn_an-2@phuong-a.gov.vn").unit == "A"
    with pytest.raises(SignInRefused):
        gate.signin.password("<b>x</b>", "mat-khau-bat-ky-01")
