"""Files -> cleaned text -> metadata -> chunks -> embeddings -> index, incrementally."""

from __future__ import annotations

import hashlib
import re
import time
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

from errors import BadInputFile, IndexMissing, IndexModelMismatch
from index.pagelines import save_lines
from index.records import Chunk, DocRecord, NewDocument
from index.store import Index
from ingest.chunking import chunk_text
from ingest.classified import classification_of
from ingest.clean import PAGE_BREAK, clean_text
from ingest.duplicates import mark_near_copy
from ingest.metadata import apply_sidecar, extract_metadata
from ingest.readers import SIDECAR_SUFFIX, RawText
from ingest.reads import Reads, read_key
from ingest.removal import removed
from ingest.worker import read_limited
from vietnamese.instructions import count_instructions
from vietnamese.normalize import nfc, word_tokens
from vietnamese.numbers import number_vi

PIPELINE_VERSION = "2"  # bump when cleaning/chunking changes, to re-ingest everything
_EMBED_BATCH = 32
MAX_CHUNKS = 6000  # per document; the character limit of the readers usually stops it first
_WRITE_CHUNKS = 128  # documents are written to Chroma in groups of about this many chunks


@dataclass
class Report:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    left_out: int = 0  # files of documents removed from the library (ingest.removal), not read again
    failed: list[dict] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Prepared:
    """A document read, cleaned, described and chunked; only embedding is left."""

    record: DocRecord
    text: str
    chunks: list[Chunk]
    tokens: list[list[str]]
    passages: list[str]  # what the embedder sees: title, section, chunk text
    lines: dict = field(default_factory=dict)  # OCR line boxes per page (scanned.save_lines)

    def embedded(self, embedder) -> NewDocument:
        return NewDocument(self.record, self.text, self.chunks, _embed(embedder, self.passages), self.tokens)


@dataclass(frozen=True)
class Owner:
    """Who may read a document (see `accounts.access`): its unit, visibility and grants."""

    unit: str
    visibility: str = "unit"
    grants: str = ""

    @classmethod
    def of(cls, record: DocRecord) -> Owner:
        return cls(record.unit, record.visibility or "unit", record.grants)

    def apply(self, record: DocRecord) -> None:
        record.unit, record.visibility, record.grants = self.unit, self.visibility, self.grants


NO_LOCK: AbstractContextManager = nullcontext()  # a writer alone needs no lock


def discover(paths: list[Path]) -> tuple[list[Path], list[dict]]:
    """Files under the given paths (recursively), sidecars and hidden files aside."""
    files, failed = [], []
    for root in paths:
        if not root.exists():
            failed.append({"path": str(root), "reason": "Không tìm thấy đường dẫn."})
            continue
        candidates = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in candidates:
            if p.name.startswith(".") or p.name.endswith(SIDECAR_SUFFIX):
                continue
            files.append(p)
    return files, failed


NAME_BYTES = 200  # a stored file name, in UTF-8 bytes: room for "-12" and ".meta.json" under 255


def safe_name(name: str, limit: int = NAME_BYTES) -> str:
    """A file name safe to store: no folders, control or reserved characters, and at most
    `limit` bytes in UTF-8 (file systems count bytes: "ệ" is three)."""
    base = re.split(r"[\\/]", nfc(name))[-1]
    base = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "_", base).strip(" .")
    stem, dot, ext = base.rpartition(".")
    if not dot or len(ext.encode()) > 10:
        stem, ext = base, ""
    room = limit - len(ext.encode()) - 1
    stem = stem.encode()[:room].decode("utf-8", "ignore").rstrip(" .") or "tai-lieu"
    return f"{stem}.{ext}" if ext else stem


def file_hash(path: Path) -> str:
    h = hashlib.sha256(PIPELINE_VERSION.encode())
    h.update(path.read_bytes())
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if sidecar.exists():
        h.update(sidecar.read_bytes())
    return h.hexdigest()


def prepare(path: Path, doc_id: str, digest: str, max_bytes: int, on_page=None, reads: Reads | None = None) -> Prepared:
    """All CPU work for one document except embedding; with `reads`, a file read (or
    refused) before is not read again."""
    raw = _read(path, digest, max_bytes, on_page, reads)
    text = clean_text(raw.text)
    page_starts = [m.end() for m in re.finditer(PAGE_BREAK, text)]
    text = text.replace(PAGE_BREAK, "\n")  # same length: offsets stay valid
    if not text:
        raise BadInputFile("Sau khi làm sạch, tệp không còn nội dung văn bản.")
    meta = extract_metadata(text, doc_id)
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if sidecar.exists():
        meta = apply_sidecar(meta, sidecar)
    record = DocRecord(
        **asdict(meta),
        id=doc_id,
        hash=digest,
        path=str(path),
        encoding=raw.encoding,
        format=raw.fmt,
        chars=len(text),
        instructions=count_instructions(text),
        text_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:32],
        **raw.paged,
    )
    record.page_starts = " ".join(map(str, page_starts)) if record.pages else ""
    record.classification = record.classification or classification_of(text)
    return prepare_text(record, text, raw.lines)


