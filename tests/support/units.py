"""A copy of the seed index whose documents belong to units: a province P over units A and B.

| document | unit | visibility | read by |
| Cần Thơ (000) | A | unit | ra, rp |
| Đồng Nai (001) | P | unit | rp |
| the province's plan (002) | P | below | ra, rb, rp |
| Tiền Giang (003) | (none) | | administrators only |
| Bỉm Sơn (004) | B | unit | rb, rp |
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Literal

from accounts.gate import Gate
from index.store import Index
from settings import Settings

CAN_THO, DONG_NAI, PLAN, TIEN_GIANG, BIM_SON = (
    "000_5594e5f712cf8468.txt",
    "001_d717fc30ee347d63.txt",
    "002_79f04d2b9ffbba90.txt",
    "003_61385dfc793cc1de.txt",
    "004_70c20d1112d6ed16.txt",
)
READS = {
    "ra": {CAN_THO, PLAN},
    "rb": {BIM_SON, PLAN},
    "rp": {CAN_THO, DONG_NAI, PLAN, BIM_SON},
}
PASSWORDS = {"ra": "mat-khau-cua-a-01", "rb": "mat-khau-cua-b-01", "rp": "mat-khau-tinh-p-01"}


def set_up_units(index: Index, settings: Settings) -> Gate:
    gate = Gate(settings, index.index_dir)
    d = gate.directory
    d.add_unit("P", "Tỉnh thử")
    d.add_unit("A", "Đơn vị A", "P")
    d.add_unit("B", "Đơn vị B", "P")
    for name, unit in (("ra", "A"), ("rb", "B"), ("rp", "P")):
        d.add_user(name, unit, "reader", PASSWORDS[name])
    index.set_access(CAN_THO, unit="A", visibility="unit")
    index.set_access(DONG_NAI, unit="P", visibility="unit")
    index.set_access(PLAN, unit="P", visibility="below")
    index.set_access(BIM_SON, unit="B", visibility="unit")
    return gate


def units_copy(source: Index, folder: Path, auth: Literal["", "local"] = "") -> tuple[Index, Gate]:
    """A copy of `source` (its own accounts left behind) set up as above: (index, gate)."""
    shutil.copytree(source.index_dir, folder, ignore=shutil.ignore_patterns("accounts.sqlite*"))
    index = Index(folder, source.embedder)
    return index, set_up_units(index, Settings(index_dir=folder, auth=auth))
