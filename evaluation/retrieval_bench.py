"""python -m evaluation.retrieval_bench --beir DIR [--index-dir DIR] [--max-queries N] [--strip-diacritics] [--json]

Indexes a BEIR-style corpus (one passage a document) if the index is missing,
maps chunks back to corpus ids, and prints nDCG@10, Recall@1/10/100 and MRR@10
for bm25, dense and hybrid side by side, with query latency and index time."""

from __future__ import annotations

import argparse
import json
import math
import statistics
import tempfile
import time
from pathlib import Path

from cli import command
from evaluation.beir import load_beir, write_beir
from index.store import Index, open_index
from ingest.pipeline import ingest
from retrieval.retriever import MODES, HybridRetriever
from settings import Settings
from vietnamese.normalize import strip_diacritics


def score_run(ranked: list[str], gold: set[str]) -> dict:
    dcg = sum(1 / math.log2(i + 2) for i, cid in enumerate(ranked[:10]) if cid in gold)
    idcg = sum(1 / math.log2(i + 2) for i in range(min(len(gold), 10)))
    first = next((i for i, cid in enumerate(ranked[:10]) if cid in gold), None)
    return {
        "ndcg@10": dcg / idcg,
        "recall@1": len(set(ranked[:1]) & gold) / len(gold),
        "recall@10": len(set(ranked[:10]) & gold) / len(gold),
        "recall@100": len(set(ranked[:100]) & gold) / len(gold),
        "mrr@10": 1 / (first + 1) if first is not None else 0.0,
    }


def corpus_ranking(retriever: HybridRetriever, query: str) -> list[str]:
    """Chunks ranked by the retriever, mapped to corpus ids (first chunk wins)."""
    ranked = retriever.ranked_ids(query, depth=300)
    source_of = retriever.index.lexical().sources(cid for cid, _ in ranked)
    out: list[str] = []
    for cid, _ in ranked:
        corpus_id = source_of.get(cid, "").removesuffix(".txt")
        if corpus_id and corpus_id not in out:
            out.append(corpus_id)
        if len(out) >= 100:
            break
    return out


def run(index: Index, queries: list[dict], qrels: dict[str, set[str]], strip: bool) -> dict:
    results = {}
    for mode in MODES:
        retriever = HybridRetriever(index=index, k=100, mode=mode)
        rows, latencies = [], []
        for q in queries:
            text = strip_diacritics(q["text"]) if strip else q["text"]
            started = time.perf_counter()
            ranked = corpus_ranking(retriever, text)
            latencies.append((time.perf_counter() - started) * 1000)
            rows.append(score_run(ranked, qrels[q["id"]]))
        summary = {k: round(statistics.mean(r[k] for r in rows), 4) for k in rows[0]}
        latencies.sort()
        summary["latency_ms_p50"] = round(latencies[len(latencies) // 2], 1)
        summary["latency_ms_p95"] = round(latencies[int(len(latencies) * 0.95) - 1], 1)
        results[mode] = summary
    return results


def open_or_build(settings: Settings, beir: Path, index_dir: Path, tmp: Path, quiet: bool) -> tuple[Index, dict]:
    """The benchmark's index, built from the BEIR corpus unless `index_dir` holds one."""
    index = open_index(settings, index_dir)
    stamp = index_dir / "bench-index.json"
    if stamp.exists():
        return index, json.loads(stamp.read_text())
    folder = tmp / "corpus"
    folder.mkdir()
    write_beir(beir, folder, None)
    report = ingest([folder], index, settings.max_bytes, rebuild=True, progress=not quiet)
    built = {"index_seconds": report.seconds, "documents": report.documents, "chunks": report.chunks}
    stamp.write_text(json.dumps(built))
    return index, built


def show(out: dict) -> None:
    print(
        f"{out['beir']}: {out['queries']} câu hỏi, {out['documents']} tài liệu, {out['chunks']} đoạn, "
        f"lập chỉ mục {out['index_seconds']} s{' (câu hỏi bỏ dấu)' if out['strip_diacritics'] else ''}"
    )
    cols = ["ndcg@10", "recall@1", "recall@10", "recall@100", "mrr@10", "latency_ms_p50", "latency_ms_p95"]
    print(f"{'mode':<8}" + "".join(f"{c:>16}" for c in cols))
    for mode, r in out["results"].items():
        print(f"{mode:<8}" + "".join(f"{r[c]:>16}" for c in cols))


@command
def main(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.retrieval_bench")
    parser.add_argument("--beir", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path)
    parser.add_argument("--max-queries", type=int)
    parser.add_argument("--strip-diacritics", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    queries, qrels = load_beir(args.beir, args.max_queries)
    with tempfile.TemporaryDirectory() as tmp:
        index, built = open_or_build(settings, args.beir, args.index_dir or Path(tmp) / "index", Path(tmp), args.json)
        results = run(index, queries, qrels, args.strip_diacritics)
    out = {
        "beir": str(args.beir),
        "queries": len(queries),
        "strip_diacritics": args.strip_diacritics,
        **built,
        "results": results,
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        show(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
