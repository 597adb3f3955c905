"""Corrections that OCR of Vietnamese needs before the usual cleaning: look-alike
letters (Icelandic Ð/ð for Đ/đ), tone marks read as separate spacing characters or cut
from their vowel by a space, and stray spaces around the slash of document numbers."""
from __future__ import annotations

import re

from vietnamese.normalize import nfc

_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "ɖ": "đ"})
# Spacing accents that stand for a combining tone or vowel mark.
_SPACING = {"`": "\u0300", "\u02cb": "\u0300", "´": "\u0301", "\u02ca": "\u0301", "\u02dc": "\u0303",
            "~": "\u0303", "\u02c0": "\u0309", "\u02c6": "\u0302", "^": "\u0302"}
_VOWEL = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
# ASCII accents only inside a word ("ca`c"); modifier letters also after a space ("tre ˋ").
_SPACING_AFTER_VOWEL = re.compile(rf"(?<=[{_VOWEL}])(?:([`´~^])(?=\w)|\s?([\u02c0\u02c6\u02ca\u02cb\u02dc]))")
_MARK_AFTER_SPACE = re.compile(r"(?<=\w) ([\u0300-\u036f\u0323]+)")
_NUMBER_SLASH = re.compile(r"\b(\d+[-–][A-ZĐ]{1,5}) ?/ ?([A-ZĐ]{1,5})\b")


def fix_ocr(text: str) -> str:
    text = nfc(text.translate(_LOOKALIKES))
    text = _MARK_AFTER_SPACE.sub(r"\1", text)
    text = nfc(_SPACING_AFTER_VOWEL.sub(lambda m: _SPACING[m.group(1) or m.group(2)], text))
    return _NUMBER_SLASH.sub(r"\1/\2", text)
