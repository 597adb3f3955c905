"""python -m evaluation.pages [--corpus DIR] [--index-dir DIR] [--json]

The trainer pages against labels written by reading the documents (evaluation/labels/):
the comparison's cells (precision and recall of document × measure × number × result or
target), with the cells it got wrong listed."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from cli import command
from errors import AppError
from index.store import Index, open_index
from ingest.pipeline import ingest
from settings import Settings
from tools.compare import compare

LABELS = Path(__file__).resolve().parent / "labels"


def _labels(name: str) -> list[dict]:
    lines = (LABELS / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _score(said: set, gold: set) -> dict:
    hits = len(said & gold)
    return {
        "predicted": len(said),
        "labelled": len(gold),
        "precision": round(hits / len(said), 4) if said else None,
        "recall": round(hits / len(gold), 4) if gold else None,
        "wrong": sorted(said - gold),
        "missed": sorted(gold - said),
    }


def comparison(index: Index) -> dict:
    """Cells as (document, measure, number, kind); a cell's figures each count once."""
    gold = {(g["doc"], g["measure"], round(float(g["number"]), 4), g["kind"]) for g in _labels("figures.jsonl")}
    table = compare(index)
    said = {(cell.citation.source, ind.key, round(cell.number, 4), cell.kind) for _, ind, cell in table.cells()}
    out = _score(said, gold)
    out["measures"] = len({key for _, key, _, _ in gold})
    return out


@command
def main(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.pages", description=__doc__.splitlines()[2])
    parser.add_argument("--corpus", type=Path, default=settings.corpus_dir)
    parser.add_argument("--index-dir", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        index = open_index(settings, args.index_dir or Path(tmp) / "index")
        report = ingest([args.corpus], index, settings.max_bytes, prune=True, progress=not args.json)
        if not report.documents:
            raise AppError(f"Không có tài liệu nào trong {args.corpus}.")
        result = {"comparison": comparison(index)}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    for page, score in result.items():
        print(
            f"{page}: precision {score['precision']}  recall {score['recall']}  "
            f"({score['predicted']} dự đoán, {score['labelled']} nhãn)"
        )
        for item in score["wrong"]:
            print(f"  thừa/sai: {item}")
        for item in score["missed"]:
            print(f"  thiếu: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
