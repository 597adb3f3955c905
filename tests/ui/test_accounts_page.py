"""The accounts page through Streamlit's AppTest: the machine's administrator adds a unit
and an account; a unit administrator, signed in, sees and changes only their unit's
readers and editors; an account changes its own password."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from accounts import audit
from accounts.access import LOCAL_ADMIN
from accounts.gate import Gate
from accounts.manage import Manager
from index.store import Index
from settings import Settings
from tests.conftest import CORPUS, ROOT
from tests.support.units import BIM_SON, PASSWORDS, units_copy

pytestmark = pytest.mark.integration

APP = str(ROOT / "app.py")


def start(monkeypatch, tmp_path, auth: str = "") -> AppTest:
    monkeypatch.setenv("INDEX_DIR", str(tmp_path))
    monkeypatch.setenv("AUTH", auth)
    return AppTest.from_file(APP, default_timeout=60).run()


def submit(app: AppTest, label: str) -> AppTest:
    next(b for b in app.button if b.label == label).click().run()
    assert not app.exception
    return app


def field(app: AppTest, label: str):
    return next(w for w in [*app.text_input, *app.selectbox] if w.label == label)


def test_the_local_administrator_adds_a_unit_and_an_account(tmp_path, monkeypatch):
    app = start(monkeypatch, tmp_path)
    app.switch_page("ui/accounts.py").run()
    assert not app.exception and [e.value for e in app.title] == ["Tài khoản"]
    assert "Đổi mật khẩu của bạn" not in [e.label for e in app.expander]  # no password of its own
    field(app, "Mã đơn vị").input("A")
    field(app, "Tên đơn vị").input("Phường An Hòa")
    submit(app, "Thêm đơn vị")
    assert [s.value for s in app.success] == ["Đã thêm đơn vị A."]

    field(app, "Tên đăng nhập").input("an")
    units = [w for w in app.selectbox if w.label == "Đơn vị"][0]
    units.set_value("A")
    [w for w in app.selectbox if w.label == "Vai trò"][0].set_value("editor")
    field(app, "Mật khẩu ban đầu (ít nhất 10 ký tự)").input("ngan")
    submit(app, "Thêm tài khoản")
    assert [e.value for e in app.error] == ["Mật khẩu cần ít nhất 10 ký tự."]
    field(app, "Tên đăng nhập").input("an")
    [w for w in app.selectbox if w.label == "Đơn vị"][0].set_value("A")
    [w for w in app.selectbox if w.label == "Vai trò"][0].set_value("editor")
    field(app, "Mật khẩu ban đầu (ít nhất 10 ký tự)").input("mat-khau-cua-an-01")
    submit(app, "Thêm tài khoản")
    assert [s.value for s in app.success] == ["Đã thêm tài khoản an."]
    assert list(app.dataframe[0].value["Tên đăng nhập"]) == ["an"]
    assert list(app.dataframe[0].value["Đơn vị"]) == ["Phường An Hòa"]

    gate = Gate(Settings(index_dir=tmp_path))
    assert gate.person("an").role == "editor" and gate.person("an").unit == "A"
    done = [(r.actor, r.action, r.target) for r in audit.rows(gate.db)]
    assert ("(quản trị máy này)", "unit_add", "A") in done and ("(quản trị máy này)", "user_add", "an") in done

    app.switch_page("ui/audit.py").run()
    assert not app.exception and "Chuỗi băm của nhật ký nguyên vẹn" in app.success[0].value
    assert {"thêm đơn vị", "thêm tài khoản"} <= set(app.dataframe[0].value["Việc"])
    with gate.db.begin() as conn:  # someone edits the trail behind the app's back
        conn.exec_driver_sql("UPDATE audit SET target = 'B' WHERE action = 'unit_add'")
    submit(app, "Kiểm tra lại toàn bộ")
    assert "nội dung đã bị sửa" in app.error[0].value


def sign_in(app: AppTest, name: str, password: str) -> AppTest:
    field(app, "Tên đăng nhập").input(name)
    field(app, "Mật khẩu").input(password)
    return submit(app, "Đăng nhập")


def test_a_unit_administrator_changes_only_their_readers_and_their_own_password(tmp_path, monkeypatch):
    gate = Gate(Settings(index_dir=tmp_path, auth="local"))
    admin = Manager(gate, LOCAL_ADMIN)
    admin.add_unit("A", "Phường A")
    admin.add_unit("B", "Phường B")
    for name, unit, role in (
        ("qa", "A", "unit_admin"),
        ("an", "A", "reader"),
        ("bo", "B", "reader"),
        ("sep", "", "admin"),
    ):
        admin.add_user(name, unit, role, f"mat-khau-cua-{name}-01")

    app = sign_in(start(monkeypatch, tmp_path, "local"), "qa", "mat-khau-cua-qa-01")
    app.switch_page("ui/accounts.py").run()
    assert not app.exception
    assert list(app.dataframe[0].value["Tên đăng nhập"]) == ["an"]  # not bo, not sep, not themselves
    edit = next(w for w in app.selectbox if w.label == "Tài khoản")
    assert edit.options == ["an"]
    roles = [w for w in app.selectbox if w.label == "Vai trò"]
    assert all(w.options == ["người đọc", "biên tập viên"] for w in roles)
    assert all("Mức mật được đọc" != w.label for w in app.selectbox)  # clearances are the administrator's
    roles[-1].set_value("editor")
    submit(app, "Lưu thay đổi")
    assert [s.value for s in app.success] == ["Đã cập nhật tài khoản an."]
    assert gate.person("an").role == "editor"
    submit(app, "Khóa tài khoản (kết thúc mọi phiên)")
    assert gate.directory.row("an").disabled

    field(app, "Mật khẩu hiện tại").input("mat-khau-doan-bua")
    field(app, "Mật khẩu mới (ít nhất 10 ký tự)").input("mat-khau-moi-cua-qa")
    field(app, "Nhập lại mật khẩu mới").input("mat-khau-moi-cua-qa")
    submit(app, "Đổi mật khẩu")
    assert "Mật khẩu hiện tại không đúng." in [e.value for e in app.error]
    field(app, "Mật khẩu hiện tại").input("mat-khau-cua-qa-01")
    field(app, "Mật khẩu mới (ít nhất 10 ký tự)").input("mat-khau-moi-cua-qa")
    field(app, "Nhập lại mật khẩu mới").input("mat-khau-moi-cua-qa")
    submit(app, "Đổi mật khẩu")
    assert any(s.value.startswith("Đã đổi mật khẩu.") for s in app.success)
    app.run()
    assert [b.label for b in app.button] == ["Đăng nhập"]  # the session ended with the old password
    assert gate.signin.password("qa", "mat-khau-moi-cua-qa").name == "qa"

    app = sign_in(start(monkeypatch, tmp_path, "local"), "bo", "mat-khau-cua-bo-01")
    app.switch_page("ui/accounts.py").run()
    assert [e.label for e in app.expander] == ["Đổi mật khẩu của bạn"]  # a reader manages no one
    assert len(app.dataframe) == 0 and "Tài khoản" not in [w.label for w in app.selectbox]


def test_an_administrator_uploads_for_a_unit_and_says_how_far_it_is_seen(tmp_path, monkeypatch, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "004_70c20d1112d6ed16.txt", corpus)
    gate = Gate(Settings(index_dir=tmp_path / "index"))
    admin = Manager(gate, LOCAL_ADMIN)
    admin.add_unit("P", "Tỉnh thử")
    admin.add_unit("A", "Phường A", "P")
    monkeypatch.setenv("CORPUS_DIR", str(corpus))
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "uploads"))
    app = start(monkeypatch, tmp_path / "index")
    app.switch_page("ui/library.py").run()
    assert not app.exception
    plan = "Kế hoạch của tỉnh về bảo vệ trẻ em.\nGiao các phường tổ chức lớp học bơi cho trẻ em trong hè."
    app.file_uploader[0].set_value([("ke-hoach-tinh.txt", plan.encode(), "text/plain")]).run()
    next(w for w in app.selectbox if w.label == "Đơn vị sở hữu các tệp tải lên").set_value("P").run()
    next(w for w in app.radio if w.label == "Phạm vi xem của các tệp tải lên").set_value("below")
    submit(app, "Nạp vào chỉ mục")
    record = Index(tmp_path / "index", embedder).records()["ke-hoach-tinh.txt"]
    assert (record.unit, record.visibility) == ("P", "below")


def test_a_briefing_kept_in_the_page_goes_when_its_documents_are_no_longer_readable(seed_index, tmp_path, monkeypatch):
    index, _ = units_copy(seed_index, tmp_path / "index", auth="local")
    monkeypatch.setenv("CORPUS_DIR", str(CORPUS))
    app = sign_in(start(monkeypatch, tmp_path / "index", "local"), "rb", PASSWORDS["rb"])
    app.switch_page("ui/briefing.py").run()
    field(app, "Chủ đề").input("Bỉm Sơn tổ chức lớp học bơi cho trẻ em")
    submit(app, "Tạo tài liệu tóm tắt")
    assert [b.label for b in app.get("download_button")] == ["Tải về DOCX", "Tải về Markdown"]
    index.set_access(BIM_SON, unit="A")  # moved to another unit while the page is open
    app.run()
    assert "không còn trong phạm vi bạn được xem" in app.info[0].value
    assert not app.get("download_button")  # nor exported


def test_a_missing_audit_key_is_said_plainly_and_nothing_is_served(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_KEY_FILE", str(tmp_path / "khong-co"))
    app = start(monkeypatch, tmp_path / "index")
    assert not app.exception
    assert "Không đọc được tệp khóa nhật ký AUDIT_KEY_FILE" in app.error[0].value
    assert not app.chat_input
