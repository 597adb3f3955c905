"""Classified documents: the level stamped in a document's header ("MẬT", "TỐI MẬT",
"TUYỆT MẬT", the three levels of the Law on Protection of State Secrets 2018), read from
its first lines only, where the stamp stands; "bí mật" in running text is no stamp."""

from __future__ import annotations

import re

from vietnamese.normalize import nfc

HEAD_CHARS = 800  # the header: agency, motto, number, stamp
LEVELS = {"MẬT": "Mật", "TỐI MẬT": "Tối mật", "TUYỆT MẬT": "Tuyệt mật"}
_STAMP = re.compile(r"^\s*(?:ĐỘ\s+MẬT\s*:\s*)?(TUYỆT\s+MẬT|TỐI\s+MẬT|MẬT)\s*$", re.MULTILINE | re.IGNORECASE)


def classification_of(text: str) -> str:
    """ "Mật", "Tối mật", "Tuyệt mật", or "" for a document without a stamp."""
    found = _STAMP.search(nfc(text[:HEAD_CHARS]))
    return LEVELS[" ".join(found.group(1).upper().split())] if found else ""
