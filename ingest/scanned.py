"""Paged sources: PDFs (text layer where a page has one, OCR where it has not) and page
images (.png, .jpg, .tiff). Pages are joined with a form feed, which cleaning keeps
and the record turns into page numbers; OCR quality is measured per page."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from errors import BadInputFile
from ingest import ocr
from vietnamese.legacy import is_syllable
from vietnamese.normalize import LETTERS_RE
from vietnamese.ocrfix import fix_ocr

IMAGES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
MAX_PDF_PAGES = 2000
MAX_OCR_SECONDS = 1800  # per document; later pages are left out with a reason
MAX_TEXT_SECONDS = 300  # reading a PDF's text layer (a pathological file can take forever)
TEXT_LAYER_CHARS = 20  # a page with less text than this is read by OCR
LOW_CONFIDENCE = 70.0  # a page below this mean word confidence, or
LOW_SYLLABLES = 0.85  # below this share of well-formed Vietnamese syllables, is flagged
# Below this mean word confidence over every OCR'd page, a file holds no print: noise images
# read at 9–29%, the benchmark's mild and heavy scans (150 dpi, skew, speckles, a stamp) at 95–96%;
# a page below LOW_CONFIDENCE but above this is kept and flagged.
NOISE_CONFIDENCE = 45.0
RENDER_DPI = 300


@dataclass
class Paged:
    pages: list[str]
    ocr_pages: list[int] = field(default_factory=list)  # 1-based numbers of the pages read by OCR
    confidence: list[float] = field(default_factory=list)  # per OCR'd page
    syllables: list[float] = field(default_factory=list)  # per OCR'd page
    problems: list[str] = field(default_factory=list)  # pages left out, and why
    lines: dict[int, dict] = field(default_factory=dict)  # OCR'd page -> {"size", "lines": [[text, box]]}
    timed_out: bool = False  # a page was left out for time: the reading depends on the machine's load

    @property
    def text(self) -> str:
        return "\f".join(self.pages)

    def flagged(self) -> list[int]:
        return [
            n
            for n, c, s in zip(self.ocr_pages, self.confidence, self.syllables)
            if c < LOW_CONFIDENCE or s < LOW_SYLLABLES
        ]

    def quality(self) -> dict:
        """What the document record keeps about its OCR."""
        if not self.ocr_pages:
            return {"pages": len(self.pages)}
        return {
            "pages": len(self.pages),
            "ocr_pages": " ".join(map(str, self.ocr_pages)),
            "ocr_confidence": round(sum(self.confidence) / len(self.confidence), 1),
            "ocr_syllables": round(sum(self.syllables) / len(self.syllables), 3),
            "ocr_flagged": " ".join(map(str, self.flagged())),
            "ocr_problems": "; ".join(self.problems),
        }


def syllable_share(text: str) -> float:
    """Share of the words (letters only) that are well-formed Vietnamese syllables."""
    words = LETTERS_RE.findall(text)
    return sum(map(is_syllable, words)) / len(words) if words else 0.0


class _Reader:
    """Reads page after page, OCR where needed, within the document's time budget."""

    def __init__(self, name: str, total: int, on_page=None) -> None:
        self.out = Paged([])
        self.total, self.on_page = total, on_page
        self.started = time.monotonic()
        self.bar = tqdm(total=total, desc=f"OCR {name}"[:40], unit="trang", leave=False, disable=None)

    def text_page(self, text: str) -> None:
        self.out.pages.append(text)
        self._step()

    def _step(self) -> None:
        self.bar.update()
        if self.on_page:
            self.on_page(len(self.out.pages), self.total)

    def image_page(self, render) -> None:
        number = len(self.out.pages) + 1
        left = MAX_OCR_SECONDS - (time.monotonic() - self.started)
        if left <= 0:
            self.out.pages.append("")
            self.out.timed_out = True
            self.out.problems.append(f"trang {number}: bỏ qua, vượt {MAX_OCR_SECONDS // 60} phút nhận dạng")
        else:
            page = ocr.read_page(render(), seconds=min(ocr.PAGE_SECONDS, left))
            text = fix_ocr(page.text)
            self.out.pages.append(text)
            self.out.timed_out |= page.timed_out
            if page.error:
                self.out.problems.append(f"trang {number}: {page.error}")
            elif text.strip():  # a blank page has nothing to cite and no quality to judge
                self.out.ocr_pages.append(number)
                self.out.confidence.append(page.confidence)
                self.out.syllables.append(syllable_share(text))
                self.out.lines[number] = {
                    "size": list(page.size),
                    "lines": [[ln.text, list(ln.box)] for ln in page.lines],
                }
        self._step()

    def done(self) -> Paged:
        self.bar.close()
        out = self.out
        if not "".join(out.pages).strip():
            why = "; ".join(out.problems)
            raise BadInputFile("Không nhận dạng được chữ nào (kể cả bằng OCR)" + (f": {why}." if why else "."))
        printed = sum(1 for p in out.pages if p.strip())
        confidence = sum(out.confidence) / len(out.confidence) if out.confidence else 100.0
        if len(out.ocr_pages) == printed and confidence < NOISE_CONFIDENCE:  # every page read by OCR, and badly
            raise BadInputFile(
                f"Không thấy chữ in trong tệp: độ tin cậy nhận dạng trung bình {confidence:.0f}%, "
                f"dưới {NOISE_CONFIDENCE:.0f}% (ảnh nhiễu, ảnh chụp không có văn bản?)."
            )
        return out


