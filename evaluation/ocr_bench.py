"""python -m evaluation.ocr_bench [--corpus DIR] [--qa FILE] [--variants clean mild heavy]
[--work DIR] [--json]

Renders every document of the corpus to A4 page images (DejaVu Serif, 300 dpi), makes
degraded copies (evaluation.scans.VARIANTS), saves each document as an image-only PDF
and ingests it through the real pipeline (OCR, cleaning, chunking). Prints per variant:
character and word error rate of the ingested text against the cleaned source text,
seconds per page, and the evaluation of the question file over the OCR'd corpus beside
the clean corpus."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from cli import command
from evaluation.qa import evaluate, load_questions
from evaluation.scans import VARIANTS, degrade, render, save_pdf
from index.store import open_index
from ingest.clean import PAGE_BREAK, clean_text
from ingest.pipeline import ingest
from ingest.readers import read_file
from settings import Settings

SHOWN = ("evidence_recall@3", "answer_key_hit", "false_refusal_rate", "refusal_accuracy")


def error_rates(reference: str, hypothesis: str) -> tuple[float, float]:
    """(character error rate, word error rate), white space collapsed."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = " ".join(reference.split()), " ".join(hypothesis.split())
    cer = Levenshtein.distance(ref, hyp) / max(len(ref), 1)
    words = ref.split()
    wer = Levenshtein.distance(words, hyp.split()) / max(len(words), 1)
    return cer, wer


def scan_corpus(sources: dict[str, str], out: Path, variant: str) -> int:
    """Image-only PDFs of the documents (stem -> cleaned text) as `variant` scans them; pages made."""
    out.mkdir(parents=True, exist_ok=True)
    pages = 0
    for stem, text in sources.items():
        images = [degrade(page, VARIANTS[variant], seed=i) for i, page in enumerate(render(text))]
        save_pdf(images, out / f"{stem}.pdf", VARIANTS[variant].dpi)
        pages += len(images)
    return pages


def run(corpus: Path, qa: Path | None, variants: list[str], work: Path, settings: Settings, limit: int) -> dict:
    questions = load_questions(qa) if qa else []
    report: dict = {}
    clean_index = open_index(settings, work / "source-index")  # the corpus as it is
    ingest([corpus], clean_index, settings.max_bytes, progress=False)
    if questions:
        report["source"] = {k: evaluate(questions, clean_index)["metrics"][k] for k in SHOWN}
    sources = {p.stem: clean_text(read_file(p, 10**8).text) for p in sorted(corpus.glob("*.txt"))[:limit]}
    for variant in variants:
        scans = work / variant
        pages = scan_corpus(sources, scans, variant)
        index = open_index(settings, work / f"{variant}-index")
        began = time.perf_counter()
        done = ingest([scans], index, settings.max_bytes, progress=False)
        seconds = time.perf_counter() - began
        cers, wers, chars = [], [], []
        for stem, source in sources.items():
            text = index.document_text(f"{stem}.pdf") if f"{stem}.pdf" in index.records() else ""
            cer, wer = error_rates(source.replace(PAGE_BREAK, "\n"), text)
            cers.append(cer * len(source))
            wers.append(wer * len(source.split()))
            chars.append((len(source), len(source.split())))
        row = {
            "pages": pages,
            "failed": len(done.failed),
            "cer": round(sum(cers) / sum(c for c, _ in chars), 4),
            "wer": round(sum(wers) / sum(w for _, w in chars), 4),
            "seconds_per_page": round(seconds / max(pages, 1), 2),
        }
        if questions:
            renamed = [dict(q, sources=[s.replace(".txt", ".pdf") for s in q["sources"]]) for q in questions]
            metrics = evaluate(renamed, index)["metrics"]
            row.update({k: metrics[k] for k in SHOWN})
            for k in ("evidence_recall@3", "answer_key_hit"):
                row[f"{k}_vs_source"] = round(metrics[k] / max(report["source"][k], 1e-9), 3)
        report[variant] = row
    return report


@command
def main(settings: Settings, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.ocr_bench")
    parser.add_argument("--corpus", type=Path, default=settings.corpus_dir)
    parser.add_argument("--qa", type=Path, default=Path("../shared/eval/seed_dev.jsonl"))
    parser.add_argument("--variants", nargs="+", choices=sorted(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--docs", type=int, default=1000, help="at most this many documents")
    parser.add_argument("--work", type=Path, help="keep scans and indexes here (default: a temp dir)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    qa = args.qa if args.qa.exists() else None
    with tempfile.TemporaryDirectory() as tmp:
        report = run(args.corpus, qa, args.variants, args.work or Path(tmp), settings, args.docs)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for name, row in report.items():
        print(f"{name:6s} " + "  ".join(f"{k}={v}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    main()
