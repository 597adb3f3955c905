"""What a question asks: its kind, the answer type it expects, its content terms,
the places (old or new names) and years it names, and whether it asks across
documents. Read from the question words of Vietnamese, typed with or without accents."""
from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.spans import pairs, terms
from vietnamese.normalize import fold, has_diacritics
from vietnamese.places import places_in_query

# (kind, pattern on the accent-free, lower-cased question), first match wins.
_KINDS = [
    ("why", r"\b(vi sao|tai sao|ly do|nguyen nhan|do dau|vi ly do gi)\b"),
    ("when", r"\b(khi nao|ngay nao|nam nao|thang nao|luc nao|bao gio|thoi gian nao|thoi diem nao|"
             r"dien ra ngay|ngay bao nhieu|vao ngay)\b"),
    ("who", r"(^|\s)(ai|nguoi nao|co quan nao|don vi nao|to chuc nao|ong nao|ba nao|dong chi nao|"
            r"tac gia|nguoi viet|do ai|la ai|ban nao|so nao|nganh nao)\b"),
    ("number", r"\b(bao nhieu|may|ty le|ti le|phan tram|so luong|bao lau|muc nao|con so)\b"),
    ("where", r"\b(o dau|tai dau|dia diem nao|noi nao)\b"),
    ("yesno", r"\b(co\b.*\bkhong|phai khong|chua)\s*\??\s*$"),
    ("tasks", r"\b(nhiem vu|giai phap|bien phap|yeu cau|de nghi|kien nghi|phuong huong|muc tieu|chi tieu|"
              r"chi dao|lam gi|can lam)\b"),
    ("list", r"\b(nhung|cac)\b.*\b(gi|nao)\b|\b(ke ten|liet ke|gom nhung)\b"),
]
_KIND_RES = [(kind, re.compile(p)) for kind, p in _KINDS]
_SHARE = re.compile(r"\b(ty le|ti le|phan tram)\b")
_ORG = re.compile(r"\b(co quan nao|don vi nao|to chuc nao|ban nao|so nao|nganh nao)\b")
_ACROSS = re.compile(r"\b(cac|nhung|moi) (dia phuong|tinh|thanh pho|huyen|noi|don vi)\b|\bso voi\b|"
                     r"\b(dia phuong|tinh|noi) nao\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_UNIT = re.compile(r"\b(?:bao nhieu|may)\s+(\w+(?:\s\w+)?)")  # "bao nhiêu hội nghị" -> "hoi nghi"

# The answer type each kind expects.
EXPECTS = {"why": "reason", "when": "date", "who": "person", "number": "number", "where": "place",
           "yesno": "statement", "tasks": "list", "list": "list", "what": "statement"}


@dataclass
class Question:
    text: str
    accented: bool
    terms: set[str]
    pairs: set[str]
    places: set[str]  # folded place names, old and new
    years: set[str]
    kind: str
    expects: str  # person, organisation, date, number, share, place, reason, list, statement
    across: bool  # asks what several documents (localities) did
    unit: str = ""  # what a number asked for counts, folded ("hoi nghi", "lop")

    @classmethod
    def read(cls, text: str) -> Question:
        q_fold = fold(text)
        kind = next((k for k, pattern in _KIND_RES if pattern.search(q_fold)), "what")
        expects = EXPECTS[kind]
        if kind == "who" and _ORG.search(q_fold):
            expects = "organisation"
        if kind == "number" and _SHARE.search(q_fold):
            expects = "share"
        places = places_in_query(text)
        accented = has_diacritics(text)
        unit = _UNIT.search(q_fold)
        return cls(text, accented, terms(text, accented), pairs(text, accented), places,
                   set(_YEAR.findall(text)), kind, expects, bool(_ACROSS.search(q_fold)) and len(places) != 1,
                   unit.group(1) if unit else "")

    @property
    def wants_list(self) -> bool:
        return self.expects == "list" or self.across