def read_pdf(path: Path, on_page=None) -> Paged:
    """`on_page(done, total)` is called after each page (the browser's progress bar)."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):  # an owner password only: it opens with none
            raise BadInputFile("Tệp PDF được đặt mật khẩu, không đọc được.")
        count = len(reader.pages)
        if count > MAX_PDF_PAGES:
            raise BadInputFile(f"PDF có {count} trang, vượt giới hạn {MAX_PDF_PAGES} trang một tệp.")
        layers = _text_layers(reader)
    except BadInputFile:
        raise
    except (PdfReadError, ValueError, OSError, KeyError) as e:
        raise BadInputFile(f"Tệp PDF bị hỏng ({e.__class__.__name__}).") from e
    scanned = [i for i, t in enumerate(layers) if len(t.strip()) < TEXT_LAYER_CHARS]
    if scanned and not ocr.available():
        raise BadInputFile(
            "PDF không có lớp văn bản (bản quét ảnh) và máy chưa cài Tesseract để nhận dạng "
            "chữ (OCR): cài gói Debian tesseract-ocr và tesseract-ocr-vie.",
            lasting=False,
        )
    pdf = pdfium.PdfDocument(str(path)) if scanned else None
    reader_ = _Reader(path.name, count, on_page)
    try:
        for i, layer in enumerate(layers):
            if i in scanned:
                assert pdf is not None  # opened whenever a page is scanned
                reader_.image_page(lambda i=i: _render(pdf[i]))
            else:
                reader_.text_page(layer)
    except pdfium.PdfiumError as e:
        raise BadInputFile(f"Không dựng được trang PDF để nhận dạng ({e}).") from e
    finally:
        if pdf is not None:
            pdf.close()
    return reader_.done()


def _text_layers(reader) -> list[str]:
    """Each page's text layer, within MAX_TEXT_SECONDS for the document."""
    deadline = time.monotonic() + MAX_TEXT_SECONDS
    layers: list[str] = []
    for page in reader.pages:
        if time.monotonic() > deadline:
            raise BadInputFile(
                f"Đọc lớp văn bản của PDF quá {MAX_TEXT_SECONDS} giây (đã đọc {len(layers)} "
                f"trang); tệp có thể hỏng hoặc độc hại."
            )
        layers.append(page.extract_text() or "")
    return layers


def _render(page):
    """A PDF page as a greyscale image at 300 dpi, or less when the page is huge."""
    points = page.get_width() * page.get_height()
    scale = min(RENDER_DPI / 72, (ocr.MAX_PIXELS / max(points, 1)) ** 0.5)
    return page.render(scale=scale, grayscale=True).to_pil()


def read_image(path: Path, on_page=None) -> Paged:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    if not ocr.available():
        raise BadInputFile(
            "Máy chưa cài Tesseract (gói Debian tesseract-ocr, tesseract-ocr-vie) nên không "
            "nhận dạng được chữ trong ảnh.",
            lasting=False,
        )
    Image.MAX_IMAGE_PIXELS = ocr.MAX_PIXELS  # larger images raise DecompressionBombError
    try:
        with Image.open(path) as image:
            if image.width * image.height > ocr.MAX_PIXELS:
                raise BadInputFile(f"Ảnh quá lớn ({image.width}×{image.height} điểm ảnh).")
            frames = getattr(image, "n_frames", 1)
            if frames > MAX_PDF_PAGES:
                raise BadInputFile(f"Ảnh có {frames} trang, vượt giới hạn {MAX_PDF_PAGES} trang.")
            reader_ = _Reader(path.name, frames, on_page)
            for frame in ImageSequence.Iterator(image):
                reader_.image_page(lambda frame=frame: frame.copy())
    except BadInputFile:
        raise
    except Image.DecompressionBombError as e:
        raise BadInputFile(
            f"Ảnh quá lớn (trên {ocr.MAX_PIXELS // 1_000_000} triệu điểm ảnh; có thể là tệp nén độc hại)."
        ) from e
    except (UnidentifiedImageError, OSError, SyntaxError) as e:
        raise BadInputFile(f"Ảnh hỏng, quá lớn hoặc không đọc được ({e.__class__.__name__}).") from e
    return reader_.done()
