"""Alias kept for the command users type: python -m retrieval.bench (see evaluation.retrieval_bench)."""

import sys

from evaluation.retrieval_bench import main

if __name__ == "__main__":
    sys.exit(main())
