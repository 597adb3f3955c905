"""A citation: the exact quoted span of a cleaned document and where it stands."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from index.records import DocRecord, Passage


@dataclass
class Citation:
    n: int
    source: str
    title: str
    locality: str
    date: str
    section: str
    quote: str
    start: int
    end: int
    page: int = 0  # 1-based page of a paged source (PDF, scan), 0 otherwise
    doubtful: bool = False  # the page was read by OCR of low quality: check the original
    elsewhere: bool = False  # a related passage of another locality than the one asked about
    classification: str = ""  # "Mật", "Tối mật", "Tuyệt mật": said wherever the citation is shown

    @classmethod
    def of(cls, n: int, record: DocRecord, section: str, quote: str, start: int, end: int) -> Citation:
        page = record.page_at(start)
        return cls(
            n,
            record.id,
            record.title,
            record.locality,
            record.date,
            section,
            quote,
            start,
            end,
            page,
            page in record.flagged_pages(),
            classification=record.classification,
        )

    @classmethod
    def in_passage(cls, n: int, passage: Passage, start: int, end: int) -> Citation:
        """The span [start, end) of a passage, quoted."""
        return cls.of(n, passage.record, passage.section, passage.quote(start, end), start, end)

    def label(self) -> str:
        """“title — locality, date; section (source, ký tự a–b)”, as every export writes it."""
        page = f"trang {self.page}, " if self.page else ""
        doubt = "; nhận dạng chữ (OCR) kém, cần đối chiếu bản gốc" if self.doubtful else ""
        secret = f"[{self.classification.upper()}] " if self.classification else ""
        return (
            f"{secret}{self.title} — {self.locality or 'không rõ địa phương'}, {self.date or 'không rõ ngày'}; "
            f"{self.section or 'phần đầu'} ({self.source}, {page}ký tự {self.start}–{self.end}{doubt})"
        )

    def as_dict(self) -> dict:
        return asdict(self)
