"""Restore Vietnamese diacritics of a query typed without them, from the corpus's
own vocabulary: each bare syllable takes the accented form that is most frequent
and agrees best with its neighbours (Viterbi over syllable bigrams)."""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from vietnamese.normalize import fold, normalize_tones

# Question words rarely occur in reports but fill the queries users type.
QUESTION_WORDS = ("bao_nhiêu mấy gì nào đâu khi_nào ở_đâu như_thế_nào thế_nào ra_sao vì_sao tại_sao "
                  "những các có không được của cho với và là đã đang sẽ thì sao còn ai hay hoặc").split()
_SYL = re.compile(r"[^\W\d_]+|\d+|[^\w\s]+|\s+", re.UNICODE)


class DiacriticRestorer:
    def __init__(self, texts: list[str]) -> None:
        unigrams: Counter[str] = Counter()
        bigrams: Counter[tuple[str, str]] = Counter()
        for text in texts + [" , ".join(w.replace("_", " ") for w in QUESTION_WORDS)] * 20:
            for clause in re.split(r"[^\w\s]+", normalize_tones(text).lower()):
                syls = [s for s in clause.split() if s.isalpha()]
                unigrams.update(syls)
                bigrams.update(zip(syls, syls[1:]))
        self.unigrams = unigrams
        self.bigrams = bigrams
        self.total = sum(unigrams.values()) or 1
        self.forms: dict[str, list[str]] = defaultdict(list)
        for syl, _ in unigrams.most_common():
            self.forms[fold(syl)].append(syl)

    def _score(self, prev: str | None, cur: str) -> float:
        uni = math.log((self.unigrams[cur] + 0.1) / self.total)
        if prev is None:
            return uni
        return uni + 2.0 * math.log1p(self.bigrams[(prev, cur)])

    def restore(self, text: str) -> str:
        """Accented reading of `text`; words unknown to the corpus stay as typed."""
        parts = _SYL.findall(text)
        words = [i for i, p in enumerate(parts) if p[0].isalpha()]
        lattice = [self.forms.get(fold(parts[i]).lower(), [])[:6] or [parts[i].lower()] for i in words]
        if not lattice:
            return text
        best = [{c: (self._score(None, c), None) for c in lattice[0]}]
        for options in lattice[1:]:
            layer = {}
            for c in options:
                layer[c] = max(((s + self._score(p, c), p) for p, (s, _) in best[-1].items()), key=lambda t: t[0])
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
