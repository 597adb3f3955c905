"""Answer strategies for requests that are not single-fact lookups, by the kind of
question they answer. A new strategy is a class with `answer(request)` and one entry here."""

from __future__ import annotations

from retrieval.kinds import Kind
from retrieval.strategies.comparison import Comparison
from retrieval.strategies.inventory import Inventory
from retrieval.strategies.request import Request, Strategy
from retrieval.strategies.shortcomings import Shortcomings
from retrieval.strategies.summary import Summary

STRATEGIES: dict[Kind, Strategy] = {
    Kind.SUMMARY: Summary(),
    Kind.COMPARE: Comparison(),
    Kind.INVENTORY: Inventory(),
    Kind.LIMITS: Shortcomings(),
    Kind.WHY: Shortcomings(),
}

__all__ = ["STRATEGIES", "Request", "Strategy"]
