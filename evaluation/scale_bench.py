"""How the index behaves at province scale.

python -m evaluation.scale_bench [--chunks 10000 30000 100000] [--corpus corpus] [--json]

For each size, a synthetic index is written through `Index.put_documents` from copies
of the corpus's documents (their real chunks, tokens and embeddings, each copy under
its own id with its vectors slightly moved), in a temporary folder. Then it times what
every process does at that size: read the records, rebuild the lexical index from
Chroma, collect garbage, make one more (already embedded) document searchable, ingest
one new file, check freshness, and search and answer with and without a locality
filter. Memory: resident size after loading, and the process's peak.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from cli import command, max_bytes, open_index
from errors import AppError
from index.records import NewDocument
from index.store import Index
from ingest.pipeline import discover, file_hash, ingest, prepare
from retrieval.assistant import Assistant
from retrieval.filters import Filters
from retrieval.retriever import HybridRetriever
from settings import Settings
from tools.briefing import build_briefing
from tools.compare import compare
from tools.examples import find_examples

QUESTIONS = ["Cần Thơ đã giao những nhiệm vụ gì?", "Bỉm Sơn tổ chức bao nhiêu lớp học bơi cho trẻ em?",
             "Đồng Nai tặng Bằng khen cho bao nhiêu tập thể?", "tinh hinh tre em duoi nuoc",
             "Những hạn chế khi thực hiện Chỉ thị 20", "Kết quả công tác tuyên truyền"]
NEW_FILE = ("Báo cáo của Ủy ban nhân dân thành phố Huế ngày 12/3/2024.\n\n"
            "Năm 2023, thành phố Huế đã tổ chức 12 lớp dạy bơi miễn phí cho 480 trẻ em.\n")


def _seed_documents(corpus: Path, index: Index, limit: int) -> list[NewDocument]:
    files, _ = discover([corpus])
    if not files:
        raise AppError(f"Không có tài liệu nào trong {corpus}.")
    return [prepare(f, f.name, file_hash(f), limit).embedded(index.embedder) for f in files]


def _copies(seeds: list[NewDocument], chunks: int):
    """Copies of the seed documents, each under its own id, until `chunks` chunks."""
    rng, made, n = np.random.default_rng(0), 0, 0
    while made < chunks:
        seed = seeds[n % len(seeds)]
        vectors = seed.vectors + rng.normal(0, 0.01, seed.vectors.shape).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        record = replace(seed.record, id=f"{n:06d}_{seed.record.id}", hash=f"{n}-{seed.record.hash}")
        yield NewDocument(record, seed.text, seed.chunks, vectors, seed.tokens)
        made += len(seed.chunks)
        n += 1


def _timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def _rss_mb() -> int:
    status = Path("/proc/self/status").read_text()
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
    """Seconds for the comparison and examples pages (the first time, when every document's
    facts are found, then from the kept facts) and for a briefing."""
    out = {}
    for name, run in (("compare", lambda: compare(index)), ("examples", lambda: find_examples(index))):
        out[f"{name}_first_seconds"] = round(_timed(run)[1], 2)
        out[f"{name}_seconds"] = round(_timed(run)[1], 2)
    out["briefing_seconds"] = round(_timed(lambda: build_briefing(index, "những hạn chế khi thực hiện Chỉ thị 20"))[1], 2)
    return out


def measure(settings: Settings, corpus: Path, chunks: int, tmp: Path) -> dict:
    index = open_index(settings, tmp / f"index-{chunks}")
    seeds = _seed_documents(corpus, index, max_bytes(settings))
    batch: list[NewDocument] = []
    started = time.perf_counter()
    for doc in _copies(seeds, chunks):
        batch.append(doc)
        if sum(len(d.chunks) for d in batch) >= 2000:
            index.put_documents(batch, replacing=set())
            batch = []
    if batch:
        index.put_documents(batch, replacing=set())
    out = {"chunks": index.chunk_count(), "write_seconds": round(time.perf_counter() - started, 1)}
    out["lexical_sync_seconds"] = round(_timed(index.lexical)[1], 1)  # every document added one by one
    shutil.rmtree(index.cache_path("lexical"))
    fresh = open_index(settings, index.index_dir)  # what a new process pays
    out["documents"] = len(_timed(fresh.records)[0])
    out["records_seconds"] = round(_timed(open_index(settings, index.index_dir).records)[1], 2)
    out["lexical_build_seconds"] = round(_timed(fresh.lexical)[1], 2)
    out["rss_after_load_mb"] = _rss_mb()
    one = replace(seeds[0], record=replace(seeds[0].record, id="one-more.txt", hash="one-more"))
    out["add_one_document_seconds"] = round(_timed(lambda: (fresh.put_documents([one]), fresh.lexical()))[1], 2)
    out["collect_garbage_seconds"] = round(_timed(fresh.collect_garbage)[1], 2)
    out["refresh_unchanged_ms"] = round(_timed(fresh.refresh)[1] * 1000, 2)
    new = tmp / f"new-{chunks}"
    new.mkdir()
    (new / "hue.txt").write_text(NEW_FILE, encoding="utf-8")
    report, seconds = _timed(lambda: ingest([new], fresh, max_bytes(settings), progress=False))
    out["ingest_one_file_seconds"] = round(seconds, 2)
    out["ingest_one_file_added"] = report.added
    retriever = HybridRetriever(index=fresh, k=5)
    out["query"] = _latencies(retriever, None)
    out["query_locality_filter"] = _latencies(retriever, Filters(localities=["Cần Thơ"]))
    out["answer"] = _latencies(Assistant(fresh), None)
    out.update(_tools(fresh))
    found = retriever.search("Huế tổ chức bao nhiêu lớp dạy bơi?")
    out["new_file_found_first"] = bool(found) and found[0].source == "hue.txt"
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


@command
def main(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.scale_bench", description="Đo chỉ mục ở quy mô lớn.")
    parser.add_argument("--chunks", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--corpus", type=Path, default=settings.corpus_dir)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
        for n in args.chunks:
            results.append(measure(settings, args.corpus, n, Path(tmp)))
            if not args.json:
                print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    if args.json:
        print(json.dumps({"results": results}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
