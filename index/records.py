"""The types that flow between the index and its two paths: the facts of a
document (`DocMeta`), the stored record of a document (`DocRecord`), a chunk as
the write path cuts it (`Chunk`), and a chunk as the read path ranks and cites
it (`Passage`)."""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import asdict, dataclass, field, fields, replace

import numpy as np


@dataclass
class DocMeta:
    """What a document says about itself (extracted at ingest, sidecar overrides)."""

    title: str = ""
    date: str = ""  # ISO yyyy-mm-dd, "" when the document gives no full date
    year: int = 0
    locality: str = ""  # as the document names it, spelling corrected ("Bỉm Sơn")
    locality_level: str = ""  # tỉnh, thành phố, thị xã, huyện, quận
    province: str = ""  # province before 1 July 2025
    province_new: str = ""  # province since 1 July 2025
    locality_variants: str = ""  # other spellings seen in the text, "; "-joined
    issuer: str = ""
    doc_type: str = ""
    number: str = ""
    cites: str = ""  # normalised references, "; "-joined
    file_name: str = ""  # the name the file came with, when it was too long to store as given
    # Who may read it (accounts.access): the owning unit's code, unit | below | all, and
    # codes of units granted it, "; "-joined. Set at ingest (--unit, the sidecar) or upload.
    unit: str = ""
    visibility: str = ""
    grants: str = ""
    classification: str = ""  # "", "Mật", "Tối mật" or "Tuyệt mật"


# Document facts copied onto every chunk, so that Chroma's `where` filters see them.
CHUNK_FACTS = (
    "title",
    "date",
    "year",
    "locality",
    "locality_level",
    "province",
    "province_new",
    "doc_type",
    "number",
    "issuer",
)


@dataclass
class DocRecord(DocMeta):
    """One committed document: its facts and how it was stored."""

    id: str = ""
    hash: str = ""  # content hash of the file (and sidecar); chunks carry it as `doc_hash`
    path: str = ""
    encoding: str = ""
    format: str = ""
    chars: int = 0
    chunks: int = 0
    ingested_at: str = ""
    text_hash: str = ""  # of the cleaned text: the same text under another name is a duplicate
    instructions: int = 0  # places that instruct a reader or model; such sentences are never quoted
    restored_over: str = ""  # an earlier version restored: the hash of the file it stands in for
    write: str = ""  # the write that stored its chunks (part of their ids, and of the index fingerprint)
    near_copy_of: str = ""  # documents this one mostly repeats, "; "-joined, most shared first
    copied_share: float = 0.0  # share of its paragraph text found in those documents
    # Paged sources (PDF, page images): page count, offsets where pages 2, 3, … start, OCR quality.
    pages: int = 0
    page_starts: str = ""  # space-separated offsets into the cleaned text
    ocr_pages: str = ""  # numbers of the pages read by OCR, space-separated
    ocr_confidence: float = 0.0  # mean Tesseract word confidence (0–100) of those pages
    ocr_syllables: float = 0.0  # share of well-formed Vietnamese syllables in them
    ocr_flagged: str = ""  # pages whose OCR is doubtful
    ocr_problems: str = ""  # pages left out, and why

    @property
    def version(self) -> str:
        """Which stored version of the document this is (its content and the write that stored it)."""
        return f"{self.hash}:{self.write}"

    def page_at(self, offset: int) -> int:
        """The 1-based page holding a character of the cleaned text; 0 for sources without pages."""
        if not self.pages:
            return 0
        return 1 + bisect.bisect_right([int(x) for x in self.page_starts.split()], offset)

    def flagged_pages(self) -> set[int]:
        return {int(x) for x in self.ocr_flagged.split()}

    @classmethod
    def from_meta(cls, doc_id: str, meta: dict | None) -> DocRecord:
        """A record from Chroma metadata; unknown keys are ignored, missing ones default."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (meta or {}).items() if k in known and k != "id"}, id=doc_id)

    def as_meta(self) -> dict:
        """Chroma metadata (the id is the record's key, not a field)."""
        out = asdict(self)
        out.pop("id")
        return out

    def facts(self) -> dict:
        return {k: getattr(self, k) for k in CHUNK_FACTS}

    def place_keys(self) -> tuple[str, str, str]:
        """Names the document answers to: as named, old province, new province."""
        return self.locality, self.province, self.province_new


@dataclass
class Chunk:
    """A piece of a cleaned document and the heading path it stands under."""

    text: str
    start: int
    end: int
    section: str
    index: int = 0

    def id(self, source: str, write: str) -> str:
        """Hash of source, position, text and the write that stores it. Ids are never
        reused: Chroma's vector index may not return a vector re-added under an id it
        deleted (a restored version, a file edited and edited back)."""
        return hashlib.sha256(f"{source}\x00{self.start}\x00{self.text}\x00{write}".encode()).hexdigest()[:32]


@dataclass
class NewDocument:
    """Everything the index writes for one document."""

    record: DocRecord
    text: str
    chunks: list[Chunk]
    vectors: np.ndarray
    tokens: list[list[str]]  # BM25 words of each chunk

    def centroid(self) -> np.ndarray:
        """The unit mean of its chunk vectors (what the documents collection stores)."""
        mean = self.vectors.mean(axis=0)
        return mean / (np.linalg.norm(mean) or 1.0)


@dataclass
class Passage:
    """A chunk on the read path: from the index, through ranking, to the citation."""

    id: str
    text: str
    start: int  # offsets in the cleaned document
    end: int
    section: str
    record: DocRecord = field(default_factory=DocRecord)
    score: float = 0.0  # fused retrieval score, higher is better
    rank: int = 0

    @property
    def source(self) -> str:
        return self.record.id

    def quote(self, start: int, end: int) -> str:
        """The text between two offsets of the cleaned document (inside this passage)."""
        return self.text[start - self.start : end - self.start]

    def context(self) -> str:
        """The passage with the document facts it stands under (title, place, issuer, date)."""
        r = self.record
        facts = " ".join(str(x) for x in (r.title, r.locality, r.province, r.province_new, r.issuer, r.date))
        return f"{facts} {self.text}"

    def ranked(self, score: float, rank: int) -> Passage:
        return replace(self, score=score, rank=rank)
