"""Fusing the ranked lists of the retrievers (dense, BM25 accented, BM25 accent-free).

Reciprocal rank fusion sees ranks only: a document one list ranks first by far, and the
other does not find, loses to documents both rank mediocrely. Z-score fusion sees how far
each score stands above its list: each list's scores are standardised over its head
(mean and deviation of its first `HEAD`), a document a list did not return counts as
that list's last, and the sums are compared."""

from __future__ import annotations

import statistics

HEAD = 50  # scores a list is standardised over (independent of how deep it was read)

Ranking = list[tuple[str, float]]  # (chunk id, score), best first


def zscore(lists: list[Ranking]) -> tuple[dict[str, float], float]:
    """Fused scores, and what a first place in one list is worth (the mean top z)."""
    standard: list[tuple[dict[str, float], float]] = []
    for ranking in (r for r in lists if r):
        head = [s for _, s in ranking[:HEAD]]
        mean, spread = statistics.fmean(head), (statistics.pstdev(head) if len(head) > 1 else 0.0) or 1.0
        z = {cid: (s - mean) / spread for cid, s in ranking}
        standard.append((z, (ranking[-1][1] - mean) / spread))
    fused: dict[str, float] = {}
    for cid in {c for z, _ in standard for c in z}:
        fused[cid] = sum(z.get(cid, last) for z, last in standard)
    tops = [max(z.values()) for z, _ in standard]
    return fused, statistics.fmean(tops) if tops else 1.0
