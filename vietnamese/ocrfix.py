"""Corrections that OCR of Vietnamese needs before the usual cleaning: look-alike
letters (Icelandic Ð/ð for Đ/đ; "đưới" where a speck crossed a d),
tone marks read as separate spacing characters or cut from their vowel by a space, and
stray spaces around the slash of document numbers."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from vietnamese.normalize import nfc, normalize_tones

_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "ɖ": "đ"})
# Spacing accents that stand for a combining tone or vowel mark.
_SPACING = {
    "`": "\u0300",
    "\u02cb": "\u0300",
    "´": "\u0301",
    "\u02ca": "\u0301",
    "\u02dc": "\u0303",
    "~": "\u0303",
    "\u02c0": "\u0309",
    "\u02c6": "\u0302",
    "^": "\u0302",
}
_VOWEL = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
# ASCII accents only inside a word ("ca`c"); modifier letters also after a space ("tre ˋ").
_SPACING_AFTER_VOWEL = re.compile(rf"(?<=[{_VOWEL}])(?:([`´~^])(?=\w)|\s?([\u02c0\u02c6\u02ca\u02cb\u02dc]))")
_MARK_AFTER_SPACE = re.compile(r"(?<=\w) ([\u0300-\u036f\u0323]+)")
_NUMBER_SLASH = re.compile(r"\b(\d+[-–][A-ZĐ]{1,5}) ?/ ?([A-ZĐ]{1,5})\b")


def fix_ocr(text: str) -> str:
    text = nfc(text.translate(_LOOKALIKES))
    text = _MARK_AFTER_SPACE.sub(r"\1", text)
    text = nfc(_SPACING_AFTER_VOWEL.sub(lambda m: _SPACING[m.group(1) or m.group(2)], text))
    return _crossed_d(_NUMBER_SLASH.sub(r"\1/\2", text))


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """The syllables of pyvi's Vietnamese word list (31k words, offline)."""
    import pyvi

    text = (Path(pyvi.__file__).parent / "models" / "words.txt").read_text(encoding="utf-8")
    return frozenset(normalize_tones(text.lower()).split())


def _swapped(syllable: str) -> str:
    return ("d" + syllable[1:]) if syllable[0] == "đ" else ("đ" + syllable[1:])


def _crossed_d(text: str) -> str:
    """A lower-case syllable starting with d or đ that no Vietnamese word has, where the
    other letter makes one, takes the other letter ("xuống đưới 5%" -> "dưới"). A valid
    syllable is left alone: "đinh" (nail) in "suy đinh dưỡng" is a word, and so are "dã"
    and "dược", which swapping "đã", "được" against their neighbours would make."""
    syllables = _syllables()

    def fix(m: re.Match) -> str:
        word = m.group()
        key = normalize_tones(word)
        return _swapped(word) if key not in syllables and _swapped(key) in syllables else word

    return re.sub(r"(?<![\w-])[dđ]\w*", fix, text)  # not inside a hyphenated loanword ("ô-dôn")
