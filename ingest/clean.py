"""Clean extracted text: NFC, tidy white space, drop web boilerplate.

The result is the document's canonical text: chunks carry offsets into it,
citations quote it and the UI shows it.
"""

from __future__ import annotations

import re
from collections import Counter

from vietnamese.normalize import fold, nfc, strip_invisible

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PAGE_BREAK = "\f"  # between the pages of a paged source; kept by cleaning
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BOLD = re.compile(r"\*{2,}")

# Whole lines that are web furniture, compared accent- and case-insensitively.
_BOILERPLATE = [
    re.compile(p)
    for p in (
        r"rate this post",
        r"leave a (reply|comment)",
        r"your email address will not be published.*",
        r"required fields are marked.*",
        r"save my name, email.*",
        r"post comment|share this:?|like this:?|related posts?:?",
        r"object reference not set to an instance of an object\.?",
        r"(so )?luot truy cap\s*:?\s*[\d.,]*",
        r"luot xem\s*:?\s*[\d.,]*",
        r"(so )?nguoi (dang )?truc tuyen\s*:?\s*[\d.,]*",
        r"y kien doc gia|gui y kien|binh luan|gui binh luan",
        r"lien ket (banner|web(site)?)",
        r"video clip|thu vien anh|thu vien video",
        r"tham do y kien",
        r"ban danh gia nhu the nao .*",
        r"gui binh chon.*|xem ket qua",
        r"anh minh hoa\.?",
        r"chia se( bai viet)?:?|in bai( viet)?|gui bai viet|quay lai|len dau trang|tro ve",
    )
]
# Comment-form labels: dropped only in runs of three or more.
_FORM_LABEL = re.compile(
    r"(ten|ho (va )?ten|email|tieu de|noi dung|ma (code|xac nhan)|dien thoai|website|name|comment)\s*\*?\s*:?"
)
_NAV_WORDS = [
    "trang chu",
    "gioi thieu",
    "lien he",
    "van phong dien tu",
    "thong ke",
    "tin tuc",
    "su kien",
    "so do (trang|site)",
    "dang nhap",
    "dang ky",
    "tim kiem",
    "hoi dap",
    "van ban",
    "thu vien",
    "english",
    "home",
]
_NAV_RE = re.compile(r"\b(" + "|".join(_NAV_WORDS) + r")\b")


def _is_boilerplate(key: str) -> bool:
    return any(p.fullmatch(key) for p in _BOILERPLATE)


def _is_nav(key: str) -> bool:
    hits = _NAV_RE.findall(key)
    if not hits:
        return False
    rest = _NAV_RE.sub(" ", key).split()
    return (len(hits) >= 2 and len(rest) <= 2) or not rest


def _is_banner(line: str) -> bool:
    """A marquee of slogans: long, several ' - ' separated parts, mostly capitals."""
    parts = [p for p in re.split(r"\s*-\s*(?=\S)", line) if len(p) > 10]
    letters = [c for c in line if c.isalpha()]
    if len(line) < 150 or len(parts) < 3 or not letters:
        return False
    upper_parts = sum(1 for p in parts if sum(c.isupper() for c in p) > 0.6 * sum(c.isalpha() for c in p))
    return upper_parts >= 2


def clean_text(text: str) -> str:
    """The canonical text; the pages of a paged source stay apart, joined by "\\n\\f",
    without the header and footer lines that repeat on most of them."""
    pages = [_clean_page(page) for page in text.split(PAGE_BREAK)]
    if len(pages) >= 3:
        pages = _drop_running_lines(pages)
    return ("\n" + PAGE_BREAK).join(pages).strip(" \n")


def _drop_running_lines(pages: list[str]) -> list[str]:
    """Drop the first and last two lines of a page when (digits aside) the same line
    stands there on at least half of the pages: running headers, footers, page numbers."""

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", fold(line))

    split = [page.split("\n") for page in pages]
    edges = [
        {i for i in (0, 1, len(lines) - 2, len(lines) - 1) if 0 <= i < len(lines) and 0 < len(lines[i].strip()) <= 100}
        for lines in split
    ]
    counts = Counter(k for lines, idx in zip(split, edges) for k in {key(lines[i]) for i in idx})
    running = {k for k, n in counts.items() if n >= max(3, len(pages) / 2)}
    out = []
    for page, lines, idx in zip(pages, split, edges):
        kept = "\n".join(line for i, line in enumerate(lines) if not (i in idx and key(line) in running)).strip("\n")
        out.append(kept if kept.strip() else page)  # a page of nothing but such lines is its own text
    return out


def _clean_page(text: str) -> str:
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    text = strip_invisible(_CONTROL.sub("", text))
    text = _BOLD.sub("", re.sub(r"(?m)^\*\*\*(?=\s*\S)", "* ", text))  # "*** Khó khăn**"
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    keep = [True] * len(lines)
    for i, line in enumerate(lines):
        key = fold(line)
        if not line:
            continue
        if _is_boilerplate(key) or _is_nav(key) or (i < 8 and _is_banner(line)):
            keep[i] = False
    _drop_form_runs(lines, keep)
    kept = [line if k else None for line, k in zip(lines, keep)]
    out = [line for line in kept if line is not None]
    while out and (not out[-1] or out[-1].isdigit()):  # trailing visit counters
        out.pop()
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _drop_form_runs(lines: list[str], keep: list[bool]) -> None:
    run: list[int] = []
    for i, line in enumerate(lines + [None]):
        if line is not None and (not line or _FORM_LABEL.fullmatch(fold(line))):
            run.append(i)
            continue
        labels = [j for j in run if lines[j]]
        if len(labels) >= 3:
            for j in labels:
                keep[j] = False
        run = []
