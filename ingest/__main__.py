"""python -m ingest [PATH ...] [--index-dir DIR] [--rebuild] [--prune] [--json]"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from errors import AppError
from ingest.embedding import get_embedder
from ingest.pipeline import ingest
from ingest.store import Index
from settings import Settings


def main(argv: list[str] | None = None) -> int:
    settings = Settings()
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Nạp tài liệu vào chỉ mục.")
    parser.add_argument("paths", nargs="*", type=Path, help=f"tệp hoặc thư mục (mặc định: {settings.corpus_dir})")
    parser.add_argument("--index-dir", type=Path, default=settings.index_dir)
    parser.add_argument("--rebuild", action="store_true", help="xóa và tạo lại toàn bộ chỉ mục")
    parser.add_argument("--prune", action="store_true", help="gỡ tài liệu không còn trong các đường dẫn")
    parser.add_argument("--json", action="store_true", help="in báo cáo dạng JSON")
    args = parser.parse_args(argv)
    index = Index(args.index_dir, get_embedder(settings.embedding_model), settings.chroma_host, settings.chroma_port)
    try:
        report = ingest(args.paths or [settings.corpus_dir], index, int(settings.max_file_mb * 1e6),
                        prune=args.prune, rebuild=args.rebuild, progress=not args.json)
    except AppError as e:
        print(f"Lỗi: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"Thêm {report.added}, cập nhật {report.updated}, không đổi {report.unchanged}, "
              f"gỡ {report.removed}; {report.documents} tài liệu, {report.chunks} đoạn; {report.seconds} s.")
        for f in report.failed:
            print(f"  Bỏ qua {f['path']}: {f['reason']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
