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
    qa, admin = Manager(gate, gate.person("qa"), "10.0.0.5"), Manager(gate, LOCAL_ADMIN)
    assert [r.name for r in qa.users()] == ["an", "bien"]
    assert qa.units() == ["A"] and qa.roles() == ("reader", "editor")
    qa.change_user("an", role="editor")
    qa.add_user("moi", "A", "reader", "mat-khau-nguoi-moi")
    assert gate.person("an").role == "editor" and gate.person("moi").unit == "A"

    admin.change_user("bien", clearance=2)  # cleared above the unit administrator
    before = {r.name: r for r in gate.directory.users()}
    refused = [
        lambda: qa.change_user("bo", role="editor"),  # another unit's reader
        lambda: qa.set_disabled("bo", True),
        lambda: qa.change_user("an", unit="B"),  # sent to another unit
        lambda: qa.change_user("an", unit=""),  # or out of any
        lambda: qa.change_user("an", role="unit_admin"),  # raised above what they may give
        lambda: qa.change_user("qa2", password="mat-khau-chiem-quyen"),  # a peer
        lambda: qa.change_user("bien", password="mat-khau-chiem-quyen"),  # cleared higher: read as them
        lambda: qa.change_user("an", clearance=2),
        lambda: qa.set_disabled("sep", True),
        lambda: qa.change_user("khong-co-ai", role="reader"),  # a name elsewhere or nowhere: the same
        lambda: qa.add_user("kt", "A", "auditor", "mat-khau-kiem-soat"),
        lambda: qa.add_user("xa", "B", "reader", "mat-khau-nguoi-xa"),
        lambda: qa.add_unit("C", "Phường C", "A"),
    ]
    for attempt in refused:
        with pytest.raises(AppError):
            attempt()
    assert {r.name: r for r in gate.directory.users()} == before  # nothing changed, not even a password
    assert gate.directory.tree().units.keys() == {"P", "A", "B"}
    denied = [r for r in audit.rows(gate.db, "qa") if r.action == "denied"]
    assert len(denied) == len(refused) and {r.address for r in denied} == {"10.0.0.5"}


def test_no_one_demotes_or_disables_themselves(gate):
    sep = Manager(gate, gate.person("sep"))
    with pytest.raises(AppError, match="tự đổi vai trò"):
        sep.change_user("sep", role="reader")
    with pytest.raises(AppError, match="tự khóa"):
        sep.set_disabled("sep", True)
    assert gate.person("sep").role == "admin"
    sep.change_user("sep", unit="P")  # their own unit is theirs to set
    assert gate.person("sep").unit == "P"


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


def test_guessing_the_current_password_is_limited_like_a_sign_in(tmp_path):
    g = Gate(Settings(index_dir=tmp_path, auth="local", signin_account_failures=3))
    Manager(g, LOCAL_ADMIN).add_user("an", "", "reader", "mat-khau-cua-an-01")
    an = Manager(g, g.person("an"), "10.0.0.9")
    for n in range(3):
        with pytest.raises(AppError, match="Mật khẩu hiện tại không đúng"):
            an.own_password(f"doan-thu-{n}", "mat-khau-moi-cua-an")
    with pytest.raises(AppError, match="tạm khóa"):
        an.own_password("mat-khau-cua-an-01", "mat-khau-moi-cua-an")  # even the right one, for now
    with pytest.raises(SignInRefused, match="tạm khóa"):  # one count: signing in is locked too
        g.signin.password("an", "mat-khau-cua-an-01", "10.0.0.10")
    assert [r.action for r in audit.rows(g.db, "an")].count("sign_in_failed") == 3


def test_a_name_is_letters_digits_and_a_few_marks_so_it_is_never_markup_where_shown(gate):
    admin = Manager(gate, LOCAL_ADMIN)
    for name in ("<b>x</b>", "[bam](http://x.vn)", "**to**", "ai`", "hai tu", "a" * 101):
        with pytest.raises(AppError, match="Tên đăng nhập không hợp lệ"):
            admin.add_user(name, "A", "reader", "mat-khau-bat-ky-01")
    admin.add_user("nguyễn.văn_an-2@phuong-a.gov.vn", "A", "reader", "mat-khau-bat-ky-01")
    assert gate.person("nguyễn.văn_an-2@phuong-a.gov.vn").unit == "A"
    with pytest.raises(SignInRefused):
        gate.signin.password("<b>x</b>", "mat-khau-bat-ky-01")
    assert [(r.actor, r.action) for r in audit.rows(gate.db)][-1] == ("?", "sign_in_failed")  # not stored as typed
    for name in ("аdmin", "ten\u0301"):  # a Cyrillic а; a tone mark not composed (NFD)
        with pytest.raises(AppError, match="Tên đăng nhập không hợp lệ"):
            admin.add_user(name, "A", "reader", "mat-khau-bat-ky-01")
    with pytest.raises(AppError, match="Mã đơn vị không hợp lệ"):
        admin.add_unit("[X](http://x)", "Đơn vị lạ")
