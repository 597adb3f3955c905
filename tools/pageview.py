"""The original page behind a citation, as an image with the quoted lines marked:
for a PDF page with a text layer, the quote is found by pdfium's text search; for a
page read by OCR, by the line boxes Tesseract gave at ingest."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from index.pagelines import load_lines
from index.records import DocRecord
from vietnamese.normalize import fold

WIDTH = 1000  # pixels of the shown page


def page_view(record: DocRecord, page: int, quote: str, index_dir: Path) -> Image.Image | None:
    """The page, quoted lines marked; None when the original file is gone, not paged, or
    no longer the file this text came from (a restored earlier version)."""
    path = Path(record.path)
    if not page or not path.is_file() or record.restored_over:
        return None
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        image, boxes = _pdf_page(path, page, quote, str(page) not in record.ocr_pages.split())
    else:  # a page image; None when the file is not one
        image, boxes = _image_page(path, page), []
    if image is None:
        return None
    scale = WIDTH / image.width
    image = image.convert("RGB").resize((WIDTH, round(image.height * scale)))
    if not boxes:  # an OCR'd page: the boxes are in the pixels of the image Tesseract read
        ocr = load_lines(index_dir, record.hash, page)
        if ocr:
            factor = WIDTH / ocr["size"][0]
            boxes = [tuple(v * factor for v in box) for text, box in ocr["lines"] if is_quoted(text, quote)]
    else:
        boxes = [tuple(v * scale for v in box) for box in boxes]
    return mark(image, boxes)


def mark(image: Image.Image, boxes: list[tuple[float, float, float, float]]) -> Image.Image:
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for left, top, right, bottom in boxes:
        draw.rectangle(
            (left - 3, top - 3, right + 3, bottom + 3), fill=(255, 214, 0, 90), outline=(217, 119, 6, 255), width=2
        )
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def is_quoted(line: str, quote: str) -> bool:
    """A line of the page belongs to the quote: most of its words are quoted words, or the
    quote begins at its end or ends at its start (two words or more: "… năm 2023, huyện đã"
    / "tổ chức 27 lớp …")."""
    words, said = fold(line).split(), fold(quote).split()
    if not words or not said:
        return False
    quoted = set(said)
    if sum(w in quoted for w in words) / len(words) >= 0.75 and (len(words) >= 3 or fold(line) in fold(quote)):
        return True
    return any(words[-k:] == said[:k] or words[:k] == said[-k:] for k in range(2, min(len(words), len(said)) + 1))


def _pdf_page(path: Path, page: int, quote: str, text_layer: bool):
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return None, []
    try:
        if not 1 <= page <= len(pdf):
            return None, []
        sheet = pdf[page - 1]
        scale = min(2.0, (20_000_000 / max(sheet.get_width() * sheet.get_height(), 1)) ** 0.5)  # no huge bitmaps
        image = sheet.render(scale=scale).to_pil()
        boxes = _text_boxes(sheet, quote, scale) if text_layer else []
        return image, boxes
    finally:
        pdf.close()


def _text_boxes(sheet, quote: str, scale: float) -> list[tuple[float, float, float, float]]:
    """Boxes (pixels of the render at `scale`) of the quote's lines found in the text layer."""
    height = sheet.get_height()
    text = sheet.get_textpage()
    boxes = []
    for piece in (p.strip() for p in quote.split("\n")):
        if len(piece) < 8:
            continue
        found = text.search(piece[:80], match_case=False).get_next()
        if found is None:
            continue
        start, count = found
        for i in range(text.count_rects(start, count)):
            left, bottom, right, top = text.get_rect(i)
            boxes.append((left * scale, (height - top) * scale, right * scale, (height - bottom) * scale))
    return boxes


def _image_page(path: Path, page: int) -> Image.Image | None:
    from PIL import ImageSequence

    try:
        with Image.open(path) as image:
            for number, frame in enumerate(ImageSequence.Iterator(image), 1):
                if number == page:
                    return frame.copy()
    except (OSError, Image.DecompressionBombError):
        return None
    return None