def _read(path: Path, digest: str, max_bytes: int, on_page, reads: Reads | None) -> RawText:
    key = read_key(path.name, digest)
    kept = reads.get(key) if reads else None  # a refusal kept is raised again
    if kept is not None and path.stat().st_size <= max_bytes:
        return kept
    try:
        raw = read_limited(path, max_bytes, on_page)
    except BadInputFile as e:
        if reads:
            reads.keep_refusal(key, e)
        raise
    if reads:
        reads.keep(key, raw)
    return raw


def prepare_text(record: DocRecord, text: str, lines: dict | None = None) -> Prepared:
    """Chunks, BM25 words and embedder passages of a described, cleaned text."""
    chunks = chunk_text(text)
    if not chunks:
        raise BadInputFile("Tệp không có đoạn văn bản nào để lập chỉ mục.")
    if len(chunks) > MAX_CHUNKS:
        raise BadInputFile(
            f"Tài liệu có {number_vi(len(chunks))} đoạn, vượt giới hạn {number_vi(MAX_CHUNKS)} đoạn một tài liệu."
        )
    context = [" ".join(filter(None, [record.locality, c.section])) for c in chunks]
    tokens = [word_tokens(f"{ctx}\n{c.text}") for ctx, c in zip(context, chunks)]
    passages = [f"{record.title}\n{c.section}\n{c.text}".strip() for c in chunks]
    return Prepared(record, text, chunks, tokens, passages, lines or {})


def ingest(
    paths: list[Path],
    index: Index,
    max_bytes: int,
    prune: bool = False,
    rebuild: bool = False,
    progress: bool = True,
    on_progress=None,
    lock: AbstractContextManager = NO_LOCK,
    reread: bool = False,
    stands_in: dict[str, str] | None = None,
    owner: Owner | None = None,
    allow_classified: bool = False,
) -> Report:
    """Ingest files under `paths`; `on_progress(done, total, doc_id)` is called
    after each document (for the browser's progress bar). Files are read and embedded
    outside `lock`, which is held only to commit (a slow file holds up no other writer).
    What a file gave when read before (its text or its refusal) is reused unless `reread`.
    `stands_in` (document id -> file hash): a file that replaces the document of another file
    (an upload replacing a document of the corpus), which later ingests then leave alone.
    `owner`: the unit a document without one (in its sidecar, or from before) is given.
    A classified document is refused unless `allow_classified` (ALLOW_CLASSIFIED: an isolated network)."""
    started = time.time()
    report = Report()
    if rebuild:  # build beside the old store, switch at the end
        target = index.sibling()
        report = ingest(
            paths,
            target,
            max_bytes,
            prune,
            False,
            progress,
            on_progress,
            lock,
            reread,
            owner=owner,
            allow_classified=allow_classified,
        )
        if _has_index(index):
            target.adopt_versions(index)  # nothing an earlier index held is lost
        index.switch_to(target)
        return report
    index.open(create=True)
    index.refresh()  # another process may have written since this index was read
    index.collect_garbage()
    records = index.records()
    files, report.failed = discover(paths)
    todo, seen = _changed(files, records, report, removed(index.index_dir))
    owners = {r.text_hash: i for i, r in records.items() if r.text_hash and (not prune or i in seen)}
    bar = _progress(len(todo), progress)
    reads = Reads(index.index_dir, reuse=not reread)
    access = {i: Owner.of(r) for i, r in records.items() if r.unit}  # a new version keeps who may read it
    if owner is not None:
        access = {i: access.get(i, owner) for i in {doc_id for _, doc_id, _ in todo} | set(access)}
    _write(
        todo, index, set(records), owners, max_bytes, report, bar, on_progress, lock, reads, stands_in or {}, access,
        allow_classified,
    )  # fmt: skip
    if owner is not None:  # documents ingested before without a unit are given this one
        with lock:
            for doc_id in sorted(set(seen) & set(records)):
                if not records[doc_id].unit and doc_id not in {d for _, d, _ in todo}:
                    index.set_access(doc_id, unit=owner.unit, visibility=owner.visibility)
    if prune:
        with lock:
            for doc_id in sorted(set(records) - set(seen)):
                index.remove_document(doc_id)
                report.removed += 1
    index.lexical()  # rebuild the BM25 cache now rather than at the first question
    records = index.records()
    reads.forget_others({read_key(r.id, r.hash) for r in records.values()})
    report.documents = len(records)
    report.chunks = sum(r.chunks for r in records.values())
    report.seconds = round(time.time() - started, 2)
    return report


