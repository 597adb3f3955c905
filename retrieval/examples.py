"""Alias kept for the command users type: python -m retrieval.examples (see tools.cli)."""

import sys

from tools.cli import examples as main

if __name__ == "__main__":
    sys.exit(main())
