"""Fusion keeps a strong match that only one retriever finds."""

import pytest

from retrieval.fusion import zscore
from tests.support.oracles import rrf

pytestmark = pytest.mark.unit


def _lists():
    lexical = [("short-report", 33.7)] + [(f"article-{i}", 15.6 - 0.1 * i) for i in range(40)]
    dense = [(f"article-{i}", 0.86 - 0.001 * i) for i in range(40)]  # the short report is not in it
    return [lexical, dense]


def test_a_strong_match_of_one_list_is_not_buried_by_mediocre_agreement():
    fused, _ = zscore(_lists())
    assert max(fused, key=fused.get) == "short-report"
    fused, _ = rrf(_lists())  # what rank fusion did
    assert max(fused, key=fused.get) != "short-report"


def test_agreement_still_wins_when_no_list_stands_out():
    lexical = [(f"article-{i}", 15.6 - 0.1 * i) for i in range(40)]
    order = [5] + list(range(5)) + list(range(6, 40))  # dense puts article-5 first
    dense = [(f"article-{i}", 0.86 - 0.001 * n) for n, i in enumerate(order)]
    fused, first_place = zscore([lexical, dense])
    assert sorted(fused, key=fused.get, reverse=True)[:2] == ["article-0", "article-1"]
    assert first_place > 0
    only_dense, _ = zscore([[], dense])  # a list that found nothing changes nothing
    assert max(only_dense, key=only_dense.get) == "article-5"
