"""Text from page images with Tesseract's Vietnamese model, offline.

pytesseract drives Debian's `tesseract` binary (tesseract-ocr, tesseract-ocr-vie): it
gives the words with their boxes and confidences, and a time limit per page that kills
the process. Before OCR a page is cleaned and binarised at about 300 dpi (`prepared_page`),
deskewed (the angle whose rows of ink are sharpest) and, when the first reading is
poor, turned upright by Tesseract's orientation detection."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from errors import BadInputFile
from vietnamese.legacy import is_syllable

LANG = "vie"
PAGE_SECONDS = 90  # per page; a page that takes longer is left out with a reason
TARGET_WIDTH = 2480  # pixels: an A4 page at 300 dpi, where Tesseract reads best
MAX_PIXELS = 60_000_000  # a page image larger than this is refused (decompression bomb)
POOR = 60.0  # mean word confidence below which a page is read again after orientation detection


@dataclass
class Line:
    text: str
    box: tuple[int, int, int, int]  # left, top, right, bottom, in the page image as given


@dataclass
class OcrPage:
    text: str  # paragraphs, one per line, blank line between blocks
    confidence: float  # mean word confidence, 0–100
    lines: list[Line] = field(default_factory=list)
    size: tuple[int, int] = (0, 0)  # the page image as given
    error: str = ""  # why the page could not be read
    timed_out: bool = False  # the error was the time limit (a less busy machine may read it)


def available() -> bool:
    return shutil.which("tesseract") is not None


def read_page(image: Image.Image, seconds: float = PAGE_SECONDS) -> OcrPage:
    """OCR one page image; never raises for a page Tesseract cannot read (see `error`)."""
    import pytesseract

    if not available():
        raise BadInputFile(
            "Máy chưa cài Tesseract (gói Debian tesseract-ocr, tesseract-ocr-vie) "
            "nên không nhận dạng được chữ trong ảnh quét.",
            lasting=False,
        )
    size = image.size
    if size[0] * size[1] > MAX_PIXELS:
        return OcrPage("", 0.0, size=size, error=f"ảnh trang quá lớn ({size[0]}×{size[1]} điểm ảnh)")
    page, scale = prepared_page(image)
    try:
        level, angle = _deskewed(page)
        result = _ocr(level, seconds)
        result.lines = [Line(ln.text, _unrotated(ln.box, angle, page.size, scale)) for ln in result.lines]
        if result.confidence < POOR:
            turned = _upright(page, seconds)
            if turned is not None:
                second = _ocr(_deskewed(turned)[0], seconds)
                second.lines = []  # boxes of a turned page do not fit the original: shown unmarked
                result = max(result, second, key=lambda r: r.confidence)
    except RuntimeError:  # pytesseract's time limit
        return OcrPage("", 0.0, size=size, error=f"quá {seconds:.0f} giây cho một trang", timed_out=True)
    except pytesseract.TesseractError as e:
        return OcrPage("", 0.0, size=size, error=f"Tesseract báo lỗi ({e.status})")
    result.size = size
    return result


def _unrotated(box, angle: float, size: tuple[int, int], scale: float) -> tuple[int, int, int, int]:
    """A box of the deskewed, scaled page in the pixels of the page as given."""
    cx, cy = size[0] / 2, size[1] / 2
    cos, sin = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    xs, ys = [], []
    for x, y in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
        xs.append(cx + (x - cx) * cos - (y - cy) * sin)
        ys.append(cy + (x - cx) * sin + (y - cy) * cos)
    return tuple(round(v / scale) for v in (min(xs), min(ys), max(xs), max(ys)))


def prepared_page(image: Image.Image) -> tuple[Image.Image, float]:
    """Black ink on white at about 300 dpi, and the scale applied: coloured stamps and
    signatures dropped, speckles removed (at the scan's own resolution), then
    binarised so that a grey stamp over the text drops out (measured in
    evaluation.ocr_bench)."""
    page = _without_colour(ImageOps.exif_transpose(image))
    if _speckled(page):
        page = despeckled(page)
    scale = 1.0
    if page.width < TARGET_WIDTH * 0.8:  # never past the pixel limit (a long, narrow strip)
        scale = min(TARGET_WIDTH / page.width, (MAX_PIXELS / (page.width * page.height)) ** 0.5)
        if scale > 1:
            page = page.resize((round(page.width * scale), round(page.height * scale)), Image.Resampling.LANCZOS)
        scale = max(scale, 1.0)
    return _binarised(page, scale), scale


def _binarised(page: Image.Image, scale: float) -> Image.Image:
    """Ink is what is darker than halfway between the darkest ink and the paper, and near
    a dark core: a grey stamp's strokes, as dark at their middle as at their edges, are
    left out where no print runs under them (hysteresis, as in edge detection)."""
    pixels = np.asarray(page)
    ink = pixels[pixels < 200]
    if not ink.size:
        return page
    darkest = np.percentile(ink, 10)
    threshold = (darkest + 255) / 2
    core = Image.fromarray(((pixels < darkest + 0.75 * (threshold - darkest)) * 255).astype(np.uint8))
    near = np.asarray(core.filter(ImageFilter.MaxFilter(2 * max(1, round(1.5 * scale)) + 1))) > 0
    return Image.fromarray(np.where((pixels < threshold) & near, 0, 255).astype(np.uint8))


def _without_colour(image: Image.Image) -> Image.Image:
    """Greyscale, with strongly red or blue pixels (stamps, signatures) made white."""
    if image.mode not in ("RGB", "RGBA", "P", "CMYK"):
        return image.convert("L")
    rgb = np.asarray(image.convert("RGB")).astype(np.int16)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    coloured = ((r - np.maximum(g, b)) > 60) | ((b - np.maximum(r, g)) > 60)
    grey = np.asarray(image.convert("L")).copy()
    grey[coloured] = 255
    return Image.fromarray(grey)


def _deskewed(page: Image.Image, limit: float = 5.0) -> tuple[Image.Image, float]:
    """The page turned level, and the angle (one at the search limit means sideways text:
    left as is)."""
    angle = skew_angle(page, limit)
    if abs(angle) < 0.2 or abs(angle) >= limit - 0.5:
        return page, 0.0
    return page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255), angle


def _speckled(page: Image.Image) -> bool:
    """Salt-and-pepper noise: many dark pixels with no dark neighbour."""
    ink = np.asarray(page.resize((page.width // 2, page.height // 2), Image.Resampling.NEAREST)) < 128
    padded = np.pad(ink, 1)
    neighbours = sum(
        np.roll(np.roll(padded, dy, 0), dx, 1)[1:-1, 1:-1] for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx
    )
    lone = np.count_nonzero(ink & (neighbours == 0))
    return bool(lone > 0.002 * ink.size)


A4_WIDTH_INCHES = 8.27


def despeckled(page: Image.Image) -> Image.Image:
    """Specks of ink smaller than a tone mark's dot made white: salt-and-pepper noise goes,
    the dot of "ạ", "ậ" stays, where a 3×3 median filter took both (heavy scans:
    character error 1.4–1.9% → 0.2–0.5% a document). Sizes scale with the resolution
    (A4 width): two pixels at 150 dpi, eight at 300 dpi (a 150-dpi scan rendered at 300)."""
    from scipy import ndimage

    pixels = np.asarray(page)
    dpi = page.width / A4_WIDTH_INCHES
    labels, count = ndimage.label(pixels < 128, structure=np.ones((3, 3)))
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    speck = sizes <= max(2, round(2 * (dpi / 150) ** 2))
    speck[0] = False
    return Image.fromarray(np.where(speck[labels], 255, pixels).astype(np.uint8))


def skew_angle(page: Image.Image, limit: float = 5.0, step: float = 0.25) -> float:
    """Degrees to rotate (counter-clockwise) so that the text lines are level: the angle
    whose row sums of ink vary most (a projection profile), searched within ±`limit`."""
    small = page.resize((800, round(800 * page.height / page.width)), Image.Resampling.BILINEAR)
    ink = small.point(lambda v: 255 if v < 160 else 0)  # ink white on black: rotation fills with "no ink"

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        return float(np.var(np.diff(rows)))

    coarse = max(np.arange(-limit, limit + 1e-9, 1.0), key=sharpness)
    return float(max(np.arange(coarse - 1, coarse + 1 + 1e-9, step), key=sharpness))


def _upright(page: Image.Image, seconds: float) -> Image.Image | None:
    """The page turned by Tesseract's orientation detection, or None when already upright."""
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(page, output_type=pytesseract.Output.DICT, timeout=seconds)
    except pytesseract.TesseractError:  # too little text to tell
        return None
    rotate = int(osd.get("rotate", 0))
    return page.rotate(-rotate, expand=True, fillcolor=255) if rotate else None


def _ocr(page: Image.Image, seconds: float) -> OcrPage:
    import pytesseract

    data = pytesseract.image_to_data(page, lang=LANG, output_type=pytesseract.Output.DICT, timeout=seconds)
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip():
            lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    out, paragraphs, confidences = [], [], []
    previous = None
    for key, words in lines.items():
        text = " ".join(data["text"][i].strip() for i in words)
        box = (
            min(data["left"][i] for i in words),
            min(data["top"][i] for i in words),
            max(data["left"][i] + data["width"][i] for i in words),
            max(data["top"][i] + data["height"][i] for i in words),
        )
        out.append(Line(text, box))
        confidences += [float(data["conf"][i]) for i in words if float(data["conf"][i]) >= 0]
        if previous is not None and key[:2] == previous:
            paragraphs[-1].append(text)
        else:
            if previous is not None and key[0] != previous[0]:
                paragraphs.append([])  # a blank line between blocks
            paragraphs.append([text])
        previous = key[:2]
    text = "\n".join(join_wrapped(p) for p in paragraphs)
    return OcrPage(text, float(np.mean(confidences)) if confidences else 0.0, out)


def join_wrapped(lines: list[str]) -> str:
    """The lines of one paragraph as one line. A hyphen at a line end before a lower-case
    word is a broken syllable ("só-" + "c") when the two halves make one, else a compound
    ("kinh tế-" + "xã hội")."""
    text = ""
    for line in lines:
        head, _, tail = text.rpartition(" ")
        if tail.endswith("-") and tail[:-1][-1:].isalpha() and line[:1].islower():
            word, _, rest = line.partition(" ")
            joined = tail[:-1] + word if is_syllable(tail[:-1] + word) else tail + word
            text = " ".join(filter(None, [head, joined, rest]))
        else:
            text = f"{text} {line}".strip()
    return text
