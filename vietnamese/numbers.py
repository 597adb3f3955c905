"""Numbers and sizes written the Vietnamese way: "3.226", "26,2 MB", "10,7"."""

from __future__ import annotations


def number_vi(value: float, decimals: int = 1) -> str:
    """3226 -> "3.226", 10.7 -> "10,7", 4e9 -> "4.000.000.000" (no trailing ",0")."""
    text = f"{value:,.{decimals}f}" if value != int(value) else f"{int(value):,}"
    if "." in text and value != int(value):
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def size_vi(size: float) -> str:
    """Bytes as "820 byte", "12,4 KB", "26,2 MB"."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if size >= scale:
            return f"{number_vi(round(size / scale, 1))} {unit}"
    return f"{int(size)} byte"


def date_vi(iso: str) -> str:
    """ "2017-08-24" as "24/08/2017"; a year or month alone as given; "" stays ""."""
    parts = iso.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso
