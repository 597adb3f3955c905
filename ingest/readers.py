"""Turn a file into raw text: .txt/.md (any Vietnamese encoding), .html, .docx, .doc,
.xlsx (each row a line of cells), .pdf and page images.

Every refusal is a `BadInputFile` whose message tells the user why, in Vietnamese.
"""

from __future__ import annotations

import codecs
import shutil
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from errors import BadInputFile
from ingest.scanned import IMAGES, read_image, read_pdf
from vietnamese.legacy import detect_and_convert, viet_score
from vietnamese.numbers import number_vi, size_vi

# Limits where input expands (decompression bombs, runaway extraction).
MAX_UNZIPPED = 100_000_000  # bytes, all members of a DOCX or XLSX together
MAX_RATIO = 100  # uncompressed / compressed, for a member above 1 MB
MAX_CHARS = 3_000_000  # extracted text of one document (about 5,000 chunks)
MAX_CELLS = 5_000_000  # cells of a workbook, declared or read (a sheet declaring A1:XFD1048576 has 17 billion)
MAX_HTML_DEPTH = 200  # nested elements; real pages stay under 60, deeper ones make parsing quadratic
SIDECAR_SUFFIX = ".meta.json"
_BLOCK_TAGS = [
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dd",
    "dt",
]
_DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "template",
]


@dataclass
class RawText:
    text: str
    encoding: str  # "utf-8", "tcvn3", "vni", "cp1258", or the container format
    fmt: str
    paged: dict = field(default_factory=dict)  # pages and OCR quality of a PDF or image (see scanned.Paged)
    lines: dict = field(default_factory=dict)  # OCR line boxes per page, for the page view
    lasting: bool = True  # False when a page was left out for time (see scanned.Paged.timed_out)


def _plain(path: Path, suffix: str, on_page) -> RawText:
    text, encoding = decode_text(path.read_bytes())
    return RawText(text, encoding, suffix[1:])


def _html(path: Path, suffix: str, on_page) -> RawText:
    text, encoding = decode_text(path.read_bytes())
    return RawText(html_to_text(text), encoding, "html")


def _docx(path: Path, suffix: str, on_page) -> RawText:
    return RawText(_docx_text(path), "docx", "docx")


def _doc(path: Path, suffix: str, on_page) -> RawText:
    return RawText(_doc_text(path, path.read_bytes()), "doc", "doc")


def _xlsx(path: Path, suffix: str, on_page) -> RawText:
    return RawText(_xlsx_text(path), "xlsx", "xlsx")


def _paged(path: Path, suffix: str, on_page) -> RawText:
    paged = read_pdf(path, on_page) if suffix == ".pdf" else read_image(path, on_page)
    return RawText(
        paged.text,
        "ocr" if paged.ocr_pages else suffix[1:],
        suffix[1:],
        paged.quality(),
        paged.lines,
        not paged.timed_out,
    )


# The reader of each file suffix: a new file type plugs in here (and nowhere else).
Reader = Callable[[Path, str, Callable[[int, int], None] | None], RawText]
READERS: dict[str, Reader] = {
    ".txt": _plain,
    ".md": _plain,
    ".html": _html,
    ".htm": _html,
    ".docx": _docx,
    ".doc": _doc,
    ".xlsx": _xlsx,
    ".pdf": _paged,
    **{suffix: _paged for suffix in IMAGES},
}
SUPPORTED = frozenset(READERS)


def read_file(path: Path, max_bytes: int, on_page=None) -> RawText:
    """`on_page(done, total)`: progress through the pages of a PDF or image."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise BadInputFile(
            f"Định dạng '{suffix or '(không có đuôi)'}' không được hỗ trợ (chỉ nhận {', '.join(sorted(SUPPORTED))})."
        )
    size = path.stat().st_size
    if size == 0:
        raise BadInputFile("Tệp rỗng (0 byte).")
    if size > max_bytes:
        raise BadInputFile(f"Tệp quá lớn: {size_vi(size)}, vượt giới hạn {size_vi(max_bytes)}.", lasting=False)
    raw = READERS[suffix](path, suffix, on_page)
    if not raw.text.strip():
        raise BadInputFile("Tệp không có nội dung văn bản.")
    if len(raw.text) > MAX_CHARS:
        raise BadInputFile(
            f"Văn bản quá dài: {number_vi(len(raw.text))} ký tự, vượt giới hạn {number_vi(MAX_CHARS)} ký tự "
            "một tài liệu; hãy tách thành nhiều tệp."
        )
    return raw


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(b < 32 and b not in (9, 10, 12, 13) for b in head)
    return controls > len(head) * 0.05


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes of a text file, converting legacy Vietnamese encodings."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = data.decode(name, errors="replace")
            converted, legacy = detect_and_convert(text)
            return unicodedata.normalize("NFC", converted), "utf-8" if legacy == "unicode" else legacy
    if _looks_binary(data):
        raise BadInputFile("Tệp nhị phân, không phải văn bản (dù có đuôi văn bản).")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        converted, legacy = detect_and_convert(text)
        return unicodedata.normalize("NFC", converted), "utf-8" if legacy == "unicode" else legacy
    candidates = []
    cp1258 = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    candidates.append((viet_score(cp1258), cp1258, "cp1258"))
    latin = data.decode("latin-1")
    converted, legacy = detect_and_convert(latin)
    if legacy != "unicode":
        candidates.append((viet_score(converted), unicodedata.normalize("NFC", converted), legacy))
    score, text, name = max(candidates, key=lambda c: c[0])
    if score <= 0 or "\ufffd" in text:
        raise BadInputFile("Không nhận diện được bảng mã của tệp (không phải UTF-8, TCVN3, VNI hay Windows-1258).")
    return text, name


def html_depth(html: str) -> int:
    """How deeply the page's elements nest (libxml2 stops counting at 256)."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):  # empty or bare text
        return 0
    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def html_to_text(html: str) -> str:
    from bs4 import BeautifulSoup

    if html_depth(html) > MAX_HTML_DEPTH:
        raise BadInputFile(f"Trang HTML lồng nhau quá {MAX_HTML_DEPTH} tầng (có thể là tệp độc hại).")
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_after("\n")
        if tag.name in {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"}:
            tag.insert_before("\n")
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after(" | ")
    return soup.get_text()


def _check_zip(path: Path, kind: str = "DOCX") -> None:
    """Refuse a package whose members would expand past the limits, before unpacking it."""
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError) as e:
        raise BadInputFile(f"Tệp {kind} bị hỏng hoặc không phải {kind} ({e.__class__.__name__}).") from e
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED:
        raise BadInputFile(
            f"Tệp {kind} giải nén ra {size_vi(total)}, vượt giới hạn "
            f"{size_vi(MAX_UNZIPPED)} (có thể là tệp nén độc hại)."
        )
    for m in members:
        if m.file_size > 1_000_000 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise BadInputFile(
                f"Tệp {kind} có phần '{m.filename}' nén bất thường "
                f"({m.file_size // max(m.compress_size, 1)} lần; có thể là tệp nén độc hại)."
            )


