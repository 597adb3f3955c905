"""Classified documents: refused at ingest unless the deployment is an isolated network;
then read only by accounts cleared for their level, and marked in every citation."""

from __future__ import annotations

import pytest

from accounts.access import LOCAL_ADMIN, Action, Person, may
from accounts.units import Tree, Unit
from index.store import Index
from ingest.classified import classification_of
from ingest.pipeline import Owner, ingest
from retrieval.assistant import Assistant
from tests.conftest import MAX_BYTES

pytestmark = pytest.mark.integration

SECRET = (
    "ỦY BAN NHÂN DÂN HUYỆN THỬ\nTỐI MẬT\nSố: 7/BC-UBND\n\n"
    "BÁO CÁO\nvề tình hình trẻ em bị xâm hại\n\n"
    "Năm 2023 huyện ghi nhận 3 vụ xâm hại trẻ em, đã chuyển cơ quan điều tra xử lý.\n"
)
OPEN = (
    "BÁO CÁO\n\nCán bộ phải giữ bí mật thông tin cá nhân của trẻ em bị xâm hại.\nMật thiết phối hợp với nhà trường.\n"
)
TREE = Tree([Unit("A", "Đơn vị A")])


def test_the_stamp_is_read_from_the_header_only():
    assert classification_of(SECRET) == "Tối mật"
    assert classification_of(OPEN) == ""
    assert classification_of("\n" * 3 + "Độ mật: Mật\n") == "Mật"
    assert classification_of("x " * 500 + "\nMẬT\n") == ""  # far below the header


def test_refused_unless_allowed_then_read_by_cleared_accounts_only(tmp_path, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "mat.txt").write_text(SECRET, encoding="utf-8")
    (folder / "mo.txt").write_text(OPEN, encoding="utf-8")
    index = Index(tmp_path / "index", embedder)
    report = ingest([folder], index, MAX_BYTES, progress=False, owner=Owner("A"))
    assert report.added == 1 and "ALLOW_CLASSIFIED" in report.failed[0]["reason"]
    assert set(index.records()) == {"mo.txt"}

    report = ingest([folder], index, MAX_BYTES, progress=False, owner=Owner("A"), allow_classified=True)
    record = index.records()["mat.txt"]
    assert report.added == 1 and record.classification == "Tối mật" and record.unit == "A"
    for person, reads in (
        (Person("an", "A", "reader"), False),
        (Person("an", "A", "reader", clearance=1), False),  # "Mật" is below "Tối mật"
        (Person("an", "A", "reader", clearance=2), True),
        (Person("qt", "", "admin"), False),  # an administrator is not cleared by being one
        (LOCAL_ADMIN, True),
    ):
        assert may(person, Action.READ, record, TREE) is reads, person

    answer = Assistant(index).ask("Năm 2023 huyện ghi nhận bao nhiêu vụ xâm hại trẻ em?")
    cited = [c for c in answer.citations if c.source == "mat.txt"]
    assert cited and all(c.classification == "Tối mật" and c.label().startswith("[TỐI MẬT]") for c in cited)
