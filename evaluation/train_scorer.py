"""python -m evaluation.train_scorer --set NAME QUESTIONS CORPUS [--set …] [--index-root DIR]
[--data FILE] [--out FILE] [--from-data]

Fits the answer scorer (`retrieval/scorer.json`) on labelled spans. For every question
of the development sets, the candidate spans of its top passages are labelled by the
answer keys (a span holding every key answers). Each answerable question is asked a
second time with its gold documents taken out of the passages: what the assistant sees
when the corpus does not hold the answer. The rows are written to `--data` (features
and labels only, no text), so that `--from-data` refits without an index.

Prints cross-validated figures, grouped by question (5 folds)."""

from __future__ import annotations

import argparse
import csv
import gzip
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

from cli import command
from evaluation.qa import has_key, load_questions, norm
from index.store import open_index
from ingest.pipeline import ingest
from retrieval.evidence import DENSE
from retrieval.learned import EMBEDDED, LearnedAnswerer
from retrieval.question import Question
from retrieval.retriever import HybridRetriever
from retrieval.scorer import PARAMS, Logistic, Scorer, question_features
from settings import Settings

DATA = Path(__file__).with_name("scorer_data.csv.gz")
FOLDS = 5
MAX_FALSE_REFUSAL = 0.05


def pools(retriever: HybridRetriever, q: dict, read: Question) -> list[tuple[str, list]]:
    """The passages as the assistant sees them, and (answerable questions) the same
    search with the gold documents taken out."""
    found = retriever.search(read, k=20)
    out = [("real", found[:10])]
    if q["answerable"]:
        out.append(("without_gold", [p for p in found if p.source not in q["sources"]][:10]))
    return out


def rows_for_set(name: str, questions: list[dict], index) -> list[dict]:
    answerer = LearnedAnswerer.for_index(index)
    retriever = HybridRetriever(index=index, k=10)
    rows = []
    restorer = index.lexical().restorer
    for q in questions:
        read = Question.read(q["question"], restorer)
        for pool, passages in pools(retriever, q, read):
            cands = answerer.spans(read, passages)
            answerer.embed(cands, read.restored)
            for i, c in enumerate(cands):
                label = q["answerable"] and all(has_key(norm(c.text), k) for k in q["answer_keys"])
                rows.append(
                    {
                        "set": name,
                        "qid": f"{name}/{q['id']}",
                        "pool": pool,
                        "answerable": int(q["answerable"]),
                        "label": int(bool(label) and pool == "real"),
                        "span": i,
                        **{k: round(v, 5) for k, v in c.features.items()},
                    }
                )
    return rows


def write_rows(rows: list[dict], path: Path) -> None:
    names = sorted({k for r in rows for k in r})
    with gzip.open(path, "wt", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)


