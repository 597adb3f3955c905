"""The seed index with its documents in units (tests/support/units.py)."""

from __future__ import annotations

import pytest

from tests.support.units import units_copy


@pytest.fixture(scope="module")
def units(seed_index, tmp_path_factory):
    """(the whole index, the gate) of a copy of the seed index whose documents belong to units."""
    return units_copy(seed_index, tmp_path_factory.mktemp("units") / "index", auth="local")
