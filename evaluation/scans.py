"""Scans made from text, for measuring OCR: pages rendered in a Vietnamese-capable
font (DejaVu Serif) at a given resolution, and degraded copies (lower resolution,
skew, blur, JPEG, noise, a stamp over the text)."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")  # Debian: fonts-dejavu-core
A4_INCHES = (8.27, 11.69)


@dataclass(frozen=True)
class Variant:
    name: str
    dpi: int = 300
    skew: float = 0.0  # degrees
    blur: float = 0.0  # Gaussian radius in pixels
    jpeg: int = 0  # JPEG quality, 0 = none
    noise: float = 0.0  # share of pixels flipped to black or white
    stamp: bool = False


VARIANTS = {
    "clean": Variant("clean"),
    "mild": Variant("mild", dpi=200, skew=1.5, blur=0.6, jpeg=60),
    "heavy": Variant("heavy", dpi=150, skew=3.0, blur=0.5, jpeg=50, noise=0.01, stamp=True),
}


def render(text: str, dpi: int = 300, size_pt: float = 12) -> list[Image.Image]:
    """A4 pages of `text` (paragraphs wrapped to the margins), white on black, greyscale."""
    width, height = (round(x * dpi) for x in A4_INCHES)
    margin, font = round(dpi * 0.9), ImageFont.truetype(str(FONT), round(size_pt * dpi / 72))
    line_height = round(font.size * 1.45)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words, line = paragraph.split(), ""
        for word in words:
            trial = f"{line} {word}".strip()
            if font.getlength(trial) <= width - 2 * margin or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    per_page = (height - 2 * margin) // line_height
    pages = []
    for first in range(0, len(lines), per_page):
        page = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(page)
        for i, line in enumerate(lines[first : first + per_page]):
            draw.text((margin, margin + i * line_height), line, font=font, fill=0)
        pages.append(page)
    return pages


def degrade(page: Image.Image, variant: Variant, seed: int = 0) -> Image.Image:
    """A copy of a 300-dpi page as `variant` would scan it."""
    rng = random.Random(seed)
    if variant.stamp:
        page = _stamp(page, rng)
    if variant.dpi != 300:
        page = page.resize(
            (round(page.width * variant.dpi / 300), round(page.height * variant.dpi / 300)), Image.Resampling.LANCZOS
        )
    if variant.skew:
        page = page.rotate(variant.skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if variant.blur:
        page = page.filter(ImageFilter.GaussianBlur(variant.blur))
    if variant.noise:
        pixels = page.load()
        assert pixels is not None  # a loaded image has pixel access
        for _ in range(int(page.width * page.height * variant.noise)):
            pixels[rng.randrange(page.width), rng.randrange(page.height)] = rng.choice((0, 255))
    if variant.jpeg:
        buffer = io.BytesIO()
        page.save(buffer, "JPEG", quality=variant.jpeg)
        page = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    return page


def _stamp(page: Image.Image, rng: random.Random) -> Image.Image:
    """A round grey office stamp inked over the text, lower right of the page: ink
    multiplies with the print under it, which stays dark (painting it over would erase
    the letters, which no reader could recover)."""
    ink = Image.new("L", page.size, 255)
    draw = ImageDraw.Draw(ink)
    r = page.width // 9
    x, y = rng.randint(page.width // 2, page.width - 2 * r), rng.randint(page.height // 3, page.height - 3 * r)
    for width, inset in ((10, 0), (5, r // 5)):
        draw.ellipse((x + inset, y + inset, x + 2 * r - inset, y + 2 * r - inset), outline=150, width=width)
    font = ImageFont.truetype(str(FONT), r // 4)
    draw.text((x + r // 2, y + r - r // 8), "ỦY BAN", font=font, fill=150)
    return ImageChops.multiply(page, ink)


def save_pdf(pages: list[Image.Image], path: Path, dpi: int) -> None:
    """An image-only PDF (no text layer), as a scanner writes it."""
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
