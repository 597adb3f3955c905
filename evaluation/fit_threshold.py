"""python -m evaluation.fit_threshold --set NAME QUESTIONS CORPUS [--set …] [--index-root DIR] [--write]

Fits the extractive answerer's one free parameter, the evidence threshold below which
it refuses (`evidence_threshold` in `retrieval/params.json`, which `--write` updates), on development question sets only.
For each candidate threshold it answers every question and prints, per set, the share
answered with the key, the false refusals and the near misses refused. The chosen
threshold maximises the mean over sets of the share of questions handled correctly
(answered with the key, or refused when unanswerable), so that a large set (ALQAC)
does not outvote a small one with near misses, among the thresholds that refuse at most
5% of the answerable questions of all sets together (the product's goal for false
refusals; bounded per set, one question of a small set decided it)."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli import command
from evaluation.qa import has_key, load_questions, norm
from index.store import open_index
from ingest.pipeline import ingest
from retrieval.params import PARAMS
from retrieval.question import Question
from retrieval.retriever import HybridRetriever
from retrieval.rules import RulesAnswerer
from retrieval.texts import DocumentTexts
from settings import Settings

THRESHOLDS = [round(0.25 + 0.05 * i, 2) for i in range(9)]  # 0.25 … 0.65
MAX_FALSE_REFUSAL = 0.05


def outcomes(index, questions: list[dict]) -> dict[float, list[tuple[bool, bool, bool]]]:
    """For each threshold: (answerable, refused, key found) per question."""
    retriever = HybridRetriever(index=index, k=10)
    answerer = RulesAnswerer.for_index(index)
    restorer = index.lexical().restorer
    out: dict[float, list] = {t: [] for t in THRESHOLDS}
    for row in questions:
        q = Question.read(row["question"], restorer)
        passages = retriever.search(q, k=PARAMS.pool_across)
        texts = DocumentTexts(index.document_text)
        for t in THRESHOLDS:
            answerer.params = PARAMS.with_threshold(t)
            answer = answerer.answer(q, passages, texts)
            hit = row["answerable"] and all(has_key(norm(answer.answer), k) for k in row["answer_keys"])
            out[t].append((row["answerable"], answer.refused, hit))
    return out


def summary(rows: list[tuple[bool, bool, bool]]) -> tuple[float, float, str]:
    """(share handled correctly, false refusal rate, printed figures) for one set at one threshold."""
    answerable = [r for r in rows if r[0]]
    near = [r for r in rows if not r[0]]
    correct = sum(hit for _, _, hit in answerable) + sum(refused for _, refused, _ in near)
    key = sum(hit for *_, hit in answerable) / max(1, len(answerable))
    false_refusal = sum(refused for _, refused, _ in answerable) / max(1, len(answerable))
    refused_near = f"{sum(r for _, r, _ in near) / len(near):.3f}" if near else "  -  "
    return correct / len(rows), false_refusal, f"key {key:.3f} fr {false_refusal:.3f} near {refused_near}"


def pooled_false_refusals(sets: list[list[tuple[bool, bool, bool]]]) -> float:
    """False refusals over the answerable questions of all sets: in a set of 27, one
    question is already 3.7%, so a bound per set is noise."""
    answerable = [r for rows in sets for r in rows if r[0]]
    return sum(refused for _, refused, _ in answerable) / max(1, len(answerable))


@command
def main(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.fit_threshold")
    parser.add_argument("--set", nargs=3, action="append", metavar=("NAME", "QUESTIONS", "CORPUS"), required=True)
    parser.add_argument("--index-root", type=Path, default=Path(".cache/fit-index"))
    parser.add_argument("--write", action="store_true", help="ghi ngưỡng chọn được vào retrieval/params.json")
    args = parser.parse_args(argv)
    by_set = {}
    for name, questions, corpus in args.set:
        index = open_index(settings, args.index_root / name)
        ingest([Path(corpus)], index, settings.max_bytes, prune=True, progress=False)
        by_set[name] = outcomes(index, load_questions(Path(questions)))
    best, best_score = None, -1.0
    for t in THRESHOLDS:
        cells = [summary(by_set[name][t]) for name in by_set]
        score = sum(c[0] for c in cells) / len(cells)
        allowed = pooled_false_refusals([by_set[name][t] for name in by_set]) <= MAX_FALSE_REFUSAL
        print(
            f"{t:.2f}  mean correct {score:.3f}{'' if allowed else ' (too many refusals)'} | "
            + " | ".join(f"{n}: {c[2]}" for n, c in zip(by_set, cells))
        )
        if allowed and score > best_score:
            best, best_score = t, score
    if best is None:
        print(f"no threshold keeps false refusals within {MAX_FALSE_REFUSAL} of the answerable questions")
        return 1
    print(f"chosen threshold: {best:.2f} (mean correct {best_score:.3f})")
    if args.write:
        PARAMS.with_threshold(best).save_threshold()
        print("written to retrieval/params.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
