"""python -m tools briefing | compare | examples: the tools' commands.

briefing "topic" [--locality …] [--year-from Y] [--year-to Y] [--out FILE.docx|.md] [--index-dir DIR] [--json]
compare [--localities …] [--indicators …] [--out FILE.csv|.xlsx] [--index-dir DIR] [--json]
examples [--locality …] [--query …] [--out FILE.csv|.xlsx] [--index-dir DIR] [--json]
Each takes `--user NAME`: only what that account may read (without it: the local administrator).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from accounts.access import Person
from accounts.gate import Gate
from cli import add_index_dir, command
from index.store import Index, open_index
from retrieval.chat import make_chat_model
from retrieval.filters import Filters
from settings import Settings
from tools.briefing import build_briefing
from tools.briefing_llm import rewrite_with_llm
from tools.compare import compare
from tools.examples import find_examples
from tools.exports import cell_text, comparison_docx, to_docx, to_markdown, write_examples, write_table
from tools.measures import MEASURES as INDICATORS


def _reader(settings: Settings, args) -> tuple[Gate, Person, Index]:
    """The account the command acts as, and the index as it may see it."""
    gate = Gate(settings, args.index_dir)
    person = gate.person(args.user)
    return gate, person, gate.view(open_index(settings, args.index_dir), person)


def _recorded(gate: Gate, person: Person, tool: str, args, cited: list[str], asked: str) -> None:
    """The use of a tool in the audit trail, as an export when written to a file."""
    gate.record(
        person,
        "export" if args.out else tool,
        str(args.out or ""),
        {"tool": tool, "asked": asked, "cited": sorted(set(cited))},
    )


def _print_json(data: dict) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


@command
def briefing(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools briefing", description="Tài liệu tóm tắt có trích dẫn.")
    parser.add_argument("topic")
    parser.add_argument("--locality", action="append", default=[])
    parser.add_argument("--year-from", type=int)
    parser.add_argument("--year-to", type=int)
    parser.add_argument("--out", type=Path, help="FILE.docx hoặc FILE.md")
    add_index_dir(parser, settings)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--user", help="chỉ dùng văn bản tài khoản này được xem")
    args = parser.parse_args(argv)
    gate, person, index = _reader(settings, args)
    result = build_briefing(index, args.topic, Filters(args.locality, args.year_from, args.year_to))
    chat_model = make_chat_model(settings)
    if chat_model is not None:
        result = rewrite_with_llm(result, chat_model)
    if args.out and args.out.suffix.lower() == ".docx":
        to_docx(result, args.out)
    elif args.out:
        args.out.write_text(to_markdown(result), encoding="utf-8")
    _recorded(gate, person, "briefing", args, [c.source for c in result.citations()], args.topic)
    if args.json:
        _print_json(result.as_dict())
    elif not args.out:
        print(to_markdown(result))
    return 0


@command
def comparison(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools compare", description="So sánh địa phương.")
    parser.add_argument("--localities", nargs="*", default=[])
    parser.add_argument("--indicators", nargs="*", default=[], help=", ".join(i.key for i in INDICATORS))
    parser.add_argument("--out", type=Path, help="FILE.csv, FILE.xlsx hoặc FILE.docx (có biểu đồ)")
    add_index_dir(parser, settings)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--user", help="chỉ dùng văn bản tài khoản này được xem")
    args = parser.parse_args(argv)
    unknown = set(args.indicators) - {i.key for i in INDICATORS}
    if unknown:
        parser.error(
            f"không có chỉ tiêu {', '.join(sorted(unknown))}; chọn trong: {', '.join(i.key for i in INDICATORS)}"
        )
    gate, person, index = _reader(settings, args)
    table = compare(index, args.localities, args.indicators)
    cited = [cell.citation.source for _, _, cell in table.cells()]
    _recorded(gate, person, "compare", args, cited, " ".join(args.localities))
    if args.out and args.out.suffix.lower() == ".docx":
        comparison_docx(table, args.out)
    elif args.out:
        write_table(table, args.out)
    if args.json:
        _print_json(table.as_dict())
    elif not args.out:
        for row in table.rows:
            print(row.locality)
            for i in table.indicators:
                if row.cells.get(i.key):
                    print(f"  {i.label}: {cell_text(row.cells[i.key])}")
    return 0


@command
def examples(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools examples", description="Điển hình, phong trào.")
    parser.add_argument("--locality", action="append", default=[])
    parser.add_argument("--query", default="", help="lọc theo từ khóa (có dấu hoặc không dấu)")
    parser.add_argument("--out", type=Path, help="FILE.csv hoặc FILE.xlsx")
    add_index_dir(parser, settings)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--user", help="chỉ dùng văn bản tài khoản này được xem")
    args = parser.parse_args(argv)
    gate, person, index = _reader(settings, args)
    items = find_examples(index, Filters(localities=args.locality), args.query)
    _recorded(gate, person, "examples", args, [e.citation.source for e in items], args.query)
    if args.out:
        write_examples(items, args.out)
    if args.json:
        _print_json({"items": [e.as_dict() for e in items]})
        return 0
    for e in items:
        planned = " (kế hoạch)" if e.planned else ""
        place = e.locality or "chưa rõ địa phương"
        print(f"[{e.citation.n}] {e.name}{planned} ({e.kind}) — {place}: {e.citation.quote}")
    return 0


COMMANDS = {"briefing": briefing, "compare": comparison, "examples": examples}
USAGE = "python -m tools {briefing|compare|examples} … (--help cho từng lệnh)"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        print(USAGE, file=sys.stdout if argv[:1] in (["-h"], ["--help"]) else sys.stderr)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main())
