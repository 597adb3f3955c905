"""How the index behaves at province scale.

python -m evaluation.scale_bench [--chunks 10000 30000 100000] [--one-chunk] [--corpus corpus] [--keep DIR] [--json]

For each size, a synthetic index is written through `Index.put_documents` from copies
of the corpus's documents (their real chunks, tokens and embeddings, each copy under
its own id with its vectors slightly moved), in a temporary folder or under `--keep`
(where an interrupted build goes on from where it stopped); with `--one-chunk` each copy
keeps one chunk, so that the documents, too, pass SQLite's variable limit. Then it times what every
process does at that size: read the records, rebuild the lexical index from Chroma,
collect garbage, make one more (already embedded) document searchable, ingest one new
file, check freshness, search and answer with and without a locality filter, find the
facts at ingest, the comparison, examples and briefing; search and answer for a reader of
one of 50 units (documents spread over them) and what signing in adds to a question; and the real app in headless
Chromium: cold start, first answer, the comparison and examples pages. Memory: resident
size after loading, and the process's peak.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from accounts.gate import Gate
from cli import command
from errors import AppError, IndexMissing
from evaluation.load import FLAGS, start_app
from index.records import NewDocument
from index.store import Index, open_index
from ingest.pipeline import discover, file_hash, ingest, prepare
from retrieval.assistant import Assistant
from retrieval.filters import Filters
from retrieval.retriever import HybridRetriever
from settings import Settings
from tools.briefing import build_briefing
from tools.compare import compare
from tools.examples import find_examples
from tools.facts import clear_memo as facts_memo_clear
from tools.prepare import keep_facts

QUESTIONS = [
    "Cần Thơ đã giao những nhiệm vụ gì?",
    "Bỉm Sơn tổ chức bao nhiêu lớp học bơi cho trẻ em?",
    "Đồng Nai tặng Bằng khen cho bao nhiêu tập thể?",
    "tinh hinh tre em duoi nuoc",
    "Những hạn chế khi thực hiện Chỉ thị 20",
    "Kết quả công tác tuyên truyền",
]
NEW_FILE = (
    "Báo cáo của Ủy ban nhân dân thành phố Huế ngày 12/3/2024.\n\n"
    "Năm 2023, thành phố Huế đã tổ chức 12 lớp dạy bơi miễn phí cho 480 trẻ em.\n"
)


def _seed_documents(corpus: Path, index: Index, limit: int) -> list[NewDocument]:
    files, _ = discover([corpus])
    if not files:
        raise AppError(f"Không có tài liệu nào trong {corpus}.")
    return [prepare(f, f.name, file_hash(f), limit).embedded(index.embedder) for f in files]


def _copies(seeds: list[NewDocument], chunks: int, one_chunk: bool = False):
    """Copies of the seed documents, each under its own id, until `chunks` chunks (with
    `one_chunk`, each copy keeps its first chunk only: as many documents as chunks)."""
    rng, made, n = np.random.default_rng(0), 0, 0
    while made < chunks:
        seed = seeds[n % len(seeds)]
        kept = 1 if one_chunk else len(seed.chunks)
        vectors = seed.vectors[:kept] + rng.normal(0, 0.01, seed.vectors[:kept].shape).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        unit, visibility = ("P", "below") if n % 25 == 0 else (f"U{n % UNITS:02d}", "unit")  # a province over 50 units
        record = replace(
            seed.record,
            id=f"{n:06d}_{seed.record.id}",
            hash=f"{n}-{seed.record.hash}",
            chunks=kept,
            unit=unit,
            visibility=visibility,
        )
        yield NewDocument(record, seed.text, seed.chunks[:kept], vectors, seed.tokens[:kept])
        made += kept
        n += 1


UNITS = 50


def _readers(settings: Settings, index: Index) -> dict:
    """A reader of one of 50 units: search and answer times through their view, beside the
    unfiltered ones; and what signing in adds to each question (the session, the account,
    the view), in ms."""
    gate = Gate(settings, index.index_dir)
    tree = gate.directory.tree()
    if "P" not in tree:
        gate.directory.add_unit("P", "Tỉnh")
        for n in range(UNITS):
            gate.directory.add_unit(f"U{n:02d}", f"Đơn vị {n}", "P")
    if gate.directory.row("doc-gia") is None:
        gate.directory.add_user("doc-gia", "U07", "reader", "mat-khau-do-hieu-nang")
    person, seconds = _timed(lambda: gate.signin.password("doc-gia", "mat-khau-do-hieu-nang"))
    token = gate.signin.start(person)
    view, first = _timed(lambda: gate.view(index, person).records())
    out: dict[str, Any] = {
        "one_unit_reader_documents": len(view),
        "signin_password_ms": round(seconds * 1000, 1),
        "reader_view_first_ms": round(first * 1000, 1),
    }

    def each_question() -> None:  # what every page run of a signed-in person adds
        found = gate.signin.resume(token)
        assert found is not None
        gate.view(index, found).records()

    times = sorted(_timed(each_question)[1] * 1000 for _ in range(50))
    out["signin_per_question_ms"] = {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[46], 2)}
    reader_view = gate.view(index, person)
    out["query_one_unit_reader"] = _latencies(HybridRetriever(index=reader_view, k=5), None)
    out["answer_one_unit_reader"] = _latencies(Assistant(reader_view), None)
    return out


def _timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def _rss_mb(pid: int | str = "self") -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) // 1024


def _latencies(reader: HybridRetriever | Assistant, filters: Filters | None) -> dict:
    """Search times (a retriever) or answer times (an assistant), in ms."""
    run = reader.ask if isinstance(reader, Assistant) else (lambda q: reader.search(q, filters=filters))
    run(QUESTIONS[0])  # warm
    times = []
    for q in QUESTIONS * 3:
        started = time.perf_counter()
        run(q)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(len(times) * 0.95) - 1], 1)}


def _tools(index: Index) -> dict:
    """Seconds to find every document's facts (what ingest does), then for the comparison
    and examples (the first time in this process, from the kept facts, then from memory)
    and for a briefing."""
    for kept in index.cache_path("facts.sqlite").parent.glob("facts.sqlite*"):
        kept.unlink()  # the whole cost, also over a kept index
    read, seconds = _timed(lambda: keep_facts(index))
    out = {
        "facts_at_ingest_seconds": round(seconds, 1),
        "facts_ms_per_document": round(seconds * 1000 / max(read, 1), 1),
    }
    facts_memo_clear()
    for name, run in (("compare", lambda: compare(index)), ("examples", lambda: find_examples(index))):
        out[f"{name}_first_seconds"] = round(_timed(run)[1], 2)
        out[f"{name}_seconds"] = round(_timed(run)[1], 2)
    out["briefing_seconds"] = round(
        _timed(lambda: build_briefing(index, "những hạn chế khi thực hiện Chỉ thị 20"))[1], 2
    )
    return out


def _app_times(index_dir: Path, corpus: Path, tmp: Path) -> dict:
    """The real app on this index, in headless Chromium: seconds from starting the process
    to the chat box (cold start), to a first answer, and to each tool page's content."""
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    proc, url = start_app(index_dir, corpus, tmp)
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium", headless=True, args=FLAGS
            )
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.set_default_timeout(600_000)
            page.goto(url)
            box = page.get_by_test_id("stChatInputTextArea")
            box.wait_for()
            out["app_cold_start_seconds"] = round(time.perf_counter() - started, 1)
            asked = time.perf_counter()
            box.fill(QUESTIONS[0])
            box.press("Enter")
            page.locator("div.answer, div.refused").first.wait_for()
            out["app_first_answer_seconds"] = round(time.perf_counter() - asked, 1)
            out["app_rss_after_first_answer_mb"] = _rss_mb(proc.pid)
            for name, path, shown in (
                ("compare", "so-sanh", page.get_by_text("Trích dẫn")),
                ("examples", "dien-hinh", page.get_by_text(re.compile(r"^\d+ mục\."))),
            ):
                opened = time.perf_counter()
                page.goto(f"{url}/{path}")
                shown.first.wait_for()
                out[f"app_{name}_page_seconds"] = round(time.perf_counter() - opened, 1)
            out["app_rss_after_pages_mb"] = _rss_mb(proc.pid)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return out


