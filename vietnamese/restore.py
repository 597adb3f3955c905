"""Restore Vietnamese diacritics of a query typed without them, from the corpus's
own vocabulary: each bare syllable takes the accented form that is most frequent
and agrees best with its neighbours (Viterbi over syllable bigrams).

The vocabulary is anything with `forms(bare)` (accented forms and their counts) and
`pairs(pairs)` (counts of adjacent syllable pairs): the lexical index on disk, and
`Counts` in memory for the question words and place names every corpus lacks."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Protocol

from vietnamese.normalize import fold, match_key, normalize_tones

# Question words rarely occur in reports but fill the queries users type.
QUESTION_WORDS = (
    "bao_nhiêu mấy gì nào đâu khi_nào ở_đâu như_thế_nào thế_nào ra_sao vì_sao tại_sao "
    "những các có không được của cho với và là đã đang sẽ thì sao còn ai hay hoặc"
).split()
_SYL = re.compile(r"[^\W\d_]+|\d+|[^\w\s]+|\s+", re.UNICODE)
_FORMS = 6  # accented readings tried per bare syllable


def syllable_runs(text: str) -> list[list[str]]:
    """The lower-case syllables of each clause (runs between punctuation)."""
    out = []
    for clause in re.split(r"[^\w\s]+", normalize_tones(text).lower()):
        syls = [s for s in clause.split() if s.isalpha()]
        if syls:
            out.append(syls)
    return out


class Vocabulary(Protocol):
    def forms(self, bare: str) -> dict[str, int]: ...
    def pairs(self, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], int]: ...


class Counts:
    """A vocabulary counted from texts in memory."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.unigrams: Counter[str] = Counter()
        self.bigrams: Counter[tuple[str, str]] = Counter()
        for text in texts:
            for syls in syllable_runs(text):
                self.unigrams.update(syls)
                self.bigrams.update(zip(syls, syls[1:]))
        self._forms: dict[str, list[str]] = defaultdict(list)
        for syl in self.unigrams:
            self._forms[fold(syl)].append(syl)

    def forms(self, bare: str) -> dict[str, int]:
        return {s: self.unigrams[s] for s in self._forms.get(bare, [])}

    def pairs(self, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        return {p: self.bigrams[p] for p in pairs if p in self.bigrams}


def question_words() -> Counts:
    return Counts([" , ".join(w.replace("_", " ") for w in QUESTION_WORDS)] * 20)


class DiacriticRestorer:
    def __init__(self, *vocabularies: Vocabulary) -> None:
        self.vocabularies = vocabularies

    def _forms(self, bare: str) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for vocabulary in self.vocabularies:
            counts.update(vocabulary.forms(bare))
        return dict(counts.most_common(_FORMS))

    def _pairs(self, lattice: list[dict[str, int]]) -> Counter[tuple[str, str]]:
        wanted = {(p, c) for prev, cur in zip(lattice, lattice[1:]) for p in prev for c in cur}
        counts: Counter[tuple[str, str]] = Counter()
        for vocabulary in self.vocabularies:
            counts.update(vocabulary.pairs(wanted))
        return counts

    def correct(self, text: str) -> str:
        """`text` typed with accents, a misspelt tone mark or a forgotten one read as the
        corpus spells it ("an sinh xã hôi" -> "xã hội", "kế hoach" -> "kế hoạch"): a
        lower-case syllable the corpus never holds in that form, but holds bare, takes
        the restorer's reading in context when it is no Vietnamese syllable ("lưc") or
        when that reading makes a pair the corpus holds with a neighbour (a word merely
        absent from a small corpus stays as typed)."""
        parts = _SYL.findall(text)
        words = [i for i, p in enumerate(parts) if p[0].isalpha()]
        wrong = [
            i
            for i in words
            if parts[i][0].islower() and (forms := self._forms(fold(parts[i]))) and match_key(parts[i]) not in forms
        ]
        if not wrong:
            return text
        restored = _SYL.findall(self.restore(fold(text)))
        if len(restored) != len(parts):
            return text
        for i in wrong:
            at = words.index(i)
            near = [match_key(parts[j]) for j in words[max(0, at - 1) : at] + words[at + 1 : at + 2]]
            form = match_key(restored[i])
            pairs = self._pairs([{w: 0 for w in near}, {form: 0}]) + self._pairs([{form: 0}, {w: 0 for w in near}])
            if sum(pairs.values()) or not well_formed(parts[i]):
                parts[i] = restored[i]
        return "".join(parts)

    def restore(self, text: str) -> str:
        """Accented reading of `text`; words unknown to the corpus stay as typed."""
        parts = _SYL.findall(text)
        words = [i for i, p in enumerate(parts) if p[0].isalpha()]
        lattice = [self._forms(fold(parts[i])) or {parts[i].lower(): 0} for i in words]
        if not lattice:
            return text
        pairs = self._pairs(lattice)

        def uni(form: str, layer: dict[str, int]) -> float:  # the corpus size is the same on every path
            return math.log(layer[form] + 0.1)

        best: list[dict[str, tuple[float, str]]] = [{c: (uni(c, lattice[0]), "") for c in lattice[0]}]
        for options in lattice[1:]:
            layer: dict[str, tuple[float, str]] = {}
            for c in options:
                layer[c] = max(
                    ((s + uni(c, options) + 2.0 * math.log1p(pairs[(p, c)]), p) for p, (s, _) in best[-1].items()),
                    key=lambda t: t[0],
                )
            best.append(layer)
        choice = max(best[-1], key=lambda c: best[-1][c][0])
        chosen = [choice]
        for layer in reversed(best[1:]):
            choice = layer[choice][1]
            chosen.append(choice)
        chosen.reverse()
        for i, form in zip(words, chosen):
            original = parts[i]
            parts[i] = form.capitalize() if original[:1].isupper() else form
            if original.isupper() and len(original) > 1:
                parts[i] = form.upper()
        return normalize_tones("".join(parts))


def well_formed(syllable: str) -> bool:
    """False for a syllable no Vietnamese word has: one ending in a stop (-c, -ch, -p,
    -t) takes the sắc or nặng tone ("lưc", "hoach" are typos of "lực", "hoạch")."""
    if not re.search(r"(c|ch|p|t)$", fold(syllable)):
        return True
    marks = unicodedata.normalize("NFD", syllable.lower())
    return "\u0301" in marks or "\u0323" in marks