def _docx_text(path: Path) -> str:
    import docx

    _check_zip(path)
    try:
        document = docx.Document(str(path))
    except Exception as e:  # BadZipFile, PackageNotFoundError, lxml errors on corrupt packages
        raise BadInputFile(f"Tệp DOCX bị hỏng hoặc không phải DOCX ({e.__class__.__name__}).") from e
    blocks = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            blocks.append(" | ".join(cell.text.strip() for cell in row.cells))
    return "\n\n".join(blocks)


def _xlsx_text(path: Path) -> str:
    """Each sheet under its name, each row a line. Below a header row (the first row of
    two or more cells, all text), a row reads "Header: value | Header: value", so it stands alone in a chunk."""
    import openpyxl

    _check_zip(path, "XLSX")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # BadZipFile, KeyError, InvalidFileException on corrupt packages
        raise BadInputFile(f"Tệp XLSX bị hỏng hoặc không phải XLSX ({e.__class__.__name__}).") from e
    blocks, size, seen = [], 0, 0
    try:
        declared = sum((s.max_row or 0) * (s.max_column or 0) for s in book.worksheets)
        if declared > MAX_CELLS:
            raise BadInputFile(
                f"Bảng tính khai báo {number_vi(declared)} ô, vượt giới hạn {number_vi(MAX_CELLS)} ô một tệp; hãy lưu lại chỉ vùng có dữ liệu."
            )
        for sheet in book.worksheets:
            lines, header = [sheet.title], None
            for row in sheet.iter_rows(values_only=True):
                seen += len(row)
                if seen > MAX_CELLS:
                    raise BadInputFile(f"Bảng tính có hơn {number_vi(MAX_CELLS)} ô, vượt giới hạn một tệp.")
                cells = [str(c).strip() if c is not None else "" for c in row]
                if not any(cells):
                    continue
                filled = [c for c in row if c is not None and str(c).strip()]
                if header is None and len(filled) > 1 and all(isinstance(c, str) for c in filled):
                    header = cells
                    lines.append(" | ".join(c for c in cells if c))
                elif header:
                    lines.append(
                        " | ".join(f"{h}: {c}" if h else c for h, c in zip(header + [""] * len(cells), cells) if c)
                        + "."
                    )
                else:
                    lines.append(" | ".join(c for c in cells if c))
                size += len(lines[-1]) + 1
                if size > MAX_CHARS:
                    raise BadInputFile(
                        f"Bảng tính quá lớn: hơn {number_vi(MAX_CHARS)} ký tự; hãy tách thành nhiều tệp."
                    )
            if len(lines) > 1:
                blocks.append("\n".join(lines))
    finally:
        book.close()
    return "\n\n".join(blocks)


def _doc_text(path: Path, data: bytes) -> str:
    """Word 97–2003 through antiword (Debian package `antiword`), in UTF-8; RTF and HTML
    saved under .doc (as old office software and web portals do) by what they are."""
    import subprocess

    if data.lstrip()[:5] == b"{\\rtf":
        from striprtf.striprtf import rtf_to_text

        return rtf_to_text(data.decode("latin-1"), encoding="cp1258", errors="replace")
    if not data.startswith(b"\xd0\xcf\x11\xe0"):  # not an OLE2 compound file: HTML or text
        text, _ = decode_text(data)
        return html_to_text(text) if "<html" in text[:2000].lower() else text
    if shutil.which("antiword") is None:
        raise BadInputFile("Máy chưa cài antiword (gói Debian antiword) nên không đọc được tệp .doc.", lasting=False)
    try:
        done = subprocess.run(
            ["antiword", "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True, timeout=120, check=False
        )
    except subprocess.TimeoutExpired as e:
        raise BadInputFile("Đọc tệp .doc quá 120 giây.") from e
    if done.returncode != 0:
        reason = (done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"])[0]
        reason = reason.replace(str(path), path.name)[:120]  # no server paths in messages
        raise BadInputFile(f"Tệp .doc hỏng hoặc không phải Word 97–2003 ({reason}).")
    return unicodedata.normalize("NFC", done.stdout.decode("utf-8", "replace"))
