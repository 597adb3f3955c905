"""Who may manage whom from the command line: a unit administrator manages their unit's
readers and editors, never an administrator, an auditor or another unit administrator."""

from __future__ import annotations

import io

import pytest

from accounts.__main__ import main
from accounts.directory import Directory
from accounts.store import FILE_NAME, engine

pytestmark = pytest.mark.unit


def test_a_unit_administrator_cannot_take_over_a_higher_account(tmp_path, monkeypatch, capsys):
    db = engine(f"sqlite:///{tmp_path / FILE_NAME}")
    d = Directory(db)
    d.add_unit("A", "Đơn vị A")
    d.add_user("qa", "A", "unit_admin", "mat-khau-quan-tri-a")
    d.add_user("sep", "A", "admin", "mat-khau-quan-tri-cao")
    d.add_user("an", "A", "reader", "mat-khau-nguoi-doc")

    def run(*args: str, stdin: str = "") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return main([*args, "--index-dir", str(tmp_path), "--by", "qa"])

    assert run("user", "set", "sep", "--password-stdin", stdin="mat-khau-moi-chiem\n") == 2
    assert run("user", "set", "sep", "--role", "reader") == 2
    assert run("user", "disable", "sep") == 2
    assert run("user", "set", "an", "--role", "admin") == 2
    assert run("user", "set", "an", "--clearance", "3") == 2
    assert (
        run("user", "add", "kt", "--unit", "A", "--role", "auditor", "--password-stdin", stdin="mat-khau-kiem-soat\n")
        == 2
    )
    assert run("user", "set", "an", "--role", "editor") == 0  # their unit's reader: yes
    assert d.person("sep").role == "admin" and d.person("an").role == "editor"
    assert "Chỉ quản trị viên" in capsys.readouterr().err
