"""Every command fails the same way: one Vietnamese line on stderr, exit 2, no traceback."""

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.integration


def _fail(tmp_path, *args, env=None):
    out = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2, out.stderr
    assert len(lines) == 1 and lines[0].startswith("Lỗi: "), out.stderr
    return lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ("retrieval", "ask", "Cần Thơ đã giao những nhiệm vụ gì?"),
        ("tools", "briefing", "tuyên truyền"),
        ("tools", "compare"),
        ("tools", "examples"),
    ],
)
def test_missing_index_is_one_line(tmp_path, args):
    missing = tmp_path / "no-index"
    line = _fail(tmp_path, *args, "--index-dir", str(missing))
    assert "Chưa có chỉ mục" in line and "python -m ingest" in line
    assert not missing.exists()


def test_measurement_commands_name_what_is_missing(tmp_path):
    qa = tmp_path / "qa.jsonl"
    qa.write_text(
        '{"id": "a", "question": "Cần Thơ?", "answerable": false, "sources": [], "answer_keys": []}\n', encoding="utf-8"
    )
    assert str(tmp_path / "none.jsonl") in _fail(
        tmp_path, "evaluation.qa", "--qa", str(tmp_path / "none.jsonl"), "--corpus", str(ROOT / "corpus")
    )
    assert "Không có tài liệu" in _fail(
        tmp_path,
        "evaluation.qa",
        "--qa",
        str(qa),
        "--corpus",
        str(tmp_path / "empty"),
        "--index-dir",
        str(tmp_path / "idx"),
    )
    assert "qrels.tsv" in _fail(
        tmp_path, "evaluation.retrieval_bench", "--beir", str(tmp_path), "--index-dir", str(tmp_path / "b")
    )
    assert "Không có tài liệu" in _fail(tmp_path, "evaluation.ingest_bench", "--corpus", str(tmp_path / "empty"))


def test_unreachable_chroma_server_is_one_line(tmp_path):
    env = {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": "1"}
    for args in (("ingest", str(ROOT / "corpus")), ("retrieval", "ask", "Cần Thơ")):
        assert "Chroma" in _fail(tmp_path, *args, "--index-dir", str(tmp_path / "i"), env=env)


def test_bad_settings_are_one_line(tmp_path):
    assert "cấu hình" in _fail(tmp_path, "retrieval", "ask", "x", env={"ANSWER_MODE": "nonsense"})


def readme_commands() -> list[tuple[str, str]]:
    """`python -m MODULE [SUBCOMMAND]` as the README writes them."""
    found = re.findall(r"python -m ([a-z_.]+)(?: (ask|briefing|compare|examples)\b)?", (ROOT / "README.md").read_text())
    return sorted({(m, sub) for m, sub in found if m != "pytest"})


@pytest.mark.parametrize(("module", "sub"), readme_commands())
def test_every_readme_command_answers_help(module, sub):
    out = subprocess.run(
        [sys.executable, "-m", module, *([sub] if sub else []), "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "usage:" in out.stdout
