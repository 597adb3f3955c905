"""The audit trail as CSV (the command line and the auditors' page)."""

from __future__ import annotations

import csv

from accounts.audit import Row


def write_csv(found: list[Row], out) -> None:
    writer = csv.writer(out)
    writer.writerow(["id", "thời điểm", "người", "đơn vị", "việc", "đối tượng", "chi tiết", "địa chỉ", "băm"])
    for r in found:
        writer.writerow([r.id, r.at, r.actor, r.unit, r.action, _safe(r.target), _safe(r.detail), r.address, r.hash])


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
