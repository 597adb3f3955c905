"""Ingest throughput beside the bare embedding throughput of the same model.

python -m ingest.bench [--corpus DIR] [--beir DIR] [--limit N] [--keep-index DIR] [--json]

The BEIR corpus is written as one .txt file per passage into a temporary
folder outside the project and ingested through the real pipeline.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from ingest.embedding import get_embedder
from ingest.pipeline import discover, file_hash, ingest, prepare
from ingest.store import Index
from settings import Settings


def write_beir(beir: Path, dest: Path, limit: int | None) -> int:
    count = 0
    with open(beir / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            if limit is not None and count >= limit:
                break
            row = json.loads(line)
            (dest / f"{row['id']}.txt").write_text(f"{row.get('title', '')}\n{row['text']}", encoding="utf-8")
            count += 1
    return count


def measure(name: str, corpus: Path, embedder, index_dir: Path, max_bytes: int, sample: int) -> dict:
    files, _ = discover([corpus])
    size = sum(p.stat().st_size for p in files)
    index = Index(index_dir, embedder)
    report = ingest([corpus], index, max_bytes, rebuild=True, progress=True)
    everything = [p for f in files for p in prepare(f, f.name, file_hash(f), max_bytes).passages]
    passages = list(everything)
    random.Random(0).shuffle(passages)
    passages = passages[:sample]
    embedder.embed_passages(passages[:4])  # warm
    started = time.time()
    for i in range(0, len(passages), 32):
        embedder.embed_passages(passages[i:i + 32])
    bare_s = time.time() - started
    bare_chars = sum(len(p) for p in passages)
    ingest_chars = sum(len(p) for p in everything)  # the same kind of text the bare rate embeds
    result = {
        "corpus": name, "documents": report.documents, "chunks": report.chunks, "megabytes": round(size / 1e6, 3),
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


def main(argv: list[str] | None = None) -> int:
    settings = Settings()
    parser = argparse.ArgumentParser(prog="python -m ingest.bench")
    parser.add_argument("--corpus", type=Path, default=settings.corpus_dir)
    parser.add_argument("--beir", type=Path, help="a BEIR-style folder with corpus.jsonl")
    parser.add_argument("--limit", type=int, help="at most N BEIR passages")
    parser.add_argument("--sample", type=int, default=300, help="chunks for the bare embedding rate")
    parser.add_argument("--keep-index", type=Path, help="keep the BEIR index here (for retrieval.bench)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    embedder = get_embedder(settings.embedding_model)
    max_bytes = int(settings.max_file_mb * 1e6)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        results.append(measure(str(args.corpus), args.corpus, embedder, tmp / "seed-index", max_bytes, args.sample))
        if args.beir:
            folder = tmp / "beir"
            folder.mkdir()
            write_beir(args.beir, folder, args.limit)
            index_dir = args.keep_index or tmp / "beir-index"
            results.append(measure(str(args.beir), folder, embedder, index_dir, max_bytes, args.sample))
    if args.json:
        print(json.dumps({"model": embedder.name, "results": results}, ensure_ascii=False, indent=2))
    else:
        for r in results:
            print(f"{r['corpus']}: {r['documents']} tài liệu, {r['chunks']} đoạn, {r['megabytes']} MB | "
                  f"nạp {r['ingest_chunks_per_s']} đoạn/s, {r['ingest_mb_per_s']} MB/s | "
                  f"nhúng thuần {r['bare_chunks_per_s']} đoạn/s, {r['bare_mb_per_s']} MB/s | "
                  f"tỉ lệ {r['ingest_vs_bare']:.0%} (theo ký tự), {r['ingest_vs_bare_chunks']:.0%} (theo đoạn)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
