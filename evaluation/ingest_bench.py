"""Ingest throughput beside the bare embedding throughput of the same model.

python -m evaluation.ingest_bench [--corpus DIR] [--beir DIR] [--limit N] [--keep-index DIR] [--json]

The BEIR corpus is written as one .txt file per passage into a temporary
folder outside the project and ingested through the real pipeline.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from cli import command
from errors import AppError
from evaluation.beir import write_beir
from index.embedding import get_embedder
from index.store import open_index
from ingest.pipeline import discover, file_hash, ingest, prepare
from settings import Settings


def measure(settings: Settings, name: str, corpus: Path, index_dir: Path, sample: int) -> dict:
    files, _ = discover([corpus])
    size = sum(p.stat().st_size for p in files)
    index = open_index(settings, index_dir)
    embedder = index.embedder
    report = ingest([corpus], index, settings.max_bytes, rebuild=True, progress=True, reread=True)
    if not report.documents:
        raise AppError(f"Không có tài liệu nào để đo trong {corpus}.")
    everything = [p for f in files for p in prepare(f, f.name, file_hash(f), settings.max_bytes).passages]
    passages = list(everything)
    random.Random(0).shuffle(passages)
    passages = passages[:sample]
    embedder.embed_passages(passages[:4])  # warm
    started = time.time()
    for i in range(0, len(passages), 32):
        embedder.embed_passages(passages[i : i + 32])
    bare_s = time.time() - started
    bare_chars = sum(len(p) for p in passages)
    ingest_chars = sum(len(p) for p in everything)  # the same kind of text the bare rate embeds
    result: dict[str, Any] = {
        "corpus": name,
        "documents": report.documents,
        "chunks": report.chunks,
        "megabytes": round(size / 1e6, 3),
        "ingest_seconds": report.seconds,
        "ingest_chunks_per_s": round(report.chunks / report.seconds, 2),
        "ingest_mb_per_s": round(size / 1e6 / report.seconds, 4),
        "bare_sample_chunks": len(passages),
        "bare_chunks_per_s": round(len(passages) / bare_s, 2),
        "bare_mb_per_s": round(bare_chars / 1e6 / bare_s, 4),
    }
    # Compare like with like: chunks per second, and characters of embedded passages per second.
    result["ingest_vs_bare_chunks"] = round(result["ingest_chunks_per_s"] / result["bare_chunks_per_s"], 3)
    result["ingest_vs_bare"] = round((ingest_chars / report.seconds) / (bare_chars / bare_s), 3)
    return result


@command
def main(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.ingest_bench")
    parser.add_argument("--corpus", type=Path, default=settings.corpus_dir)
    parser.add_argument("--beir", type=Path, help="a BEIR-style folder with corpus.jsonl")
    parser.add_argument("--limit", type=int, help="at most N BEIR passages")
    parser.add_argument("--sample", type=int, default=300, help="chunks for the bare embedding rate")
    parser.add_argument("--keep-index", type=Path, help="keep the BEIR index here (for evaluation.retrieval_bench)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        results.append(measure(settings, str(args.corpus), args.corpus, tmp / "seed-index", args.sample))
        if args.beir:
            folder = tmp / "beir"
            folder.mkdir()
            write_beir(args.beir, folder, args.limit)
            index_dir = args.keep_index or tmp / "beir-index"
            results.append(measure(settings, str(args.beir), folder, index_dir, args.sample))
    if args.json:
        print(
            json.dumps(
                {"model": get_embedder(settings.embedding_model).name, "results": results}, ensure_ascii=False, indent=2
            )
        )
        return 0
    for r in results:
        print(
            f"{r['corpus']}: {r['documents']} tài liệu, {r['chunks']} đoạn, {r['megabytes']} MB | "
            f"nạp {r['ingest_chunks_per_s']} đoạn/s, {r['ingest_mb_per_s']} MB/s | "
            f"nhúng thuần {r['bare_chunks_per_s']} đoạn/s, {r['bare_mb_per_s']} MB/s | "
            f"tỉ lệ {r['ingest_vs_bare']:.0%} (theo ký tự), {r['ingest_vs_bare_chunks']:.0%} (theo đoạn)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
