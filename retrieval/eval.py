"""python -m retrieval.eval --qa FILE --corpus DIR [--index-dir DIR] [--mode bm25|dense|hybrid] [--json]

Indexes the corpus if needed, answers every question of a file in the format of
shared/eval/README.md and prints the metrics named there."""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import unicodedata
from pathlib import Path

from ingest.embedding import get_embedder
from ingest.pipeline import ingest
from ingest.store import Index
from retrieval.answer import ExtractiveAnswerer
from retrieval.llm import LLMAnswerer, make_chat_model
from retrieval.retriever import MODES, HybridRetriever
from settings import Settings

KS_SOURCE = (1, 3, 5, 10)
KS_EVIDENCE = (1, 3, 5)


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def has_key(text: str, key) -> bool:
    keys = key if isinstance(key, list) else [key]
    return any(norm(k) in text for k in keys)


def load_questions(path: Path) -> list[dict]:
    rows = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            row.setdefault("id", f"q{i}")
            row.setdefault("answerable", True)
            row.setdefault("sources", [])
            row.setdefault("answer_keys", [])
            rows.append(row)
    return rows


def evaluate(questions: list[dict], index: Index, mode: str = "hybrid", answer_k: int = 5,
             chat_model=None) -> dict:
    retriever = HybridRetriever(index=index, k=10, mode=mode)
    answerer = ExtractiveAnswerer(idf=index.lexical().idf, document_text=index.document_text)
    if chat_model is not None:
        answerer = LLMAnswerer(chat_model, answerer)
    per_question = []
    for q in questions:
        passages = retriever.search(q["question"], k=10)
        answer = answerer.answer(q["question"], passages[:answer_k])
        per_question.append({
            "id": q["id"], "question": q["question"], "answerable": q["answerable"],
            "gold_sources": q["sources"], "answer_keys": q["answer_keys"],
            "retrieved": [{"source": d.metadata["source"], "section": d.metadata.get("section", ""),
                           "start": d.metadata.get("start"), "end": d.metadata.get("end"),
                           "chars": len(d.page_content), "text": d.page_content} for d in passages],
            **answer.as_dict(), "answer_mode": answer.mode, "notice": answer.notice,
        })
    return {"metrics": metrics(per_question), "questions": per_question}


def metrics(rows: list[dict]) -> dict:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    out: dict = {"questions": len(rows), "answerable": len(answerable), "unanswerable": len(unanswerable)}

    def share(flags) -> float:
        flags = list(flags)
        return round(sum(flags) / len(flags), 4) if flags else 0.0

    for k in KS_SOURCE:
        out[f"source_recall@{k}"] = share(
            bool({p["source"] for p in r["retrieved"][:k]} & set(r["gold_sources"])) for r in answerable)
    for k in KS_EVIDENCE:
        out[f"evidence_recall@{k}"] = share(
            all(has_key(norm(" ".join(p["text"] for p in r["retrieved"][:k])), key) for key in r["answer_keys"])
            for r in answerable)
    rr = []
    for r in answerable:
        ranks = [i for i, p in enumerate(r["retrieved"][:10]) if p["source"] in r["gold_sources"]]
        rr.append(1 / (ranks[0] + 1) if ranks else 0.0)
    out["mrr@10"] = round(statistics.mean(rr), 4) if rr else 0.0
    lengths = [p["chars"] for r in rows for p in r["retrieved"]]
    out["mean_passage_chars"] = round(statistics.mean(lengths), 1) if lengths else 0.0
    out["answer_key_hit"] = share(all(has_key(norm(r["answer"]), key) for key in r["answer_keys"])
                                  for r in answerable)
    answered = [len(r["answer"]) for r in answerable if not r["refused"]]
    out["answer_chars_median"] = statistics.median(answered) if answered else 0
    cites = [c["source"] in r["gold_sources"] for r in answerable for c in r["citations"]]
    cites += [False for r in unanswerable for _ in r["citations"]]
    out["citation_precision"] = share(cites) if cites else 1.0
    out["refusal_accuracy"] = share(r["refused"] and not r["citations"] for r in unanswerable) if unanswerable else 1.0
    out["false_refusal_rate"] = share(r["refused"] for r in answerable)
    if any(r.get("answer_mode") == "llm" or r.get("notice") for r in rows):
        out["llm_answer_rate"] = share(r.get("answer_mode") == "llm" for r in rows)
        out["llm_fallback_rate"] = share(bool(r.get("notice")) for r in rows)
    return out


def main(argv: list[str] | None = None) -> int:
    settings = Settings()
    parser = argparse.ArgumentParser(prog="python -m retrieval.eval")
    parser.add_argument("--qa", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path)
    parser.add_argument("--mode", choices=MODES, default="hybrid")
    parser.add_argument("--answer-mode", choices=("extractive", "llm"), default=None,
                        help="mặc định theo ANSWER_MODE")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    embedder = get_embedder(settings.embedding_model)
    with tempfile.TemporaryDirectory() as tmp:
        index = Index(args.index_dir or Path(tmp) / "index", embedder, settings.chroma_host, settings.chroma_port)
        ingest([args.corpus], index, int(settings.max_file_mb * 1e6), prune=True, progress=not args.json)
        if args.answer_mode:
            settings.answer_mode = args.answer_mode
        result = evaluate(load_questions(args.qa), index, args.mode, chat_model=make_chat_model(settings))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for key, value in result["metrics"].items():
            print(f"{key:>22}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
