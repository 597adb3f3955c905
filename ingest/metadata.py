"""Document metadata from cleaned text: title, date, locality, issuing body, type,
number and the directives/plans it cites. A sidecar `<file>.meta.json` overrides any field."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, fields
from datetime import date
from pathlib import Path

from errors import BadInputFile
from index.records import DocMeta
from vietnamese.normalize import fold
from vietnamese.places import capitalised, locate
from vietnamese.vocabulary import DOCUMENT_TYPES

_CODES = DOCUMENT_TYPES  # number code -> type
_TYPES = {fold(name): name for name in DOCUMENT_TYPES.values()}  # heading word (folded) -> type
_PARTY_ISSUERS = {"TW", "TƯ", "TU", "HU", "QU", "ĐU", "TVTU", "BTGTU", "BTGTW", "BDVTU"}
_REF = re.compile(
    r"(?<![\w/])(\d{1,5})\s*([-/])\s*([A-ZĐ][A-Za-zĐđƯư]{0,9})\s*([-/])\s*([A-ZĐƯ]{1,10}(?:\s*-\s*[A-ZĐƯ]{1,10})*)(?![\w])"
)
_NUMBER = re.compile(r"Số\s*:?\s*(\d{1,5})\s*/\s*([A-ZĐ][A-Za-zĐđ]{0,9}(?:-[A-ZĐ]{1,10})+)")
_DMY = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)(?!\d)")
_VN_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d\d)", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_ISSUER = re.compile(
    r"(Ban Thường vụ |Ban Chấp hành |Văn phòng )?(Thành ủy|Tỉnh ủy|Thị ủy|Huyện ủy|Quận ủy|Tỉnh Đoàn|"
    r"Thành Đoàn|UBND|Ủy ban nhân dân|HĐND|Hội đồng nhân dân|Sở [A-ZĐ][\w]*(?: [\w]+){0,4})"
    r"( (?:tỉnh|thành phố|TP\.|thị xã|huyện|quận))?((?: [A-ZĐÀ-Ỹ][\wÀ-ỹ]*){0,3})"
)


def normalize_reference(number: str, sep1: str, code: str, sep2: str, issuer: str) -> str:
    """`144-KH / TU` -> `144-KH/TU`; `20/CT-TW` -> `20-CT/TW` (Party style);
    `2153/KH-UBND` stays in the state style."""
    issuer = re.sub(r"\s+", "", issuer).replace("TƯ", "TW")
    code = code.strip()
    first = issuer.split("-")[0]
    if first in _PARTY_ISSUERS and code in _CODES:
        return f"{number}-{code}/{issuer}"
    if code in _PARTY_ISSUERS and sep1 == "-" and issuer.split("-")[0] in _CODES:
        return f"{number}-{issuer}/{code}"
    return f"{number}/{code}-{issuer}"


def find_references(text: str) -> list[str]:
    refs = []
    for m in _REF.finditer(text):
        ref = normalize_reference(*m.groups())
        if ref not in refs:
            refs.append(ref)
    return refs


def _iso(d: str, m: str, y: str) -> str:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return ""


def _head_lines(text: str, n: int) -> list[str]:
    return [line for line in text.splitlines() if line.strip()][:n]


def _find_date(text: str) -> str:
    head = _head_lines(text, 15)
    for line in head:
        m = _VN_DATE.search(line)
        if m:
            return _iso(*m.groups())
    for line in head[:5]:
        m = _DMY.search(line)
        if m:
            return _iso(*m.groups())
    return ""


def _official_heading(text: str) -> tuple[int, str] | None:
    for i, line in enumerate(_head_lines(text, 15)):
        key = fold(line).strip(" .:")
        if key in _TYPES and line.isupper():
            return i, _TYPES[key]
    return None


# The head of an official page, above its title: agency and motto lines, the number, the
# place and date, a page number. A scan's first line is one of these, not its title.
_PAGE_HEAD = re.compile(
    r"^(?:(?:ỦY BAN|UBND|HĐND|HỘI ĐỒNG|TỈNH ỦY|THÀNH ỦY|HUYỆN ỦY|THỊ ỦY|QUẬN ỦY|ĐẢNG ỦY|ĐẢNG BỘ|BAN |SỞ |"
    r"PHÒNG |ĐOÀN |HỘI |MẶT TRẬN|BỘ |CHI BỘ|TRƯỜNG |TRUNG TÂM )[^a-zà-ỹđ]*$|CỘNG H[OÒ]A XÃ HỘI CHỦ NGHĨA|"
    r"Độc lập\s*[-–]\s*Tự do|Số\s*:|.{0,40},\s*ngày\s+\d|(?:Trang|trang)\s+\d+\s*$|[-–\s\d/]+$)"
)


def _title(text: str) -> str:
    lines = _head_lines(text, 20)
    heading = _official_heading(text)
    if heading:
        i, doc_type = heading
        paragraphs = text.split(lines[i], 1)[1].strip().split("\n\n")
        subject = " ".join(paragraphs[0].split()) if paragraphs else ""
        return f"{doc_type.capitalize()} {subject[:1].lower()}{subject[1:]}".strip()
    for line in lines:
        if len(line) >= 15 and not _DMY.search(line[:25]) and not _PAGE_HEAD.match(line.strip()):
            return line.strip()
    return lines[0].strip() if lines else ""


def _issuer(text: str, locality: str) -> str:
    lines = _head_lines(text, 4)
    if (
        lines
        and lines[0].isupper()
        and "NHÂN DÂN" in lines[0]
        or (lines and lines[0].startswith(("TỈNH ỦY", "THÀNH ỦY")))
    ):
        raw = (
            " ".join(lines[:2]) if len(lines) > 1 and lines[1].isupper() and not lines[1].startswith("SỐ") else lines[0]
        )
        issuer = raw.capitalize()
        if locality and fold(locality) in fold(issuer):
            start = fold(issuer).index(fold(locality))
            issuer = issuer[:start] + locality + issuer[start + len(locality) :]
        return issuer
    for m in _ISSUER.finditer(" ".join(text.split("\n\n")[:4])):
        body = "".join(g or "" for g in m.groups()[:2]).strip()
        place = " ".join(capitalised(m.group(4) or ""))
        if not place and locality:
            return f"{body} {locality}"
        return f"{body}{m.group(3) or ''} {place}".strip()
    return ""


def extract_metadata(text: str, file_name: str = "") -> DocMeta:
    loc = locate(text)
    number_match = _NUMBER.search("\n".join(_head_lines(text, 15)))
    number = f"{number_match.group(1)}/{number_match.group(2)}" if number_match else ""
    heading = _official_heading(text)
    if heading:
        doc_type = heading[1]
    elif number:
        doc_type = _CODES.get(number.split("/")[1].split("-")[0], "văn bản")
    else:
        doc_type = "tin bài"
    found_date = _find_date(text)
    years = [int(y) for y in _YEAR.findall(text) if int(y) <= date.today().year]
    year = int(found_date[:4]) if found_date else (max(years) if years else 0)
    cites = [r for r in find_references(text) if r != number]
    return DocMeta(
        title=_title(text) or file_name,
        date=found_date,
        year=year,
        locality=loc.name,
        locality_level=loc.level,
        province=loc.province,
        province_new=loc.province_new,
        locality_variants="; ".join(loc.variants),
        issuer=_issuer(text, loc.name),
        doc_type=doc_type,
        number=number,
        cites="; ".join(cites),
    )


def apply_sidecar(meta: DocMeta, sidecar: Path) -> DocMeta:
    """Fields in `<file>.meta.json` replace the extracted ones."""
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BadInputFile(f"Tệp siêu dữ liệu {sidecar.name} không hợp lệ: {e}") from e
    if not isinstance(data, dict):
        raise BadInputFile(f"Tệp siêu dữ liệu {sidecar.name} phải là một đối tượng JSON.")
    known = {f.name: f.type for f in fields(DocMeta)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise BadInputFile(f"Tệp siêu dữ liệu {sidecar.name} có trường không biết: {', '.join(unknown)}.")
    if data.get("classification") not in (None, "", "Mật", "Tối mật", "Tuyệt mật"):
        raise BadInputFile(f"Tệp siêu dữ liệu {sidecar.name}: classification phải là Mật, Tối mật hoặc Tuyệt mật.")
    if data.get("visibility") not in (None, "", "unit", "below", "all"):
        raise BadInputFile(f"Tệp siêu dữ liệu {sidecar.name}: visibility phải là unit, below hoặc all.")
    merged = asdict(meta)
    for key, value in data.items():
        if isinstance(value, list):
            value = "; ".join(map(str, value))
        merged[key] = int(value or 0) if key == "year" else ("" if value is None else str(value))
    if data.get("date") and "year" not in data:
        merged["year"] = int(str(data["date"])[:4])
    return DocMeta(**merged)
