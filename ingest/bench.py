"""Alias kept for the command users type: python -m ingest.bench (see evaluation.ingest_bench)."""

import sys

from evaluation.ingest_bench import main

if __name__ == "__main__":
    sys.exit(main())
