"""The audit trail is a hash chain: an edited, inserted or deleted row is found."""

from __future__ import annotations

import sqlite3

import pytest

from accounts import audit
from accounts.__main__ import main
from accounts.directory import Directory
from accounts.gate import Gate
from accounts.signin import SignInRefused
from accounts.store import engine
from errors import AppError
from settings import Settings

pytestmark = pytest.mark.unit


@pytest.fixture
def trail(tmp_path):
    path = tmp_path / "accounts.sqlite"
    db = engine(f"sqlite:///{path}")
    for n in range(5):
        audit.append(db, f"nguoi-{n}", "question", "", {"question": f"câu {n}"}, "A", "10.0.0.1")
    assert audit.verify(db) == []
    return db, path


def edit(path, sql: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(sql)


def test_an_edited_row_is_found(trail):
    db, path = trail
    edit(path, "UPDATE audit SET detail = '{}' WHERE id = 3")
    assert audit.verify(db) == ["dòng 3: nội dung đã bị sửa"]


def test_a_row_rehashed_after_an_edit_breaks_the_next_link(trail):
    db, path = trail
    row = audit.rows(db)[2]
    row.actor = "nguoi-khac"
    edit(path, f"UPDATE audit SET actor = 'nguoi-khac', hash = '{row.digest()}' WHERE id = 3")
    assert audit.verify(db) == ["dòng 4: không nối với dòng trước"]


def test_a_deleted_row_is_found_in_the_middle_and_at_the_end(trail):
    db, path = trail
    edit(path, "DELETE FROM audit WHERE id = 2")
    assert "thiếu dòng 2–2" in audit.verify(db)
    edit(path, "DELETE FROM audit WHERE id = 5")
    assert any("thiếu dòng cuối" in p for p in audit.verify(db))


def test_rows_keep_no_secret_and_filter_by_person_and_unit(trail):
    db, _ = trail
    assert [r.actor for r in audit.rows(db, actor="nguoi-2")] == ["nguoi-2"]
    assert audit.rows(db, units={"B"}) == [] and len(audit.rows(db, units={"A"})) == 5
    assert audit.count(db, units={"A"}, actions=["question"]) == 5 and audit.count(db, actions=["sign_in"]) == 0
    assert [r.id for r in audit.rows(db, newest=2)] == [5, 4]


def test_a_check_from_the_last_row_checked_finds_what_changed_since(trail):
    db, path = trail
    checked = audit.check(db)
    assert (checked.problems, checked.last) == ([], 5)
    audit.append(db, "nguoi-5", "question", "", {"question": "câu 5"}, "A")
    later = audit.check(db, (checked.last, checked.hash))
    assert (later.problems, later.last) == ([], 6)
    edit(path, "UPDATE audit SET detail = '{}' WHERE id = 6")
    assert audit.check(db, (checked.last, checked.hash)).problems == ["dòng 6: nội dung đã bị sửa"]
    edit(path, "UPDATE audit SET hash = 'x' WHERE id = 5")  # the row the check starts from
    assert "dòng 5: đã bị sửa hoặc xóa sau lần kiểm tra trước" in audit.check(db, (checked.last, checked.hash)).problems


def test_a_check_from_a_row_finds_that_row_edited_under_its_hash_and_rows_deleted_after_it(trail):
    db, path = trail
    checked = audit.check(db)
    for n in range(3):
        audit.append(db, f"nguoi-{5 + n}", "question", "", {"question": f"câu {5 + n}"}, "A")
    edit(path, "UPDATE audit SET actor = 'ai-do' WHERE id = 5")  # the hash kept
    assert "dòng 5: đã bị sửa hoặc xóa sau lần kiểm tra trước" in audit.check(db, (checked.last, checked.hash)).problems
    edit(path, "UPDATE audit SET actor = 'nguoi-4' WHERE id = 5")
    edit(path, "DELETE FROM audit WHERE id = 7")
    assert "thiếu dòng 7–7" in audit.check(db, (checked.last, checked.hash)).problems


KEY = b"0123456789abcdef0123456789abcdef-khoa-nhat-ky"


def rewrite_plain(db, path, start: int) -> None:
    """What someone who can write the database but lacks the key can do: edit row `start`
    and remake every hash from there with plain SHA-256, head included."""
    rows = audit.rows(db)
    prev = rows[start - 2].hash if start > 1 else "0" * 64
    for row in rows[start - 1 :]:
        row.prev = prev
        if row.id == start:
            row.detail = '{"question": "câu khác"}'
        row.hash = row.digest()
        edit(
            path,
            f"UPDATE audit SET prev = '{row.prev}', detail = '{row.detail}', hash = '{row.hash}' WHERE id = {row.id}",
        )
        prev = row.hash
    edit(path, f"UPDATE audit_head SET hash = '{prev}'")


def test_a_chain_sealed_with_a_key_cannot_be_remade_without_it(trail):
    db, path = trail
    audit.append(db, "nguoi-5", "question", "", {"question": "câu 5"}, "A", key=KEY)  # the key set, not yet sealed
    assert audit.verify(db, KEY) == ["5 dòng không có chữ ký khóa, từ dòng 1 đến 5"]
    count, last = audit.seal(db, KEY)
    assert count == 6 and audit.rows(db)[-1].hash == last
    audit.append(db, "nguoi-6", "question", "", {"question": "câu 6"}, "A", key=KEY)
    assert audit.verify(db, KEY, (6, last)) == []
    assert audit.verify(db) == [f"dòng {n}: nội dung đã bị sửa" for n in range(1, 8)]  # without the key: not plain
    rewrite_plain(db, path, 5)  # rows 5 to 7 remade without the key, head too
    assert audit.verify(db, KEY) == ["3 dòng không có chữ ký khóa, từ dòng 5 đến 7"]
    with pytest.raises(AppError, match="dòng 5, không ký được"):  # nor does sealing again bless it
        audit.seal(db, KEY)
    rewrite_plain(db, path, 1)  # the whole chain remade: only the anchor kept beside the key shows it
    assert "dòng 6 (mốc lúc ký nhật ký) đã bị sửa hoặc xóa" in audit.verify(db, KEY, (6, last))


def test_sealing_refuses_an_edited_chain(trail):
    db, path = trail
    edit(path, "UPDATE audit SET actor = 'ai-do' WHERE id = 2")
    with pytest.raises(AppError, match="dòng 2, không ký được"):
        audit.seal(db, KEY)
    assert audit.verify(db) == ["dòng 2: nội dung đã bị sửa"]  # left as it was


def test_the_command_line_seals_once_and_then_verifies_with_the_key(trail, tmp_path, monkeypatch, capsys):
    db, path = trail
    index_dir = ["--index-dir", str(path.parent)]
    (tmp_path / "ngan").write_bytes(b"qua-ngan")
    monkeypatch.setenv("AUDIT_KEY_FILE", str(tmp_path / "ngan"))
    assert main(["audit", "--verify", *index_dir]) == 2
    assert "ít nhất 32 byte" in capsys.readouterr().err
    (tmp_path / "khoa").write_bytes(KEY)
    monkeypatch.setenv("AUDIT_KEY_FILE", str(tmp_path / "khoa"))
    assert main(["audit", "--verify", *index_dir]) == 1  # the key is set, the old rows not yet sealed
    assert main(["audit", "--seal", *index_dir]) == 0
    assert (tmp_path / "khoa.sealed").read_text().split()[0] == "5"
    assert main(["audit", "--seal", *index_dir]) == 2  # once
    assert "đã được ký" in capsys.readouterr().err
    gate = Gate(Settings(index_dir=path.parent, audit_key_file=tmp_path / "khoa"))
    Directory(gate.db).add_user("an", "", "reader", "mat-khau-cua-an-01")
    gate.signin.password("an", "mat-khau-cua-an-01", "10.0.0.3")  # signing in writes sealed rows too
    with pytest.raises(SignInRefused):
        gate.signin.password("an", "sai-mat-khau-roi", "10.0.0.3")
    assert main(["audit", "--verify", *index_dir]) == 0
    assert "Nhật ký nguyên vẹn" in capsys.readouterr().out
    rewrite_plain(db, path, 1)
    assert main(["audit", "--verify", *index_dir]) == 1
    out = capsys.readouterr().out
    assert "mốc lúc ký nhật ký" in out and "không có chữ ký khóa" in out
