"""What a question asks, read once per request and handed to retrieval and answering:
the text as typed, as corrected or restored against the corpus, its kind and the
answer type it expects, its content terms, the places (old or new names) and years it
names, and whether it asks across documents. Read from the question words of
Vietnamese, typed with or without accents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from retrieval.kinds import Expects, Kind
from retrieval.spans import syllables
from vietnamese.normalize import fold, has_diacritics, match_key, nfc, strip_invisible
from vietnamese.places import places_in_query
from vietnamese.vocabulary import CLASSIFIERS, FALSE_FRIENDS, NOT_COUNTED

# The kinds, first match wins: each with its question words (a pattern on the accent-free,
# lower-cased question) and the answer type it expects.
KINDS: list[tuple[Kind, str, Expects]] = [
    # Requests answered by a strategy of their own (retrieval/strategies/), not a lookup.
    (
        Kind.SUMMARY,
        r"\b(tom tat|tom luoc|tom lai|noi dung chinh|y chinh|khai quat|noi dung co ban|diem chinh)\b|"
        r"\bnoi (nhung )?gi\s*\??\s*$",
        Expects.STATEMENT,
    ),
    (
        Kind.COMPARE,
        r"\b(so sanh|doi chieu|khac nhau|giong nhau|chenh lech)\b|"
        r"\b(noi nao|dia phuong nao|tinh nao)\b[^?]*\b(hon|nhat)\b",
        Expects.NUMBER,
    ),
    (
        Kind.INVENTORY,
        r"\b(nhung|cac|bao nhieu|may|liet ke|ke ten)( cac)? (van ban|tai lieu)\b|\b(van ban|tai lieu) nao\b",
        Expects.DOCUMENT,
    ),
    (Kind.WHY, r"\b(vi sao|tai sao|ly do|nguyen nhan|do dau|vi ly do gi)\b", Expects.REASON),
    (
        Kind.WHEN,
        r"\b(khi nao|ngay nao|nam nao|thang nao|luc nao|bao gio|thoi gian nao|thoi diem nao|"
        r"dien ra ngay|ngay bao nhieu|vao ngay)\b",
        Expects.DATE,
    ),
    (
        Kind.DOCUMENT,
        r"\b(cong van|van ban|quyet dinh|nghi quyet|ke hoach|thong tu|bao cao|chuong trinh) "
        r"(nao|so may|so bao nhieu|so nao|so gi)\b|\b(so hieu|ky hieu)\b|"
        r"\b(cong van|van ban|quyet dinh|nghi quyet|ke hoach|thong tu|bao cao|chuong trinh)\b.*"
        r"(?<!tong )\bso (may|bao nhieu|nao|gi)\s*\??\s*$",
        Expects.DOCUMENT,
    ),
    (
        Kind.AUTHOR,
        r"\b(ai|nguoi nao) (viet|ky|dua tin|dang tin|chup anh)\b(?! ket)|\b(tac gia|phong vien|but danh|nguoi viet)\b",
        Expects.AUTHOR,
    ),
    (Kind.NUMBER, r"\b(bao nhieu|may|ty le|ti le|phan tram|so luong|bao lau|muc nao|con so)\b", Expects.NUMBER),
    (
        Kind.WHO,
        r"(^|\s)(ai|nguoi nao|co quan nao|don vi nao|to chuc nao|ong nao|ba nao|dong chi nao|"
        r"do ai|la ai|ban nao|so nao|nganh nao|bo nao|phong nao|cap nao)\b",
        Expects.PERSON,
    ),
    (Kind.WHERE, r"\b(o dau|tai dau|dia diem nao|noi nao)\b", Expects.PLACE),
    (Kind.YESNO, r"\b(co\b.*\bkhong|phai khong|chua)\s*\??\s*$", Expects.STATEMENT),
    (
        Kind.LIMITS,
        r"\b(mat yeu kem|mat han che|yeu kem|han che|ton tai|bat cap|khuyet diem|diem yeu|thieu sot|"
        r"kho khan|vuong mac|mat yeu|chua tot|chua lam duoc)\b",
        Expects.LIST,
    ),
    (
        Kind.TASKS,
        r"\b(nhiem vu|giai phap|bien phap|yeu cau|de nghi|kien nghi|de xuat|phuong huong|muc tieu|"
        r"chi tieu|chi dao|phai lam gi|can lam gi|can lam|giao)\b",
        Expects.LIST,
    ),
    (Kind.LIST, r"\b(nhung|cac)\b.*\b(gi|nao)\b|\b(ke ten|liet ke|gom nhung)\b", Expects.LIST),
]
KIND_PATTERNS = [(kind, re.compile(p), expects) for kind, p, expects in KINDS]
# The words each pattern is made of: only these count as asking words ("có … không"
# spans the whole question, its middle is content).
KIND_WORDS = {kind: set(re.findall(r"[a-z]+", p)) - {"b", "s"} for kind, p, _ in KINDS}
# (kind, pattern, narrower type): a question of that kind whose words match expects the
# narrower type. `accented`: the pattern reads the question with its accents when it has
# them ("đăng" is not "Đảng"), else the folded question.
NARROWER: list[tuple[Kind, re.Pattern, bool, Expects]] = [
    (
        Kind.WHO,
        re.compile(r"\b(co quan nao|don vi nao|to chuc nao|ban nao|so nao|nganh nao|bo nao|phong nao|cap nao)\b"),
        False,
        Expects.ORGANISATION,
    ),
    (Kind.NUMBER, re.compile(r"\b(ty le|ti le|phan tram)\b"), False, Expects.SHARE),
    (
        Kind.WHEN,  # "được đăng ngày nào", "ngày đăng tin": when an article was posted
        re.compile(
            r"(?<!\w)(?:được đăng|đăng tải|đăng tin|đăng bài|ngày đăng|đăng (?:vào |lúc )?(?:ngày|khi|lúc) nào)(?!\w)|"
            r"\b(?:duoc dang|dang tai|dang tin|dang bai|ngay dang|dang (?:vao |luc )?(?:ngay|khi|luc) nao)\b"
        ),
        True,
        Expects.POSTED,
    ),
    (Kind.AUTHOR, re.compile(r"\b(chup anh|chup hinh|anh cua ai|tac gia (?:buc )?anh)\b"), False, Expects.PHOTO),
]
ACROSS = re.compile(
    r"\b(cac|nhung|moi) (dia phuong|tinh|thanh pho|huyen|noi|don vi)\b|\bso voi\b|\b(dia phuong|tinh|noi) nao\b"
)
PLURAL = re.compile(r"\b(nhung|cac|nhiem vu|giai phap|bien phap|mat yeu kem|mat han che|ton tai)\b")
MAX_QUESTION_CHARS = 2000  # a question, not a pasted document
PLURAL_WHICH = re.compile(r"\bnhung\b(?:\s+\w+){1,3}\s+(nao|gi)\b")  # "những tỷ lệ nào"
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# "Bộ luật Hình sự năm 2017", "Luật Trẻ em 2016" name a law ("pháp luật", "kỷ luật" do not).
NAMED_YEAR = re.compile(
    r"(?:(?<![\w ])|(?<=^))(?:Luật|Luat)(?!\w)[^?.,;]{0,40}?\b((?:19|20)\d\d)\b|"
    r"(?<!\w)[Bb](?:ộ|o) (?:luật|luat)(?!\w)[^?.,;]{0,40}?\b((?:19|20)\d\d)\b"
)
# "bao nhiêu hội nghị" -> "hoi nghi"; a classifier is skipped ("bao nhiêu chiếc xe đạp" -> "xe dap").
_CLASSIFIER = "|".join(fold(w) for w in CLASSIFIERS)
UNIT = re.compile(rf"\b(?:bao nhieu|may)\s+(?:(?:{_CLASSIFIER})\s+)?(\w+(?:\s\w+)?)")
UNIT_KEY = re.compile(rf"(?<!\w)(?:bao nhiêu|mấy)\s+(?:(?:{'|'.join(CLASSIFIERS)})\s+)?(\w+(?:\s\w+)?)")
NOT_UNIT = {fold(w) for w in NOT_COUNTED}
WHICH = re.compile(r"(?:\w+ )?\w+(?= nao\b)")
DAY = re.compile(r"\bngay (nao|bao nhieu|may)\b")
DEPUTY_ASKED = re.compile(r"(?<!thanh )\bpho\b")  # "pho chu tich", not "thanh pho"
NUMBERED = re.compile(r"\bso (may|bao nhieu|nao|gi)\b|\b(so hieu|ky hieu)\b")


class Restorer(Protocol):
    """The corpus's reading of a question: tone marks corrected, diacritics restored."""

    def correct(self, text: str) -> str: ...

    def restore(self, text: str) -> str: ...


