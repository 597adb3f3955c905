"""python -m evaluation.qa --qa FILE --corpus DIR [--index-dir DIR] [--mode bm25|dense|hybrid]
[--answer-mode extractive|llm] [--json]

Indexes the corpus if needed, answers every question of a file in the format of
shared/eval/README.md and prints the metrics named there."""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import unicodedata
from pathlib import Path

from cli import command
from errors import AppError
from index.store import Index, open_index
from ingest.pipeline import ingest
from retrieval.assistant import SCORERS, Assistant
from retrieval.chat import make_chat_model
from retrieval.conversation import Conversation
from retrieval.retriever import MODES
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


def evaluate(questions: list[dict], index: Index, mode: str = "hybrid", chat_model=None, scorer: str = "rules") -> dict:
    """Every question through the product's own path (`Assistant.ask`), timed from the
    question to the answer. A row with `follows` (the id of an earlier row) is asked in
    that row's conversation, as a follow-up; every other row starts its own."""
    assistant = Assistant(index, mode=mode, k=10, chat_model=chat_model, scorer=scorer)
    per_question = []
    conversations: dict[str, Conversation] = {}
    if questions:  # warm-up: models and caches load before anything is timed
        assistant.ask(questions[0]["question"])
    for q in questions:
        conversation = conversations.get(q.get("follows") or "") or Conversation()
        conversations[q["id"]] = conversation
        began = time.perf_counter()
        answer = assistant.ask(q["question"], conversation)
        seconds = time.perf_counter() - began
        per_question.append(
            {
                "id": q["id"],
                "question": q["question"],
                "answerable": q["answerable"],
                "gold_sources": q["sources"],
                "answer_keys": q["answer_keys"],
                "retrieved": [
                    {
                        "source": p.source,
                        "section": p.section,
                        "start": p.start,
                        "end": p.end,
                        "chars": len(p.text),
                        "text": p.text,
                    }
                    for p in answer.passages
                ],
                **answer.as_dict(),
                "answer_mode": answer.mode,
                "notice": answer.notice,
                "ms": round(seconds * 1000, 1),
            }
        )
    return {"metrics": metrics(per_question), "questions": per_question}


def share(flags) -> float:
    flags = list(flags)
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def retrieval_metrics(answerable: list[dict]) -> dict:
    out = {}
    for k in KS_SOURCE:
        out[f"source_recall@{k}"] = share(
            bool({p["source"] for p in r["retrieved"][:k]} & set(r["gold_sources"])) for r in answerable
        )
    for k in KS_EVIDENCE:
        out[f"evidence_recall@{k}"] = share(
            all(has_key(norm(" ".join(p["text"] for p in r["retrieved"][:k])), key) for key in r["answer_keys"])
            for r in answerable
        )
    rr = []
    for r in answerable:
        ranks = [i for i, p in enumerate(r["retrieved"][:10]) if p["source"] in r["gold_sources"]]
        rr.append(1 / (ranks[0] + 1) if ranks else 0.0)
    out["mrr@10"] = round(statistics.mean(rr), 4) if rr else 0.0
    return out


def answer_metrics(answerable: list[dict], unanswerable: list[dict]) -> dict:
    out: dict = {
        "answer_key_hit": share(all(has_key(norm(r["answer"]), key) for key in r["answer_keys"]) for r in answerable)
    }
    answered = [len(r["answer"]) for r in answerable if not r["refused"]]
    out["answer_chars_median"] = statistics.median(answered) if answered else 0
    cites = [c["source"] in r["gold_sources"] for r in answerable for c in r["citations"]]
    cites += [False for r in unanswerable for _ in r["citations"]]
    out["citation_precision"] = share(cites) if cites else 1.0
    out["refusal_accuracy"] = share(r["refused"] and not r["citations"] for r in unanswerable) if unanswerable else 1.0
    out["false_refusal_rate"] = share(r["refused"] for r in answerable)
    return out


def metrics(rows: list[dict]) -> dict:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    out: dict = {"questions": len(rows), "answerable": len(answerable), "unanswerable": len(unanswerable)}
    out.update(retrieval_metrics(answerable))
    lengths = [p["chars"] for r in rows for p in r["retrieved"]]
    out["mean_passage_chars"] = round(statistics.mean(lengths), 1) if lengths else 0.0
    out.update(answer_metrics(answerable, unanswerable))
    times = sorted(r["ms"] for r in rows if "ms" in r)
    if times:
        out["latency_ms_p50"] = round(statistics.median(times), 1)
        out["latency_ms_p95"] = times[min(len(times) - 1, int(0.95 * len(times)))]
        kinds = sorted({r.get("kind", "") for r in rows if "ms" in r})
        out["latency_ms_p50_by_kind"] = {
            k: round(statistics.median(r["ms"] for r in rows if r.get("kind", "") == k), 1) for k in kinds
        }
    if any(r.get("answer_mode") == "llm" or r.get("notice") for r in rows):
        out["llm_answer_rate"] = share(r.get("answer_mode") == "llm" for r in rows)
        out["llm_fallback_rate"] = share(bool(r.get("notice")) for r in rows)
    return out


@command
def main(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.qa")
    parser.add_argument("--qa", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path)
    parser.add_argument("--mode", choices=MODES, default="hybrid")
    parser.add_argument("--answer-mode", choices=("extractive", "llm"), default=None, help="mặc định theo ANSWER_MODE")
    parser.add_argument("--scorer", choices=sorted(SCORERS), default=None, help="mặc định theo ANSWER_SCORER")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.qa.is_file():
        raise AppError(f"Không có tệp câu hỏi {args.qa}.")
    with tempfile.TemporaryDirectory() as tmp:
        index = open_index(settings, args.index_dir or Path(tmp) / "index")
        report = ingest([args.corpus], index, settings.max_bytes, prune=True, progress=not args.json)
        if not report.documents:
            raise AppError(f"Không có tài liệu nào để đánh giá trong {args.corpus}.")
        if args.answer_mode:
            settings.answer_mode = args.answer_mode
        result = evaluate(
            load_questions(args.qa),
            index,
            args.mode,
            chat_model=make_chat_model(settings),
            scorer=args.scorer or settings.answer_scorer,
        )
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for key, value in result["metrics"].items():
            print(f"{key:>22}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
