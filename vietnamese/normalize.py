"""Vietnamese text normalisation and tokenisation shared by ingest and retrieval.

- `nfc`: Unicode NFC, the form everything is stored and hashed in.
- `normalize_tones`: one tone-mark placement (hòa, thủy, khỏe) for indexing and
  matching; stored text keeps the document's own spelling.
- `strip_diacritics`: "Cần Thơ" -> "Can Tho", for queries typed without accents.
- `word_tokens` / `plain_tokens`: the two token streams of the lexical index.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
MODIFIERS = {"\u0302", "\u0306", "\u031b"}
VOWELS = set("aeiouyAEIOUY")
WORD_RE = re.compile(r"\w+", re.UNICODE)
LETTERS_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")  # zero-width, direction marks, soft hyphen


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_invisible(text: str) -> str:
    """Remove characters that split a word without showing ("B\u200bỉm Sơn")."""
    return INVISIBLE.sub("", text)


@lru_cache(maxsize=200_000)
def _normalize_word(word: str) -> str:
    letters: list[list[str]] = []  # base char followed by its modifier marks
    tone = None
    for ch in unicodedata.normalize("NFD", word):
        if ch in TONES:
            tone = ch
        elif unicodedata.combining(ch) and letters:
            letters[-1].append(ch)
        else:
            letters.append([ch])
    if tone is None:
        return word
    bases = "".join(parts[0] for parts in letters).lower()
    start = 0
    if bases.startswith("qu") or (bases.startswith("gi") and len(bases) > 2 and bases[2] in "aeiouy"):
        start = 2
    cluster = []
    for i in range(start, len(letters)):
        if letters[i][0] in VOWELS:
            cluster.append(i)
        elif cluster:
            break
    if not cluster:  # "gì", "quý"-like words whose only vowel was skipped
        cluster = [i for i in range(len(letters)) if letters[i][0] in VOWELS][-1:]
        if not cluster:
            return word
    marked = [i for i in cluster if any(m in MODIFIERS for m in letters[i][1:])]
    has_tail = cluster[-1] < len(letters) - 1
    if marked:
        pos = marked[-1]
    elif len(cluster) == 1:
        pos = cluster[0]
    elif len(cluster) >= 3:
        pos = cluster[1]
    elif has_tail:
        pos = cluster[-1]
    else:
        pos = cluster[0]
    letters[pos].append(tone)
    return nfc("".join("".join(parts) for parts in letters))


def normalize_tones(text: str) -> str:
    """Move every tone mark to one placement convention (hoà -> hòa, thuỷ -> thủy)."""
    return LETTERS_RE.sub(lambda m: _normalize_word(m.group(0)), nfc(text))


@lru_cache(maxsize=200_000)
def _strip_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


def strip_diacritics(text: str) -> str:
    return LETTERS_RE.sub(lambda m: _strip_word(m.group(0)), nfc(text))


def has_diacritics(text: str) -> bool:
    return strip_diacritics(text) != nfc(text)


def fold(text: str) -> str:
    """Key for accent-, case- and tone-placement-insensitive comparison."""
    return strip_diacritics(text).lower()


def match_key(text: str) -> str:
    """Key for comparison that keeps diacritics but not case or tone placement."""
    return " ".join(normalize_tones(text).lower().split())


_segmenter = None


def segment(text: str) -> list[str]:
    """Vietnamese word segmentation (pyvi): compounds joined by '_', lower-cased,
    tones normalised, punctuation dropped."""
    global _segmenter
    if _segmenter is None:
        from pyvi import ViTokenizer

        _segmenter = ViTokenizer
        # pyvi's model unpickles into a temporary "model*.crfsuite" file, removed only when
        # the model is collected (never, in a process that is stopped): the tagger reads the
        # file into memory when it opens, so the file goes at once.
        model = getattr(ViTokenizer.ViTokenizer, "model", None)
        if model is not None and getattr(model, "tagger_", None) is not None:
            model.modelfile.cleanup()
    out = []
    for line in nfc(text).splitlines():
        if not line.strip():
            continue
        for tok in _segmenter.tokenize(line).split():
            if WORD_RE.search(tok):
                out.append(normalize_tones(tok.lower()))
    return out


def word_tokens(text: str) -> list[str]:
    """Accented index tokens: segmented words plus the syllables of compounds."""
    words = segment(text)
    return words + [s for w in words if "_" in w for s in w.split("_") if s]


def plain_tokens_from_words(words: list[str]) -> list[str]:
    """Accent-free index tokens derived from accented word tokens."""
    return [_strip_word(w) for w in words]


def plain_query_tokens(text: str) -> list[str]:
    """Accent-free query tokens: syllables plus adjacent syllable pairs, so that
    "can tho" also hits the indexed compound "can_tho"."""
    syl = [_strip_word(s) for s in WORD_RE.findall(normalize_tones(text).lower().replace("_", " "))]
    return syl + [f"{a}_{b}" for a, b in zip(syl, syl[1:])]