def _records(index: Index) -> dict:
    try:
        return index.records()
    except IndexMissing:
        return {}


def _build(index: Index, seeds: list[NewDocument], chunks: int, one_chunk: bool) -> float:
    """Write the copies not yet in the index (an interrupted build goes on where it
    stopped); seconds spent writing in this run."""
    have, batch, started = set(_records(index)), [], time.perf_counter()
    bar = tqdm(total=chunks, unit="đoạn", desc=f"Chỉ mục {chunks:,} đoạn", disable=None)
    for doc in _copies(seeds, chunks, one_chunk):
        bar.update(len(doc.chunks))
        if doc.record.id not in have:
            batch.append(doc)
        if sum(len(d.chunks) for d in batch) >= 2000:
            index.put_documents(batch, replacing=set())
            batch = []
    if batch:
        index.put_documents(batch, replacing=set())
    bar.close()
    return time.perf_counter() - started


def measure(settings: Settings, corpus: Path, chunks: int, tmp: Path, one_chunk: bool = False) -> dict:
    index = open_index(settings, tmp / f"index-{chunks}{'-one-chunk' if one_chunk else ''}")
    seeds = _seed_documents(corpus, index, settings.max_bytes)
    for doc_id in {"one-more.txt", "hue.txt"} & set(_records(index)):
        index.remove_document(doc_id)  # left by an earlier run over a kept index
    written = _build(index, seeds, chunks, one_chunk)
    out: dict[str, Any] = {"chunks": index.chunk_count(), "write_seconds": round(written, 1)}
    out["lexical_sync_seconds"] = round(_timed(index.lexical)[1], 1)  # the documents written, one by one
    shutil.rmtree(index.cache_path("lexical"))
    fresh = open_index(settings, index.index_dir)  # what a new process pays
    out["documents"] = len(_timed(fresh.records)[0])
    out["records_seconds"] = round(_timed(open_index(settings, index.index_dir).records)[1], 2)
    out["lexical_build_seconds"] = round(_timed(fresh.lexical)[1], 2)
    out["rss_after_load_mb"] = _rss_mb()
    one = replace(seeds[0], record=replace(seeds[0].record, id="one-more.txt", hash="one-more"))

    def add_one() -> None:
        fresh.put_documents([one])
        fresh.lexical()

    out["add_one_document_seconds"] = round(_timed(add_one)[1], 2)
    out["collect_garbage_seconds"] = round(_timed(fresh.collect_garbage)[1], 2)
    out["refresh_unchanged_ms"] = round(_timed(fresh.refresh)[1] * 1000, 2)
    new = tmp / f"new-{chunks}"
    new.mkdir(exist_ok=True)
    (new / "hue.txt").write_text(NEW_FILE, encoding="utf-8")
    report, seconds = _timed(lambda: ingest([new], fresh, settings.max_bytes, progress=False))
    out["ingest_one_file_seconds"] = round(seconds, 2)
    out["ingest_one_file_added"] = report.added
    retriever = HybridRetriever(index=fresh, k=5)
    out["query"] = _latencies(retriever, None)
    out["query_locality_filter"] = _latencies(retriever, Filters(localities=["Cần Thơ"]))
    out["answer"] = _latencies(Assistant(fresh), None)
    out.update(_readers(settings, fresh))
    out.update(_tools(fresh))
    found = retriever.search("Huế tổ chức bao nhiêu lớp dạy bơi?")
    out["new_file_found_first"] = bool(found) and found[0].source == "hue.txt"
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out.update(_app_times(fresh.index_dir, corpus, tmp))
    return out


@command
def main(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.scale_bench", description="Đo chỉ mục ở quy mô lớn.")
    parser.add_argument("--chunks", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--corpus", type=Path, default=settings.corpus_dir)
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="giữ các chỉ mục ở đây; chạy lại thì viết tiếp phần còn thiếu (mặc định: thư mục tạm)",
    )
    parser.add_argument(
        "--one-chunk",
        action="store_true",
        help="mỗi bản sao chỉ một đoạn: số văn bản bằng số đoạn (vượt giới hạn biến của SQLite)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
        for n in args.chunks:
            results.append(measure(settings, args.corpus, n, args.keep or Path(tmp), args.one_chunk))
            if not args.json:
                print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    if args.json:
        print(json.dumps({"results": results}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
