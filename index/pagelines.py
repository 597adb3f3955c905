"""The OCR line boxes of scanned pages, kept beside the index (by file content hash)
for the page view that marks quoted lines on the original page."""

from __future__ import annotations

import json
from pathlib import Path

from index.atomic import write_atomic


def lines_path(index_dir: Path, digest: str) -> Path:
    """Where the OCR line boxes of a file (by content hash) are kept, for the page view."""
    return index_dir / "pages" / f"{digest[:32]}.json"


def save_lines(index_dir: Path, digest: str, lines: dict[int, dict]) -> None:
    write_atomic(lines_path(index_dir, digest), json.dumps(lines, ensure_ascii=False).encode("utf-8"))


def load_lines(index_dir: Path, digest: str, page: int) -> dict | None:
    try:
        return json.loads(lines_path(index_dir, digest).read_text(encoding="utf-8")).get(str(page))
    except (OSError, ValueError):
        return None
