"""Every reader runs in a worker process under CPU-time, memory and wall-clock limits, with
declared sizes checked before reading: a file built to make a reader spin is refused, and
the writer's lock is held only to commit, so other uploads go on meanwhile."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

import pytest

from errors import BadInputFile
from ingest.worker import Limits, read_limited
from tests.support import readers

pytestmark = pytest.mark.integration

_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def spreadsheet(path: Path, dimension: str) -> Path:
    """A 1.5 KB workbook with one cell that declares the range `dimension`."""
    cell = '<row r="1"><c r="A1" t="inlineStr"><is><t>Bỉm Sơn</t></is></c></row>'
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>'
        '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}"><dimension ref="{dimension}"/>'
        f"<sheetData>{cell}</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_spreadsheet_declaring_a_million_rows_is_refused_before_reading(tmp_path):
    bomb = spreadsheet(tmp_path / "bom.xlsx", "A1:XFD1048576")
    with pytest.raises(BadInputFile, match="khai báo"):
        read_limited(bomb, 20_000_000)
    honest = spreadsheet(tmp_path / "bang.xlsx", "A1:A1")
    assert "Bỉm Sơn" in read_limited(honest, 20_000_000).text


@pytest.mark.parametrize(
    ("reader", "limits", "reason"),
    [
        (readers.spins, Limits(cpu_seconds=1), "CPU"),
        (readers.sleeps, Limits(wall_seconds=2), "giây"),
        (readers.hoards, Limits(memory_bytes=2**30), "bộ nhớ"),
        (readers.dies, Limits(), "dừng bất thường"),
    ],
    ids=["cpu", "wall", "memory", "crash"],
)
def test_a_reader_past_a_limit_is_stopped_and_the_file_refused(tmp_path, reader, limits, reason):
    path = tmp_path / "a.txt"
    path.write_text("x")
    with pytest.raises(BadInputFile, match=reason):
        read_limited(path, 1000, limits=limits, reader=reader)


def test_a_slow_upload_does_not_hold_up_another(embedder, tmp_path, monkeypatch):
    """While one upload is being read, another session's small upload is read, committed
    and searchable: the write lock is taken only to commit."""
    from index.store import Index
    from ingest import pipeline
    from ingest.uploads import save_and_ingest

    index = Index(tmp_path / "idx", embedder)

    reading = threading.Event()
    release = threading.Event()
    real = pipeline.read_limited

    def slow(path, max_bytes, on_page=None):
        if path.name == "cham.txt":
            reading.set()
            release.wait(60)
        return real(path, max_bytes, on_page)

    monkeypatch.setattr(pipeline, "read_limited", slow)
    lock = threading.Lock()
    done = {}

    def upload(name, text):
        done[name] = save_and_ingest([(name, text.encode())], tmp_path / "up", index, 10**6, commit_lock=lock)

    index.open(create=True)
    first = threading.Thread(target=upload, args=("cham.txt", "Văn bản chậm về lớp học bơi cho trẻ em.\n"))
    first.start()
    assert reading.wait(60)
    upload("nhanh.txt", "Thị xã Bỉm Sơn mở thêm lớp dạy bơi mùa hè cho trẻ em.\n")  # while the first is read
    assert done["nhanh.txt"].report.added == 1 and "nhanh.txt" in index.records()
    assert "cham.txt" not in done
    release.set()
    first.join(60)
    assert done["cham.txt"].report.added == 1


def test_a_worker_starts_from_a_program_without_a_main_script(tmp_path):
    """A program read from standard input (`python -`) has no main script a worker could run again."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    (tmp_path / "a.txt").write_text("Thị xã Bỉm Sơn tổ chức 04 lớp học bơi cho trẻ em.\n", encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from ingest.worker import read_limited\n"
        f"print(read_limited(Path({str(tmp_path / 'a.txt')!r}), 1000).text)"
    )
    out = subprocess.run([sys.executable, "-"], input=code, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "04 lớp học bơi" in out.stdout, out.stderr
