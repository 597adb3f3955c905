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

    @classmethod
    def of(cls, n: int, record: DocRecord, section: str, quote: str, start: int, end: int) -> Citation:
        return cls(n, record.id, record.title, record.locality, record.date, section, quote, start, end)

    @classmethod
    def in_passage(cls, n: int, passage: Passage, start: int, end: int) -> Citation:
        """The span [start, end) of a passage, quoted."""
        return cls.of(n, passage.record, passage.section, passage.quote(start, end), start, end)

    def label(self) -> str:
        """“title — locality, date; section (source, ký tự a–b)”, as every export writes it."""
        return (f"{self.title} — {self.locality or 'không rõ địa phương'}, {self.date or 'không rõ ngày'}; "
                f"{self.section or 'phần đầu'} ({self.source}, ký tự {self.start}–{self.end})")

    def as_dict(self) -> dict:
        return asdict(self)