def clean(text: str) -> str:
    """NFC, no invisible characters, single spaces."""
    return " ".join(strip_invisible(nfc(text)).split())


@dataclass
class Question:
    typed: str  # as asked (cleaned)
    text: str  # as read: tone marks corrected when typed with accents, else as typed
    restored: str  # with diacritics restored when typed without them (what retrieval searches)
    accented: bool
    terms: set[str]
    pairs: set[str]
    places: set[str]  # folded place names, old and new
    years: set[str]
    kind: Kind
    expects: Expects
    across: bool  # asks what several documents (localities) did
    unit: str = ""  # what a number asked for counts, folded ("hoi nghi", "lop")
    unit_key: str = ""  # the same with its accents, when the question has them ("hội nghị")
    asking: frozenset[str] = frozenset()  # folded words that only name the kind ("nhiem vu", "ai", "han che")
    which: frozenset[str] = frozenset()  # "thuộc nhóm nào", "giai đoạn nào": folded, often not in the answer

    @classmethod
    def read(cls, text: str, restorer: Restorer | None = None) -> Question:
        """Read a question once: cleaned, corrected or restored against the corpus (when a
        restorer is given), places searched in every spelling at once."""
        return cls.of(clean(text), restorer)

    @classmethod
    def of(cls, typed: str, restorer: Restorer | None = None) -> Question:
        """`read` for a text already cleaned (`clean`)."""
        accented = has_diacritics(typed)
        read_as = restored = typed
        if restorer is not None and accented:
            read_as = restored = restorer.correct(typed)  # "xã hôi" -> "xã hội"
        elif restorer is not None:
            restored = restorer.restore(typed)  # "bim son" -> "bỉm sơn"
        return cls.parse(typed, read_as, restored, places_in_query(*dict.fromkeys((typed, read_as, restored))))

    @classmethod
    def parse(cls, typed: str, text: str, restored: str, places: set[str]) -> Question:
        accented = has_diacritics(text)
        keyed = match_key(text) if accented else text
        q_fold = fold(" ".join("_" if accented and match_key(w) in FALSE_FRIENDS else w for w in text.split()))
        kind, pattern, expects = next(
            ((k, p, e) for k, p, e in KIND_PATTERNS if p.search(q_fold)), (Kind.WHAT, None, Expects.STATEMENT)
        )
        for narrowed_kind, words, with_accents, narrower in NARROWER:
            if kind == narrowed_kind and words.search(keyed if accented and with_accents else q_fold):
                expects = narrower
        across = bool(ACROSS.search(q_fold)) and len(places) != 1
        if across and expects == Expects.PLACE:
            expects = Expects.LIST  # "những nơi nào…": each document's own locality answers
        unit_match = UNIT.search(q_fold)
        unit = unit_match.group(1) if unit_match and unit_match.group(1).split()[0] not in NOT_UNIT else ""
        unit_key = UNIT_KEY.search(keyed) if unit and accented else None
        which = frozenset(w for m in WHICH.finditer(q_fold) for w in m.group().split())
        syl = syllables(text, accented)
        return cls(
            typed,
            text,
            restored,
            accented,
            set(syl),
            {f"{a} {b}" for a, b in zip(syl, syl[1:])},
            places,
            set(YEAR.findall(text)),
            kind,
            expects,
            across,
            unit,
            unit_key.group(1) if unit_key else "",
            asking_words(q_fold, kind, pattern, across),
            which if kind in (Kind.WHAT, Kind.LIST) else frozenset(),
        )

    @property
    def kind_words(self) -> set[str]:
        """The folded words that can ask for this kind ("kien", "nghi", "han", "che", …)."""
        return KIND_WORDS.get(self.kind, set())

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

    @cached_property
    def keyed(self) -> str:
        return match_key(self.text)

    @cached_property
    def asks_deputy(self) -> bool:
        """ "Phó Chủ tịch…" is asked (not "thành phố")."""
        return "phó" in self.keyed.split() if self.accented else bool(DEPUTY_ASKED.search(self.folded))

    @cached_property
    def named(self) -> frozenset[str]:
        """The question's own folded words ("141/BC-UBND" as "141", "bc", "ubnd"): a title,
        a body or a number among them does not answer it."""
        return frozenset(self.folded.replace("/", " ").replace("-", " ").split())

    @cached_property
    def numbers(self) -> frozenset[str]:
        return frozenset(re.findall(r"\d+", self.text))

    @property
    def day(self) -> bool:
        """ "vào ngày nào", "ngày bao nhiêu": a day is asked, not a year."""
        return self.kind == Kind.WHEN and bool(DAY.search(self.folded))

    @property
    def numbered(self) -> bool:
        """ "Kế hoạch số mấy", "số hiệu": a document's number is asked, not its name."""
        return self.expects == Expects.DOCUMENT and bool(NUMBERED.search(self.folded))

    @property
    def periods(self) -> set[str]:
        """The years the question asks about, not those in a law's name."""
        return self.years - {y for pair in NAMED_YEAR.findall(self.text) for y in pair if y}

    @property
    def wants_list(self) -> bool:
        """A list is asked: "những…", "các…", tasks and shortcomings in the plural."""
        if self.kind in (Kind.TASKS, Kind.LIMITS):
            return self.across or bool(PLURAL.search(self.folded))
        if self.kind == Kind.WHY:  # "Nguyên nhân của những hạn chế…": causes in the plural
            return self.across or bool(re.search(r"\b(nhung|cac)\b", self.folded))
        if self.kind == Kind.NUMBER:  # "đạt những tỷ lệ nào": every figure of a list
            return self.across or bool(PLURAL_WHICH.search(self.folded))
        return self.expects == Expects.LIST or self.across


def asking_words(q_fold: str, kind: Kind, pattern: re.Pattern | None, across: bool) -> frozenset[str]:
    """The words of the question that only say what is asked: its kind's question words
    and, across documents, "các địa phương", "những tỉnh"."""
    matches = pattern.finditer(q_fold) if pattern else []
    words = {w for m in matches for w in m.group().split() if w in KIND_WORDS[kind]}
    if across:
        words |= {w for m in ACROSS.finditer(q_fold) for w in m.group().split()}
    return frozenset(words)
