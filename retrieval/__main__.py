"""python -m retrieval ask "…" [--user NAME] [--index-dir DIR] [--locality …] [--year-from Y]
[--year-to Y] [--doc-type T] [--mode bm25|dense|hybrid] [--json]

`--user`: answer from what that account may read; without it, as the local administrator."""

from __future__ import annotations

import argparse
import json
import sys

from accounts.gate import Gate
from cli import add_index_dir, command
from index.store import open_index
from retrieval.assistant import Assistant
from retrieval.chat import make_chat_model
from retrieval.filters import Filters
from retrieval.retriever import MODES
from retrieval.types import Answer
from settings import Settings


@command
def main(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="hỏi một câu")
    ask.add_argument("question")
    add_index_dir(ask, settings)
    ask.add_argument("--locality", action="append", default=[], help="địa phương (tên cũ hoặc mới)")
    ask.add_argument("--year-from", type=int)
    ask.add_argument("--year-to", type=int)
    ask.add_argument("--doc-type", action="append", default=[])
    ask.add_argument("--mode", choices=MODES, default="hybrid")
    ask.add_argument("--json", action="store_true")
    ask.add_argument("--user", help="trả lời trong phạm vi văn bản tài khoản này được xem")
    args = parser.parse_args(argv)
    gate = Gate(settings, args.index_dir)
    person = gate.person(args.user)
    filters = Filters(args.locality, args.year_from, args.year_to, args.doc_type)
    assistant = Assistant(
        gate.view(open_index(settings, args.index_dir), person),
        mode=args.mode,
        chat_model=make_chat_model(settings),
        scorer=settings.answer_scorer,
    )
    answer = assistant.ask(args.question, filters=filters)
    gate.asked(person, args.question, [c.source for c in answer.citations])
    if args.json:
        print(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2))
    else:
        show(answer)
    return 0


def show(answer: Answer) -> None:
    if answer.notice:
        print(f"Lưu ý: {answer.notice}", file=sys.stderr)
    if answer.did:
        print(f"({answer.did})")
    print(answer.answer)
    if answer.note:
        print(f"Lưu ý: {answer.note}")
    for c in answer.citations:
        print(f"  [{c.n}] {c.label()}")
    if answer.refused and answer.related:
        print("Có thể liên quan (không phải trích dẫn):")
        for c in answer.related:
            elsewhere = " — không phải địa phương được hỏi" if c.elsewhere else ""
            print(f"  - {c.locality or 'không rõ địa phương'}{elsewhere}: {c.title} ({c.source}): {c.quote[:160]}…")


if __name__ == "__main__":
    sys.exit(main())
