"""Alias kept for the command users type: python -m retrieval.eval (see evaluation.qa)."""

import sys

from evaluation.qa import main

if __name__ == "__main__":
    sys.exit(main())
