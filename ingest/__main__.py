"""python -m ingest [PATH ...] [--index-dir DIR] [--unit CODE [--visibility unit|below|all]]
[--rebuild] [--reread] [--prune] [--json]
python -m ingest --versions DOC | --restore VERSION | --remove DOC

Run on the machine itself, it acts as the local administrator (recorded in the audit trail)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from accounts.access import VISIBILITIES
from accounts.gate import Gate
from cli import add_index_dir, command
from errors import AppError, IndexMissing
from index.store import open_index
from ingest.pipeline import Owner, ingest
from ingest.removal import remove
from ingest.versions import restore
from settings import Settings
from tools.prepare import keep_facts
from vietnamese.numbers import number_vi


@command
def main(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Nạp tài liệu vào chỉ mục.")
    parser.add_argument("paths", nargs="*", type=Path, help=f"tệp hoặc thư mục (mặc định: {settings.corpus_dir})")
    add_index_dir(parser, settings)
    parser.add_argument("--unit", help="mã đơn vị sở hữu các văn bản chưa có đơn vị (python -m accounts unit list)")
    parser.add_argument(
        "--visibility",
        choices=VISIBILITIES,
        default="unit",
        help="unit: đơn vị và cấp trên; below: thêm mọi đơn vị cấp dưới; all: mọi người đã đăng nhập",
    )
    parser.add_argument("--rebuild", action="store_true", help="xóa và tạo lại toàn bộ chỉ mục")
    parser.add_argument(
        "--reread", action="store_true", help="đọc lại mọi tệp (mặc định dùng lại văn bản và lý do từ chối đã có)"
    )
    parser.add_argument("--prune", action="store_true", help="gỡ tài liệu không còn trong các đường dẫn")
    parser.add_argument("--json", action="store_true", help="in báo cáo dạng JSON")
    parser.add_argument("--versions", metavar="DOC", help="liệt kê các phiên bản trước của một văn bản")
    parser.add_argument("--restore", metavar="VERSION", help="khôi phục một phiên bản trước (mã từ --versions)")
    parser.add_argument("--remove", metavar="DOC", help="gỡ một văn bản khỏi thư viện (giữ làm phiên bản trước)")
    args = parser.parse_args(argv)
    gate = Gate(settings, args.index_dir)
    actor = gate.person(None)
    if args.unit is not None and args.unit not in gate.directory.tree():
        raise AppError(f"Không có đơn vị mã {args.unit} (thêm bằng: python -m accounts unit add).")
    if args.remove is not None:
        if not args.remove.strip():
            parser.error("--remove cần tên văn bản.")
        if not settings.chroma_host and not args.index_dir.is_dir():
            raise IndexMissing(f"Chưa có chỉ mục tại {args.index_dir}. Hãy chạy: python -m ingest")
        remove(open_index(settings, args.index_dir), args.remove, settings.upload_dir)
        gate.record(actor, "remove", args.remove)
        print(f"Đã gỡ {args.remove}; nội dung được giữ làm phiên bản trước (xem --versions {args.remove}).")
        return 0
    if args.versions is not None or args.restore is not None:
        if not (args.versions or args.restore or "").strip():
            parser.error("--versions cần tên văn bản, --restore cần mã phiên bản (xem --versions).")
        if not settings.chroma_host and not args.index_dir.is_dir():  # never made by a question
            raise IndexMissing(f"Chưa có chỉ mục tại {args.index_dir}. Hãy chạy: python -m ingest")
        if args.restore:
            gate.record(actor, "restore", args.restore)
        return versions(open_index(settings, args.index_dir), args.versions, args.restore)
    index = open_index(settings, args.index_dir)
    report = ingest(
        args.paths or [settings.corpus_dir],
        index,
        settings.max_bytes,
        prune=args.prune,
        rebuild=args.rebuild,
        progress=not args.json,
        reread=args.reread,
        owner=Owner(args.unit, args.visibility) if args.unit else None,
        allow_classified=settings.allow_classified,
    )
    gate.record(
        actor,
        "ingest",
        " ".join(str(p) for p in args.paths or [settings.corpus_dir]),
        {"added": report.added, "updated": report.updated, "removed": report.removed, "unit": args.unit or ""},
    )
    keep_facts(index, progress=not args.json)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return nothing_read(report)
    print(
        f"Thêm {report.added}, cập nhật {report.updated}, không đổi {report.unchanged}, "
        f"gỡ {report.removed}; {report.documents} tài liệu, {report.chunks} đoạn; {report.seconds} s."
        + (f" Bỏ qua {report.left_out} tệp của văn bản đã gỡ khỏi thư viện." if report.left_out else "")
    )
    for f in report.failed:
        print(f"  Bỏ qua {f['path']}: {f['reason']}", file=sys.stderr)
    return nothing_read(report)


def nothing_read(report) -> int:
    """1 when files were given and every one was refused: a script must see it failed."""
    return 1 if report.failed and not (report.added + report.updated + report.unchanged) else 0


def versions(index, doc_id: str | None, version_id: str | None) -> int:
    if version_id:
        record = restore(index, version_id)
        print(
            f"Đã khôi phục {record.id} (mã {record.hash[:8]}, {number_vi(record.chars)} ký tự); "
            "bản đang dùng trước đó được giữ làm phiên bản trước."
        )
        return 0
    found = index.versions(doc_id)
    if doc_id not in index.records() and not found:
        raise IndexMissing(f"Không có tài liệu '{doc_id}' trong chỉ mục.")
    print(f"{doc_id}: {len(found)} phiên bản trước.")
    for v in found:
        print(f"  {v.id}  {v.label()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
