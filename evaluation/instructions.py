"""python -m evaluation.instructions [--json]

Recall and precision of the instruction classifier (`vietnamese.instructions`) on the test
part of its labelled sentences, fitted on the train part; the misread sentences listed."""

from __future__ import annotations

import argparse
import json
import sys

from vietnamese.instructions import THRESHOLD, fit, flags, labelled


def measure() -> dict:
    rows = labelled()
    model = fit([(label, text) for label, text, test in rows if not test])
    test = [(label, text) for label, text, is_test in rows if is_test]
    said = flags(model, [text for _, text in test])
    hits = sum(1 for (label, _), s in zip(test, said) if label and s)
    flagged, positives = sum(said), sum(label for label, _ in test)
    return {
        "train": len(rows) - len(test),
        "test": len(test),
        "threshold": THRESHOLD,
        "recall": round(hits / positives, 4) if positives else None,
        "precision": round(hits / flagged, 4) if flagged else None,
        "misread": [text for (label, text), s in zip(test, said) if bool(label) != s],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.instructions", description=__doc__.splitlines()[2])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"Câu chỉ dẫn: huấn luyện {result['train']}, kiểm tra {result['test']}")
    print(f"  ngưỡng {result['threshold']}  recall {result['recall']}  precision {result['precision']}")
    for text in result["misread"]:
        print(f"  đọc sai: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
