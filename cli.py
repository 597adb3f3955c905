"""The edge every command shares: settings, logging and errors. A command body raises
`AppError`; the edge prints it as one Vietnamese line on stderr and exits 2. Only
commands (`*/__main__.py`, `evaluation/`) import this module."""

from __future__ import annotations

import argparse
import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from errors import AppError
from settings import Settings

Body = Callable[[Settings, "list[str] | None"], int]


class Main(Protocol):
    def __call__(self, argv: list[str] | None = None) -> int: ...


def command(body: Body) -> Main:
    """Turn `body(settings, argv) -> exit code` into a `main(argv)`."""

    @functools.wraps(body)
    def main(argv: list[str] | None = None) -> int:
        try:
            settings = Settings()
            logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
            return body(settings, argv)
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
