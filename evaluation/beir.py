"""BEIR-style benchmark folders (corpus.jsonl, queries.jsonl, qrels.tsv), read from
../shared/bench and never copied into the project."""

from __future__ import annotations

import json
from pathlib import Path

from errors import AppError


def _require(path: Path) -> Path:
    if not path.is_file():
        raise AppError(f"Không có tệp {path} (thư mục BEIR cần corpus.jsonl, queries.jsonl, qrels.tsv).")
    return path


def load_beir(beir: Path, max_queries: int | None) -> tuple[list[dict], dict[str, set[str]]]:
    qrels: dict[str, set[str]] = {}
    for line in _require(beir / "qrels.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        qid, cid, score = line.split("\t")[:3]
        if float(score) > 0:
            qrels.setdefault(qid, set()).add(cid)
    queries = [
        json.loads(line)
        for line in _require(beir / "queries.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    queries = [q for q in queries if q["id"] in qrels]
    return (queries[:max_queries] if max_queries else queries), qrels


def write_beir(beir: Path, dest: Path, limit: int | None) -> int:
    count = 0
    with open(_require(beir / "corpus.jsonl"), encoding="utf-8") as f:
        for line in f:
            if limit is not None and count >= limit:
                break
            row = json.loads(line)
            (dest / f"{row['id']}.txt").write_text(f"{row.get('title', '')}\n{row['text']}", encoding="utf-8")
            count += 1
    return count
