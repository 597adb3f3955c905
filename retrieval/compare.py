"""Alias kept for the command users type: python -m retrieval.compare (see tools.cli)."""

import sys

from tools.cli import comparison as main

if __name__ == "__main__":
    sys.exit(main())
