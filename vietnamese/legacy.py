"""Legacy Vietnamese encodings (TCVN3/ABC ".VnTime" and VNI-Windows) to Unicode.

No maintained PyPI package covers these, so the tables live here. VNI is
generated from its rule (base letter + mark characters); TCVN3 is one byte per
letter. Both arrive as text decoded with cp1252/latin-1, or pasted into UTF-8.
"""

from __future__ import annotations

import re
import unicodedata

# TCVN3 (VN3): one byte per lower-case letter; capitals with tones use the same
# bytes in the ".VnTimeH" font, so case is not recoverable for them.
_TCVN3_BYTES = "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢§£¤¥¦"
_TCVN3_CHARS = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ"
TCVN3 = dict(zip(_TCVN3_BYTES, _TCVN3_CHARS))

# VNI marks: tone alone, and modifier+tone combinations, lower / upper case.
_VNI_TONE = {"\u0301": "ùÙ", "\u0300": "øØ", "\u0309": "ûÛ", "\u0303": "õÕ", "\u0323": "ïÏ"}
_VNI_CIRC = {None: "âÂ", "\u0301": "áÁ", "\u0300": "àÀ", "\u0309": "åÅ", "\u0303": "ãÃ", "\u0323": "äÄ"}
_VNI_BREVE = {None: "êÊ", "\u0301": "éÉ", "\u0300": "èÈ", "\u0309": "úÚ", "\u0303": "üÜ", "\u0323": "ëË"}
# Letters VNI writes as a single character.
_VNI_SINGLE = {
    "ơ": "ô",
    "Ơ": "Ô",
    "ư": "ö",
    "Ư": "Ö",
    "đ": "ñ",
    "Đ": "Ñ",
    "í": "í",
    "ì": "ì",
    "ỉ": "æ",
    "ĩ": "ó",
    "ị": "ò",
    "Í": "Í",
    "Ì": "Ì",
    "Ỉ": "Æ",
    "Ĩ": "Ó",
    "Ị": "Ò",
    "ỵ": "î",
    "Ỵ": "Î",
}


def _vni_of(ch: str) -> str | None:
    parts = unicodedata.normalize("NFD", ch)
    base, marks = parts[0], parts[1:]
    upper = base.isupper()
    tone = next((m for m in marks if m in _VNI_TONE), None)
    if "\u031b" in marks:  # horn: ơ, ư
        head = _VNI_SINGLE[unicodedata.normalize("NFC", base + "\u031b")]
        return head + (_VNI_TONE[tone][upper] if tone else "")
    if "\u0302" in marks:
        return base + _VNI_CIRC[tone][upper]
    if "\u0306" in marks:
        return base + _VNI_BREVE[tone][upper]
    if tone:
        return base + _VNI_TONE[tone][upper]
    return None


def _vni_table() -> dict[str, str]:
    table = {}
    for cp in list(range(0xC0, 0x1B1)) + list(range(0x1EA0, 0x1EFA)):
        ch = chr(cp)
        if not ch.isalpha() or unicodedata.normalize("NFD", ch)[0].lower() not in "aeiouy":
            continue
        if ch in _VNI_SINGLE:
            table[_VNI_SINGLE[ch]] = ch
            continue
        code = _vni_of(ch)
        if code:
            table[code] = ch
    for ch in "đĐ":
        table[_VNI_SINGLE[ch]] = ch
    return table


VNI = _vni_table()
_VNI_RE = re.compile("|".join(sorted(map(re.escape, VNI), key=len, reverse=True)))
_TCVN3_RE = re.compile("[" + re.escape(_TCVN3_BYTES) + "]")


def tcvn3_to_unicode(text: str) -> str:
    return _TCVN3_RE.sub(lambda m: TCVN3[m.group(0)], text)


def vni_to_unicode(text: str) -> str:
    return _VNI_RE.sub(lambda m: VNI[m.group(0)], text)


_NUCLEI = (
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô"
    " uơ ưa ưi ưu uy ươ yê iêu oai oay oeo uây uôi uya uyê uyu ươi ươu yêu"
).split()
_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?("
    + "|".join(sorted(_NUCLEI, key=len, reverse=True))
    + r")(ng|nh|ch|[cmnpt])?$"
)
_WORD = re.compile(r"\S+")


def is_syllable(word: str) -> bool:
    """True when `word` is a well-formed Vietnamese syllable (any case)."""
    parts = unicodedata.normalize("NFD", word.lower())
    if sum(ch in "\u0300\u0301\u0303\u0309\u0323" for ch in parts) > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(ch for ch in parts if ch not in "\u0300\u0301\u0303\u0309\u0323"))
    return bool(_SYLLABLE.match(toneless) or (toneless.startswith("gi") and _SYLLABLE.match("g" + toneless[1:])))


def viet_score(text: str) -> int:
    """Well-formed minus malformed words, over words with non-ASCII letters."""
    score = 0
    for raw in _WORD.findall(text):
        word = raw.strip(".,;:!?()[]{}\"'“”‘’…-–—/*")
        if word.isascii() or not word:
            continue
        score += 1 if is_syllable(word) else -1
    return score


def detect_and_convert(text: str) -> tuple[str, str]:
    """Return (unicode_text, encoding_name), where the name is "unicode", "tcvn3"
    or "vni": the reading with the most well-formed Vietnamese words wins."""
    best = (text, "unicode", viet_score(text))
    for name, convert in (("tcvn3", tcvn3_to_unicode), ("vni", vni_to_unicode)):
        converted = convert(text)
        score = viet_score(converted)
        if score > best[2] and score > 0:
            best = (converted, name, score)
    return best[0], best[1]
