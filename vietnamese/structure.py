"""The structure of Vietnamese directive documents: heading levels (I., 1., a),
starred and dashed sub-headings) and the "Thứ nhất… Thứ sáu" ordinals that open
enumerated items."""

from __future__ import annotations

import re

_ROMAN = re.compile(r"^[IVXL]{1,5}[.)]\s+\S")
_DIGIT = re.compile(r"^\d{1,2}[.)]\s+\S")
_LETTER = re.compile(r"^[a-zđ][.)]\s+\S")
_STAR = re.compile(r"^[*•]\s*\S")
_DASH = re.compile(r"^[-–+]\s+\S")
LATER_ORDINALS = "hai|ba|tư|năm|sáu|bảy|tám|chín|mười"  # "Thứ hai… Thứ mười" start new items
ORDINALS = "nhất|" + LATER_ORDINALS


def heading_level(line: str) -> int:
    """0 for body text, else 1 (I.), 2 (1.), 3 (a)), 4 (* …) or 5 (short "- …")."""
    if len(line) > 160:
        return 0
    if _ROMAN.match(line):
        return 1
    if _DIGIT.match(line) and not re.match(r"^\d{1,2}/", line):
        return 2
    if _LETTER.match(line):
        return 3
    ends_open = not line.rstrip().endswith((".", ";", ","))
    if _STAR.match(line) and len(line) <= 90 and ends_open:
        return 4
    if _DASH.match(line) and len(line) <= 70 and ends_open:
        return 5
    return 0
