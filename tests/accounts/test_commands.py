"""The command line, run from outside as an administrator would: units, accounts, ingest
into a unit, questions and tools as a reader, denials, disabled accounts, the audit trail."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import CORPUS, ROOT
from tests.support.units import BIM_SON, CAN_THO

pytestmark = pytest.mark.integration


def run(*args, stdin: str = "", index=None):
    out = subprocess.run(
        [sys.executable, "-m", *args, "--index-dir", str(index)],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    return out.returncode, out.stdout, out.stderr.strip()


def one_line_failure(result) -> str:
    code, _, err = result
    assert code == 2 and len(err.splitlines()) == 1 and err.startswith("Lỗi: "), err
    return err


def test_the_command_line_end_to_end(seed_index, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(seed_index.index_dir, index)
    assert run("accounts", "unit", "add", "P", "--name", "Tỉnh thử", index=index)[0] == 0
    assert run("accounts", "unit", "add", "A", "--name", "Đơn vị A", "--parent", "P", index=index)[0] == 0
    code, out, err = run(
        "accounts", "user", "add", "ra", "--unit", "A", "--role", "reader", "--password-stdin",
        stdin="mat-khau-cua-a-01\n", index=index,
    )  # fmt: skip
    assert code == 0, err
    assert "mat-khau" not in (index / "accounts.sqlite").read_bytes().decode("utf-8", "ignore")

    # Ingest into a unit: a document ingested before without one is given it.
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    code, out, err = run("ingest", str(corpus / CAN_THO), "--unit", "A", "--visibility", "unit", index=index)
    assert code == 0, err
    one_line_failure(run("ingest", str(corpus / CAN_THO), "--unit", "KHONG-CO", index=index))

    code, out, err = run(
        "retrieval", "ask", "Bỉm Sơn tổ chức bao nhiêu lớp học bơi?", "--user", "ra", "--json", index=index
    )
    assert code == 0, err
    answer = json.loads(out)
    cited = {c["source"] for c in answer["citations"]} | {c["source"] for c in answer.get("related", [])}
    assert cited <= {CAN_THO} and "Bỉm Sơn" not in answer["answer"].replace("Bỉm Sơn tổ chức", "")
    code, out, err = run("retrieval", "ask", "Bỉm Sơn tổ chức bao nhiêu lớp học bơi?", "--json", index=index)
    assert BIM_SON in {c["source"] for c in json.loads(out)["citations"]}  # the local administrator reads all

    assert (
        one_line_failure(run("retrieval", "ask", "x", "--user", "khong-ai", index=index))
        == "Lỗi: Không có người dùng khong-ai."
    )
    for tool in (("tools", "compare"), ("tools", "examples"), ("tools", "briefing", "dạy bơi")):
        assert "Không có người dùng" in one_line_failure(run(*tool, "--user", "khong-ai", index=index))

    code, out, err = run("tools", "examples", "--user", "ra", "--out", str(tmp_path / "e.csv"), "--json", index=index)
    assert code == 0, err
    assert {e["citation"]["source"] for e in json.loads(out)["items"]} <= {CAN_THO}
    assert "Bỉm Sơn" not in (tmp_path / "e.csv").read_text("utf-8")

    # Reading is not sharing: a reader changing who may read a document is refused, on record.
    assert "Không có tài liệu" in one_line_failure(
        run("accounts", "doc", "set", CAN_THO, "--visibility", "all", "--by", "ra", index=index)
    )
    assert "Không có tài liệu" in one_line_failure(
        run("accounts", "doc", "set", BIM_SON, "--visibility", "all", "--by", "ra", index=index)
    )  # another unit's document: the same answer
    one_line_failure(run("accounts", "audit", "--by", "ra", index=index))

    assert run("accounts", "user", "disable", "ra", index=index)[0] == 0
    one_line_failure(run("retrieval", "ask", "Cần Thơ đã giao những nhiệm vụ gì?", "--user", "ra", index=index))

    code, out, err = run("accounts", "audit", "--json", index=index)
    rows = json.loads(out)
    actions = [(r["actor"], r["action"]) for r in rows]
    assert ("ra", "question") in actions and ("ra", "denied") in actions and ("ra", "export") in actions
    assert ("(quản trị máy này)", "user_disable") in actions and ("(quản trị máy này)", "ingest") in actions
    assert "mat-khau" not in out
    code, out, _ = run("accounts", "audit", "--user", "ra", "--csv", index=index)
    assert out.splitlines()[0].startswith("id,") and all(",ra," in line for line in out.splitlines()[1:] if line)

    assert run("accounts", "audit", "--verify", index=index)[0] == 0
    with sqlite3.connect(index / "accounts.sqlite") as conn:
        conn.execute("UPDATE audit SET detail = '{}' WHERE actor = 'ra' AND action = 'question'")
    code, out, _ = run("accounts", "audit", "--verify", index=index)
    assert code == 1 and "nội dung đã bị sửa" in out