def _has_index(index: Index) -> bool:
    """Whether there is an index to carry versions over from (built with any model)."""
    try:
        index.records()
    except IndexModelMismatch:
        return True
    except IndexMissing:
        return False
    return True


def _changed(files: list[Path], records: dict[str, DocRecord], report: Report, gone: dict[str, list[str]]):
    """(path, id, hash) of the new and changed files, and every id seen; duplicates
    and unreadable files are reported, unchanged ones and removed ones counted. Of two
    files of one name, the one the document was read from is looked at first, and the
    one it stands in for (a corpus file an upload replaced) is no duplicate."""
    seen: dict[str, Path] = {}
    todo: list[tuple[Path, str, str]] = []
    current = {Path(r.path) for r in records.values() if r.path}
    for path in sorted(files, key=lambda p: p not in current):  # stable: otherwise in the order given
        doc_id = nfc(path.name)
        try:
            digest = file_hash(path)
        except OSError as e:
            report.failed.append({"path": str(path), "reason": f"Không đọc được tệp: {e.strerror or e}"})
            continue
        record = records.get(doc_id)
        if doc_id in seen:
            if record is not None and record.restored_over and digest in (record.hash, record.restored_over):
                report.unchanged += 1  # an upload and the file it stands in for
            else:
                report.failed.append(
                    {"path": str(path), "reason": f"Trùng tên tệp với {seen[doc_id]}; mã tài liệu là tên tệp."}
                )
            continue
        seen[doc_id] = path
        if record is not None and digest in (record.hash, record.restored_over):
            report.unchanged += 1
        elif record is None and digest in gone.get(doc_id, ()):
            report.left_out += 1
        else:
            todo.append((path, doc_id, digest))
    return todo, seen


def _write(
    todo,
    index: Index,
    existing: set[str],
    owners: dict[str, str],
    max_bytes: int,
    report: Report,
    bar,
    on_progress,
    lock: AbstractContextManager,
    reads: Reads,
    stands_in: dict[str, str],
    access: dict[str, Owner],
    allow_classified: bool = False,
) -> None:
    """Prepare, embed and write the documents in groups of about _WRITE_CHUNKS chunks;
    `owners` (text hash -> id) refuses a text the index already holds under another name."""
    pending: list[NewDocument] = []

    def flush() -> None:
        if pending:
            with lock:
                index.put_documents(pending, replacing=existing & {d.record.id for d in pending})
            pending.clear()

    for done, (path, doc_id, digest) in enumerate(todo, 1):
        if on_progress:
            on_progress(done - 1, len(todo), doc_id)

        def on_page(page: int, pages: int, done=done, doc_id=doc_id) -> None:
            if on_progress and pages > 1:
                on_progress(done - 1 + page / pages, len(todo), f"{doc_id} — trang {page}/{pages}")

        try:
            doc = prepare(path, doc_id, digest, max_bytes, on_page, reads)
            if doc.record.classification and not allow_classified:
                raise BadInputFile(
                    f"Văn bản mang dấu độ mật “{doc.record.classification}”: chỉ nạp khi hệ thống chạy trên "
                    "mạng nội bộ cách ly (đặt ALLOW_CLASSIFIED=true), và chỉ tài khoản được cấp độ mật mới xem được."
                )
            doc.record.restored_over = stands_in.get(doc_id, "")
            if not doc.record.unit and doc_id in access:
                access[doc_id].apply(doc.record)
            owner = owners.setdefault(doc.record.text_hash, doc_id)
            if owner != doc_id:
                raise BadInputFile(f"Nội dung trùng với văn bản “{owner}” đã có trong chỉ mục.")
            if doc.lines:
                save_lines(index.index_dir, digest, doc.lines)
        except BadInputFile as e:
            report.failed.append({"path": str(path), "reason": str(e)})
            bar.update(1)
            continue
        new = doc.embedded(index.embedder)
        mark_near_copy(index, new)
        pending.append(new)
        if sum(len(d.chunks) for d in pending) >= _WRITE_CHUNKS:
            flush()
        report.updated += doc_id in existing
        report.added += doc_id not in existing
        bar.set_postfix_str(doc_id[:30])
        bar.update(1)
    flush()
    bar.close()
    if on_progress:
        on_progress(len(todo), len(todo), "")


def _embed(embedder, passages: list[str]):
    import numpy as np

    parts = [embedder.embed_passages(passages[i : i + _EMBED_BATCH]) for i in range(0, len(passages), _EMBED_BATCH)]
    return np.vstack(parts) if parts else np.zeros((0, 1), dtype=np.float32)


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="tệp", desc="Nạp tài liệu", disable=not enabled or total == 0)
