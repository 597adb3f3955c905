"""The command line says when it did nothing: every file refused is exit code 1, an empty
version id or a missing index is refused before anything is read, made or ingested."""

from __future__ import annotations

import pytest

from ingest.__main__ import main

pytestmark = pytest.mark.integration


def test_every_file_refused_is_a_failure(tmp_path, capsys):
    (tmp_path / "rong.txt").write_bytes(b"")
    (tmp_path / "anh.bin").write_bytes(b"\x00\x01")
    assert main([str(tmp_path / "rong.txt"), str(tmp_path / "anh.bin"), "--index-dir", str(tmp_path / "idx")]) == 1
    assert "Tệp rỗng" in capsys.readouterr().err


def test_an_empty_version_id_restores_nothing_and_ingests_nothing(tmp_path, capsys):
    index = tmp_path / "idx"
    with pytest.raises(SystemExit) as stop:
        main(["--restore", "", "--index-dir", str(index)])
    assert stop.value.code == 2 and not index.exists()
    assert "--restore cần mã phiên bản" in capsys.readouterr().err


def test_versions_of_a_missing_index_do_not_create_it(tmp_path, capsys):
    index = tmp_path / "khong-co"
    assert main(["--versions", "a.txt", "--index-dir", str(index)]) == 2
    assert not index.exists() and "Chưa có chỉ mục" in capsys.readouterr().err
