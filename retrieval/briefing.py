"""Alias kept for the command users type: python -m retrieval.briefing (see tools.cli)."""

import sys

from tools.cli import briefing as main

if __name__ == "__main__":
    sys.exit(main())
