"""python -m evaluation.fit_briefing [--corpus DIR] [--index-dir DIR] [--write]

Fits the briefing's topic relevance (tools/relevance.json, which `--write` updates) on the
development topics of evaluation/labels/briefing.jsonl: a logistic regression over the
embedding cosine and the lexical cover of every sentence a briefing could take, each
labelled on or off topic by the topic's list, each topic weighing the same. The threshold
is the one that keeps the most on-topic sentences (mean over topics) while the sentences
kept stay at least 90% on topic (mean over topics; the pages' goal). Prints the fit on the development and test topics."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

from cli import command
from evaluation.pages import labels, on_topic
from index.store import Index, open_index
from ingest.pipeline import ingest
from retrieval.retriever import HybridRetriever
from settings import Settings
from tools.briefing import sentences
from tools.relevance import PARAMS, features, subject

GOAL = 0.9


def rows(index: Index, topic: dict) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of the sentences a briefing on `topic` chooses from."""
    passages = HybridRetriever(index=index, k=40).search(topic["topic"], k=40)
    texts = [s for _, _, _, _, s in sentences(passages)]
    words = subject(topic["topic"], [r.title for r in index.records().values()])
    x = features(index.embedder, index.lexical().idf, topic["topic"], words, texts)
    y = np.array([on_topic(t, topic["on_topic"]) for t in texts], dtype=int)
    return x, y


def fit(index: Index) -> dict:
    from sklearn.linear_model import LogisticRegression

    titles = [r.title for r in index.records().values()]
    labelled = labels("briefing.jsonl")
    broad = {t["topic"]: not subject(t["topic"], titles) for t in labelled}  # kept whole, nothing to fit
    topics = [t for t in labelled if not broad[t["topic"]]]
    data = {t["topic"]: rows(index, t) for t in topics}
    dev = [t["topic"] for t in topics if t["split"] == "dev"]
    x = np.vstack([data[t][0] for t in dev])
    y = np.concatenate([data[t][1] for t in dev])
    # every topic weighs the same, and within it the two labels
    weight = np.concatenate([_balanced(data[t][1]) / len(dev) for t in dev])
    model = LogisticRegression(C=10.0).fit(x, y, sample_weight=weight)

    def macro(threshold: float) -> tuple[float, float]:
        """Mean over development topics of the share kept on topic, and of the on-topic kept."""
        precision, recall = [], []
        for t in dev:
            tx, ty = data[t]
            kept = model.predict_proba(tx)[:, 1] >= threshold
            precision.append(ty[kept].mean() if kept.any() else 1.0)
            recall.append(ty[kept].sum() / ty.sum() if ty.sum() else 1.0)
        return float(np.mean(precision)), float(np.mean(recall))

    candidates = [(macro(t), float(t)) for t in np.arange(0.05, 1.0, 0.05)]
    reaching = [(r, t) for (p, r), t in candidates if p >= GOAL]
    threshold = max(reaching)[1] if reaching else max(candidates)[1]
    out = {"weights": [round(float(w), 4) for w in model.coef_[0]], "bias": round(float(model.intercept_[0]), 4)}
    out["threshold"] = round(threshold, 2)
    report = {}
    for t in topics:
        tx, ty = data[t["topic"]]
        kept = model.predict_proba(tx)[:, 1] >= threshold if len(tx) else np.zeros(0, bool)
        report[t["topic"]] = {
            "split": t["split"],
            "sentences": int(len(ty)),
            "on_topic": int(ty.sum()),
            "kept": int(kept.sum()),
            "kept_on_topic": int(ty[kept].sum()),
        }
    return {"params": out, "topics": report, "broad": broad}


def _balanced(y: np.ndarray) -> np.ndarray:
    """Weights that give a topic's on-topic and off-topic sentences the same total."""
    on = y.sum()
    off = len(y) - on
    return np.where(y == 1, 0.5 / max(on, 1), 0.5 / max(off, 1))


@command
def main(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.fit_briefing", description=__doc__.splitlines()[2])
    parser.add_argument("--corpus", type=Path, default=settings.corpus_dir)
    parser.add_argument("--index-dir", type=Path)
    parser.add_argument("--write", action="store_true", help=f"ghi {PARAMS.name}")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        index = open_index(settings, args.index_dir or Path(tmp) / "index")
        ingest([args.corpus], index, settings.max_bytes, prune=True, progress=False)
        result = fit(index)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.write:
        PARAMS.write_text(json.dumps(result["params"], indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
