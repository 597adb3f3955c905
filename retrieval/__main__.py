"""python -m retrieval ask "…" [--index-dir DIR] [--locality …] [--year-from Y] [--year-to Y]
[--doc-type T] [--mode bm25|dense|hybrid] [--json]"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from errors import AppError
from ingest.embedding import get_embedder
from ingest.store import Index
from retrieval.assistant import Assistant
from retrieval.llm import make_chat_model
from retrieval.retriever import MODES, Filters
from settings import Settings


def main(argv: list[str] | None = None) -> int:
    settings = Settings()
    parser = argparse.ArgumentParser(prog="python -m retrieval")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="hỏi một câu")
    ask.add_argument("question")
    ask.add_argument("--index-dir", type=Path, default=settings.index_dir)
    ask.add_argument("--locality", action="append", default=[], help="địa phương (tên cũ hoặc mới)")
    ask.add_argument("--year-from", type=int)
    ask.add_argument("--year-to", type=int)
    ask.add_argument("--doc-type", action="append", default=[])
    ask.add_argument("--mode", choices=MODES, default="hybrid")
    ask.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    index = Index(args.index_dir, get_embedder(settings.embedding_model), settings.chroma_host, settings.chroma_port)
    filters = Filters(args.locality, args.year_from, args.year_to, args.doc_type)
    try:
        answer = Assistant(index, mode=args.mode, chat_model=make_chat_model(settings)).ask(
            args.question, filters=filters)
    except AppError as e:
        print(f"Lỗi: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2))
        return 0
    if answer.notice:
        print(f"Lưu ý: {answer.notice}", file=sys.stderr)
    print(answer.answer)
    for c in answer.citations:
        print(f"  [{c.n}] {c.title} — {c.locality or 'không rõ địa phương'}, {c.date or 'không rõ ngày'}; "
              f"{c.section or 'phần đầu'} ({c.source}, ký tự {c.start}–{c.end})")
    if answer.refused and answer.related:
        print("Có thể liên quan (không phải trích dẫn):")
        for c in answer.related:
            print(f"  - {c.title} ({c.source}): {c.quote[:160]}…")
    return 0


if __name__ == "__main__":
    sys.exit(main())
