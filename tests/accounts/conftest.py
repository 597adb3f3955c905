"""The seed index with its documents in units (tests/support/units.py)."""

from __future__ import annotations

import shutil

import pytest

from index.store import Index
from settings import Settings
from tests.support.units import set_up_units


@pytest.fixture(scope="module")
def units(seed_index, tmp_path_factory):
    """(the whole index, the gate) of a copy of the seed index whose documents belong to units."""
    copy = tmp_path_factory.mktemp("units") / "index"
    shutil.copytree(seed_index.index_dir, copy)
    index = Index(copy, seed_index.embedder)
    return index, set_up_units(index, Settings(index_dir=copy, auth="local"))
