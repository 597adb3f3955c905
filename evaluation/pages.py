"""python -m evaluation.pages [--corpus DIR] [--labels DIR] [--index-dir DIR] [--json]

The trainer pages against labels written by reading the documents (evaluation/labels/):
the comparison's cells (precision and recall of document × measure × number × result or
target), and the examples' (precision and recall of names per document); what each got
wrong is listed. The development labels are those of the bundled corpus; a held-out
report written and labelled before any run (`--corpus evaluation/labels/heldout/corpus
--labels evaluation/labels/heldout`) shows what the catalogue does on words it was not
built from."""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

from cli import command
from errors import AppError
from index.store import Index, open_index
from ingest.pipeline import ingest
from settings import Settings
from tools.briefing import build_briefing
from tools.compare import compare
from tools.examples import find_examples
from vietnamese.normalize import fold

LABELS = Path(__file__).resolve().parent / "labels"


def labels(name: str, folder: Path = LABELS) -> list[dict]:
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
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


def comparison(index: Index, folder: Path = LABELS) -> dict:
    """Cells as (document, measure, number, kind); a cell's figures each count once."""
    gold = {(g["doc"], g["measure"], round(float(g["number"]), 4), g["kind"]) for g in labels("figures.jsonl", folder)}
    table = compare(index)
    said = {(cell.citation.source, ind.key, round(cell.number, 4), cell.kind) for _, ind, cell in table.cells()}
    out = _score(said, gold)
    out["measures"] = len({key for _, key, _, _ in gold})
    return out


def examples(index: Index, folder: Path = LABELS) -> dict:
    """Each example found is matched to at most one labelled example of its document whose
    key words its name holds (accents aside)."""
    gold = labels("examples.jsonl", folder)
    free = list(range(len(gold)))
    right, wrong = 0, []
    for e in find_examples(index):
        match = next(
            (i for i in free if gold[i]["doc"] == e.citation.source and re.search(gold[i]["keys"], fold(e.name))),
            None,
        )
        if match is None:
            wrong.append((e.citation.source, e.name))
        else:
            free.remove(match)
            right += 1
    said = right + len(wrong)
    return {
        "predicted": said,
        "labelled": len(gold),
        "precision": round(right / said, 4) if said else None,
        "recall": round((len(gold) - len(free)) / len(gold), 4) if gold else None,
        "wrong": sorted(wrong),
        "missed": sorted((gold[i]["doc"], gold[i]["name"]) for i in free),
    }


def on_topic(text: str, fragments: list[str]) -> bool:
    folded = fold(text)
    return any(fold(f) in folded for f in fragments)


def briefings(index: Index, folder: Path = LABELS) -> dict:
    """Per labelled topic, the share of the briefing's bullets that are on topic."""
    out = {}
    for topic in labels("briefing.jsonl", folder):
        bullets = [b for items in build_briefing(index, topic["topic"]).sections.values() for b in items]
        off = [b.text[:90] for b in bullets if not on_topic(b.text, topic["on_topic"])]
        out[topic["topic"]] = {
            "split": topic["split"],
            "bullets": len(bullets),
            "on_topic": round(1 - len(off) / len(bullets), 4) if bullets else None,
            "off_topic": off,
        }
    return out


@command
def main(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.pages", description=__doc__.splitlines()[2])
    parser.add_argument("--corpus", type=Path, default=settings.corpus_dir)
    parser.add_argument("--labels", type=Path, default=LABELS, help="thư mục nhãn (mặc định: evaluation/labels)")
    parser.add_argument("--index-dir", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        index = open_index(settings, args.index_dir or Path(tmp) / "index")
        report = ingest([args.corpus], index, settings.max_bytes, prune=True, progress=not args.json)
        if not report.documents:
            raise AppError(f"Không có tài liệu nào trong {args.corpus}.")
        result = {"comparison": comparison(index, args.labels), "examples": examples(index, args.labels)}
        if (args.labels / "briefing.jsonl").exists():
            result["briefing"] = briefings(index, args.labels)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    for topic, score in result.pop("briefing", {}).items():
        print(f"briefing ({score['split']}) “{topic}”: {score['bullets']} ý, {score['on_topic']} đúng chủ đề")
        for text in score["off_topic"]:
            print(f"  lạc đề: {text}")
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