def read_rows(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [
            {k: (v if k in ("set", "qid", "pool") else float(v or 0)) for k, v in r.items()} for r in csv.DictReader(f)
        ]


def fit(rows: list[dict], features: list[str], label: str = "label") -> Logistic:
    x = np.array([[r.get(f, 0.0) for f in features] for r in rows])
    y = np.array([r[label] for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=2000).fit((x - mean) / scale, y)
    return Logistic(features, mean.tolist(), scale.tolist(), model.coef_[0].tolist(), float(model.intercept_[0]))


def span_features(rows: list[dict]) -> tuple[list[str], list[str]]:
    skip = {"set", "qid", "pool", "answerable", "label", "span"}
    full = sorted(k for k in rows[0] if k not in skip)
    return [f for f in full if f not in DENSE], full


def by_pool(rows: list[dict]) -> dict[tuple[str, str], list[dict]]:
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        groups[(r["qid"], r["pool"])].append(r)
    return groups


def answered(rows: list[dict]) -> list[dict]:
    """The rows of the real pools that hold a gold span (what the span models learn from)."""
    groups = by_pool(rows)
    return [r for r in rows if r["pool"] == "real" and any(x["label"] for x in groups[(r["qid"], "real")])]


def question_rows(rows: list[dict], prune: Logistic, sentence: Logistic) -> list[dict]:
    """One row per (question, pool) as the assistant scores it: the best spans by the
    cheap signals, then the sentence model; labelled 1 when a gold span is among them,
    0 when the question has no answer in the pool; ambiguous pools are left out."""
    out = []
    for (qid, pool), group in by_pool(rows).items():
        kept = sorted(group, key=lambda r: -prune.p(r))[:EMBEDDED]
        ps = [sentence.p(r) for r in kept]
        present = any(r["label"] for r in kept)
        if pool == "real" and group[0]["answerable"] and not present:
            continue  # the answer is not among the spans read (retrieval or key wording)
        if pool != "real" and any(r["label"] for r in group):
            continue
        out.append(
            {"qid": qid, "set": group[0]["set"], "pool": pool, "label": int(present), **question_features(ps, kept)}
        )
    return out


def folds(rows: list[dict], seed: int) -> dict[str, int]:
    """Question id -> fold, shuffled with `seed` (all rows of a question share a fold)."""
    qids = sorted({r["qid"] for r in rows})
    return {q: i % FOLDS for i, q in enumerate(np.random.default_rng(seed).permutation(qids))}


def cross_validate(rows: list[dict]) -> list[dict]:
    """Out-of-fold question rows, and one "top1" row per answerable question saying
    whether its best-scored span holds the answer."""
    cheap, full = span_features(rows)
    fold_of = folds(rows, 7)
    out: list[dict] = []
    for k in range(FOLDS):
        train = answered([r for r in rows if fold_of[r["qid"]] != k])
        prune, sentence = fit(train, cheap), fit(train, full)
        test = [r for r in rows if fold_of[r["qid"]] == k]
        out += question_rows(test, prune, sentence)
        for (qid, pool), group in by_pool(test).items():
            if pool == "real" and any(r["label"] for r in group):
                best = max(group, key=sentence.p)
                out.append({"qid": qid, "set": group[0]["set"], "pool": "top1", "label": best["label"]})
    return out


def threshold_for(scored: list[dict], target: float = MAX_FALSE_REFUSAL) -> float:
    """The highest refusal threshold whose out-of-fold false refusal rate stays within
    `target` (refusing an answerable question costs the user more than a near miss)."""
    pos = sorted(r["p"] for r in scored if r["label"])
    return round(pos[int(target * len(pos))], 3) if pos else 0.5


def report(q_rows: list[dict]) -> float:
    """Prints the cross-validated figures per set; returns the refusal threshold."""
    names = sorted(k for k in q_rows[0] if k not in ("qid", "set", "pool", "label"))
    fold_of = folds(q_rows, 11)
    scored = [r for r in q_rows if r["pool"] != "top1"]
    for k in range(FOLDS):
        model = fit([r for r in scored if fold_of[r["qid"]] != k], names)
        for r in scored:
            if fold_of[r["qid"]] == k:
                r["p"] = model.p(r)
    cut = threshold_for(scored)
    print(f"refusal threshold (out-of-fold false refusal <= {MAX_FALSE_REFUSAL}): {cut}")
    for name in sorted({r["set"] for r in q_rows}) + ["all"]:
        top = [r["label"] for r in q_rows if r["pool"] == "top1" and name in (r["set"], "all")]
        qs = [r for r in scored if name in (r["set"], "all")]
        y, p = [r["label"] for r in qs], [r["p"] for r in qs]
        pos, neg = [x for x, t in zip(p, y) if t], [x for x, t in zip(p, y) if not t]
        print(
            f"{name:>6}: span top-1 {np.mean(top):.3f} ({len(top)} q) | answerable AUC "
            f"{roc_auc_score(y, p) if 0 < sum(y) < len(y) else float('nan'):.3f} Brier {brier_score_loss(y, p):.3f} "
            f"| at {cut}: false refusal {np.mean([x < cut for x in pos]):.3f} ({len(pos)}), "
            f"refused {np.mean([x < cut for x in neg]) if neg else float('nan'):.3f} of {len(neg)} without answer"
        )
    return cut


def train(rows: list[dict]) -> Scorer:
    cut = report(cross_validate(rows))
    cheap, full = span_features(rows)
    real = answered(rows)
    prune, sentence = fit(real, cheap), fit(real, full)
    final_q = question_rows(rows, prune, sentence)
    names = sorted(k for k in final_q[0] if k not in ("qid", "set", "pool", "label"))
    return Scorer(prune, sentence, fit(final_q, names), cut)


@command
def main(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.train_scorer")
    parser.add_argument("--set", nargs=3, action="append", metavar=("NAME", "QUESTIONS", "CORPUS"), default=[])
    parser.add_argument("--index-root", type=Path, default=Path(".cache/train-index"))
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=PARAMS)
    parser.add_argument("--from-data", action="store_true", help="refit from --data without indexing")
    args = parser.parse_args(argv)
    if args.from_data:
        rows = read_rows(args.data)
    else:
        rows = []
        for name, questions, corpus in args.set:
            index = open_index(settings, args.index_root / name)
            ingest([Path(corpus)], index, settings.max_bytes, prune=True, progress=False)
            rows += rows_for_set(name, load_questions(Path(questions)), index)
        write_rows(rows, args.data)
    scorer = train(rows)
    args.out.write_text(json.dumps(scorer.as_dict(), indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} spans; parameters written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
