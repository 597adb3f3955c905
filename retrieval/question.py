"""What a question asks: its kind, the answer type it expects, its content terms,
the places (old or new names) and years it names, and whether it asks across
documents. Read from the question words of Vietnamese, typed with or without accents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from retrieval.spans import pairs, terms
from vietnamese.normalize import fold, has_diacritics, match_key
from vietnamese.places import places_in_query

# (kind, pattern on the accent-free, lower-cased question), first match wins.
_KINDS = [
    ("why", r"\b(vi sao|tai sao|ly do|nguyen nhan|do dau|vi ly do gi)\b"),
    (
        "when",
        r"\b(khi nao|ngay nao|nam nao|thang nao|luc nao|bao gio|thoi gian nao|thoi diem nao|"
        r"dien ra ngay|ngay bao nhieu|vao ngay)\b",
    ),
    (
        "document",
        r"\b(cong van|van ban|quyet dinh|nghi quyet|ke hoach|thong tu|bao cao|chuong trinh) "
        r"(nao|so may|so bao nhieu|so nao|so gi)\b|\b(so hieu|ky hieu)\b|"
        r"\b(cong van|van ban|quyet dinh|nghi quyet|ke hoach|thong tu|bao cao|chuong trinh)\b.*"
        r"(?<!tong )\bso (may|bao nhieu|nao|gi)\s*\??\s*$",
    ),
    (
        "author",
        r"\b(ai|nguoi nao) (viet|ky|dua tin|dang tin|chup anh)\b(?! ket)|"
        r"\b(tac gia|phong vien|but danh|nguoi viet)\b",
    ),
    ("number", r"\b(bao nhieu|may|ty le|ti le|phan tram|so luong|bao lau|muc nao|con so)\b"),
    (
        "who",
        r"(^|\s)(ai|nguoi nao|co quan nao|don vi nao|to chuc nao|ong nao|ba nao|dong chi nao|"
        r"do ai|la ai|ban nao|so nao|nganh nao|bo nao|phong nao|cap nao)\b",
    ),
    ("where", r"\b(o dau|tai dau|dia diem nao|noi nao)\b"),
    ("yesno", r"\b(co\b.*\bkhong|phai khong|chua)\s*\??\s*$"),
    (
        "limits",
        r"\b(mat yeu kem|mat han che|yeu kem|han che|ton tai|bat cap|khuyet diem|diem yeu|thieu sot|"
        r"kho khan|vuong mac|mat yeu|chua tot|chua lam duoc)\b",
    ),
    (
        "tasks",
        r"\b(nhiem vu|giai phap|bien phap|yeu cau|de nghi|kien nghi|de xuat|phuong huong|muc tieu|"
        r"chi tieu|chi dao|phai lam gi|can lam gi|can lam|giao)\b",
    ),
    ("list", r"\b(nhung|cac)\b.*\b(gi|nao)\b|\b(ke ten|liet ke|gom nhung)\b"),
]
_KIND_RES = [(kind, re.compile(p)) for kind, p in _KINDS]
# The words each pattern is made of: only these count as asking words ("có … không"
# spans the whole question, its middle is content).
_LITERALS = {kind: set(re.findall(r"[a-z]+", p)) - {"b", "s"} for kind, p in _KINDS}
# Accented words whose accent-free form is a question word: "máy" (machine) is not
# "mấy" (how many), "giáo" (education) is not "giao" (assign).
_FALSE_FRIENDS = {"máy", "giáo"}
_SHARE = re.compile(r"\b(ty le|ti le|phan tram)\b")
_ORG = re.compile(r"\b(co quan nao|don vi nao|to chuc nao|ban nao|so nao|nganh nao|bo nao|phong nao|cap nao)\b")
_ACROSS = re.compile(
    r"\b(cac|nhung|moi) (dia phuong|tinh|thanh pho|huyen|noi|don vi)\b|\bso voi\b|"
    r"\b(dia phuong|tinh|noi) nao\b"
)
_PLURAL = re.compile(r"\b(nhung|cac|nhiem vu|giai phap|bien phap|mat yeu kem|mat han che|ton tai)\b")
# "được đăng ngày nào", "ngày đăng tin": when an article was posted (accented, "đăng" is
# not "Đảng").
_POSTED = re.compile(
    r"(?<!\w)(?:được đăng|đăng tải|đăng tin|đăng bài|ngày đăng|đăng (?:vào |lúc )?(?:ngày|khi|lúc) nào)(?!\w)|"
    r"\b(?:duoc dang|dang tai|dang tin|dang bai|ngay dang|dang (?:vao |luc )?(?:ngay|khi|luc) nao)\b"
)
_PHOTO = re.compile(r"\b(chup anh|chup hinh|anh cua ai|tac gia (?:buc )?anh)\b")  # who took the photograph
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# "Bộ luật Hình sự năm 2017", "Luật Trẻ em 2016" name a law ("pháp luật", "kỷ luật" do not).
_NAMED_YEAR = re.compile(
    r"(?:(?<![\w ])|(?<=^))(?:Luật|Luat)(?!\w)[^?.,;]{0,40}?\b((?:19|20)\d\d)\b|"
    r"(?<!\w)[Bb](?:ộ|o) (?:luật|luat)(?!\w)[^?.,;]{0,40}?\b((?:19|20)\d\d)\b"
)
# "bao nhiêu hội nghị" -> "hoi nghi"; a classifier is skipped ("bao nhiêu chiếc xe đạp" -> "xe dap").
_UNIT = re.compile(r"\b(?:bao nhieu|may)\s+(?:(?:chiec|cai|tam|cuon|quyen|buc|ngoi|can)\s+)?(\w+(?:\s\w+)?)")
_UNIT_KEY = re.compile(r"(?<!\w)(?:bao nhiêu|mấy)\s+(?:(?:chiếc|cái|tấm|cuốn|quyển|bức|ngôi|căn)\s+)?(\w+(?:\s\w+)?)")
# Words after "bao nhiêu" that are not what is counted ("bao nhiêu trở lên", "bao nhiêu trong trường hợp…").
_NOT_UNIT = {
    "tro",
    "thi",
    "den",
    "nua",
    "la",
    "ma",
    "khi",
    "neu",
    "trong",
    "cho",
    "ve",
    "voi",
    "tu",
    "o",
    "va",
    "hay",
    "hoac",
    "de",
    "duoc",
    "vao",
    "tai",
    "sau",
    "truoc",
    "cua",
}


def _asking_words(q_fold: str, kind: str, pattern: re.Pattern | None, across: bool) -> frozenset[str]:
    """The words of the question that only say what is asked: its kind's question words
    and, across documents, "các địa phương", "những tỉnh"."""
    matches = pattern.finditer(q_fold) if pattern else []
    words = {w for m in matches for w in m.group().split() if w in _LITERALS[kind]}
    if across:
        words |= {w for m in _ACROSS.finditer(q_fold) for w in m.group().split()}
    return frozenset(words)


_WHICH = re.compile(r"(?:\w+ )?\w+(?= nao\b)")


# The answer type each kind expects.
EXPECTS = {
    "why": "reason",
    "when": "date",
    "who": "person",
    "number": "number",
    "where": "place",
    "yesno": "statement",
    "document": "document",
    "author": "author",
    "limits": "list",
    "tasks": "list",
    "list": "list",
    "what": "statement",
}


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
    unit_key: str = ""  # the same with its accents, when the question has them ("hội nghị")
    asking: frozenset[str] = frozenset()  # folded words that only name the kind ("nhiem vu", "ai", "han che")
    which: frozenset[str] = frozenset()  # "thuộc nhóm nào", "giai đoạn nào": folded, often not in the answer

    @classmethod
    def read(cls, text: str) -> Question:
        accented = has_diacritics(text)
        q_fold = fold(" ".join("_" if accented and match_key(w) in _FALSE_FRIENDS else w for w in text.split()))
        kind, pattern = next(((k, p) for k, p in _KIND_RES if p.search(q_fold)), ("what", None))
        expects = EXPECTS[kind]
        if kind == "who" and _ORG.search(q_fold):
            expects = "organisation"
        if kind == "number" and _SHARE.search(q_fold):
            expects = "share"
        if kind == "when" and _POSTED.search(match_key(text) if accented else q_fold):
            expects = "posted"
        if kind == "author" and _PHOTO.search(q_fold):
            expects = "photo"
        places = places_in_query(text)
        across = bool(_ACROSS.search(q_fold)) and len(places) != 1
        if across and expects == "place":
            expects = "list"  # "những nơi nào…": each document's own locality answers
        unit = _UNIT.search(q_fold)
        unit = unit.group(1) if unit and unit.group(1).split()[0] not in _NOT_UNIT else ""
        unit_key = _UNIT_KEY.search(match_key(text)) if unit and accented else None
        return cls(
            text,
            accented,
            terms(text, accented),
            pairs(text, accented),
            places,
            set(_YEAR.findall(text)),
            kind,
            expects,
            across,
            unit,
            unit_key.group(1) if unit_key else "",
            _asking_words(q_fold, kind, pattern, across),
            frozenset(w for m in _WHICH.finditer(q_fold) for w in m.group().split())
            if kind in ("what", "list")
            else frozenset(),
        )

    @property
    def kind_words(self) -> set[str]:
        """The folded words that can ask for this kind ("kien", "nghi", "han", "che", …)."""
        return _LITERALS.get(self.kind, set())

    @cached_property
    def named(self) -> frozenset[str]:
        """The question's own folded words ("141/BC-UBND" as "141", "bc", "ubnd"): a title,
        a body or a number among them does not answer it."""
        return frozenset(fold(self.text).replace("/", " ").replace("-", " ").split())

    @cached_property
    def numbers(self) -> frozenset[str]:
        return frozenset(re.findall(r"\d+", self.text))

    @property
    def day(self) -> bool:
        """ "vào ngày nào", "ngày bao nhiêu": a day is asked, not a year."""
        return self.kind == "when" and bool(re.search(r"\bngay (nao|bao nhieu|may)\b", fold(self.text)))

    @property
    def numbered(self) -> bool:
        """ "Kế hoạch số mấy", "số hiệu": a document's number is asked, not its name."""
        return self.expects == "document" and bool(
            re.search(r"\bso (may|bao nhieu|nao|gi)\b|\b(so hieu|ky hieu)\b", fold(self.text))
        )

    @property
    def periods(self) -> set[str]:
        """The years the question asks about, not those in a law's name."""
        return self.years - {y for pair in _NAMED_YEAR.findall(self.text) for y in pair if y}

    @property
    def wants_list(self) -> bool:
        """A list is asked: "những…", "các…", tasks and shortcomings in the plural."""
        if self.kind in ("tasks", "limits"):
            return self.across or bool(_PLURAL.search(fold(self.text)))
        return self.expects == "list" or self.across
