"""The edge every command shares: settings, the index it opens, the byte limit,
and errors. A command body raises `AppError`; the edge prints it as one
Vietnamese line on stderr and exits 2."""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from errors import AppError
from index.embedding import get_embedder
from index.store import Index
from settings import Settings
from tools.prepare import keep_facts

Body = Callable[[Settings, "list[str] | None"], int]


def command(body: Body) -> Callable[[list[str] | None], int]:
    """Turn `body(settings, argv) -> exit code` into a `main(argv)`."""

    @functools.wraps(body)
    def main(argv: list[str] | None = None) -> int:
        try:
            return body(Settings(), argv)
        except ValidationError as e:
            fail(f"cấu hình không hợp lệ ({', '.join(str(x['loc'][0]) for x in e.errors())}).")
        except AppError as e:
            fail(str(e))
        return 2

    return main


def fail(message: str) -> None:
    print("Lỗi: " + " ".join(message.split()), file=sys.stderr)


def add_index_dir(parser: argparse.ArgumentParser, settings: Settings) -> None:
    parser.add_argument("--index-dir", type=Path, default=settings.index_dir, help="thư mục chỉ mục")


def open_index(settings: Settings, index_dir: Path | None = None) -> Index:
    """The index of the settings (or `index_dir`), with the configured model and store."""
    return Index(
        index_dir or settings.index_dir,
        get_embedder(settings.embedding_model),
        settings.chroma_host,
        settings.chroma_port,
    )


def after_ingest(index: Index, progress: bool = False) -> int:
    """What an ingest leaves ready besides the index: the facts the comparison and examples
    pages read (found now for new and changed documents). Documents read."""
    return keep_facts(index, progress)


def max_bytes(settings: Settings) -> int:
    return int(settings.max_file_mb * 1e6)
