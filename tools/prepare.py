"""What an ingest leaves ready for the pages: the facts of new and changed documents
(indicator values for the comparison, named examples), found once and kept."""

from __future__ import annotations

from index.store import Index
from tools.compare import cells_in
from tools.examples import examples_in
from tools.facts import keep


def keep_facts(index: Index, progress: bool = False) -> int:
    """Documents read to find their facts (0 when every version already has them)."""
    return keep(index, {"figures": cells_in, "examples": examples_in}, progress)
