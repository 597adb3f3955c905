"""Prompt templates live in this folder as `NAME.txt` and load through `load`,
which refuses missing and unknown variables."""

from __future__ import annotations

import string
from pathlib import Path

from errors import AppError

FOLDER = Path(__file__).parent


class PromptError(AppError):
    """A template asked for variables it was not given, or was given unknown ones."""


def fields(name: str) -> set[str]:
    text = (FOLDER / f"{name}.txt").read_text(encoding="utf-8")
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def load(name: str, **values: str) -> str:
    path = FOLDER / f"{name}.txt"
    if not path.exists():
        raise PromptError(f"Không có mẫu lời nhắc '{name}'.")
    wanted = fields(name)
    missing, unknown = wanted - set(values), set(values) - wanted
    if missing or unknown:
        raise PromptError(f"Mẫu '{name}': thiếu biến {sorted(missing)}, biến lạ {sorted(unknown)}.")
    return path.read_text(encoding="utf-8").format(**values)
