"""Vietnamese BM25 beside Chroma: a tantivy index on disk holding the pyvi-segmented words
and their accent-free twin (so that "can tho" finds "Cần Thơ"), ranked by Lucene's BM25.

Chroma is the source of truth: `sync` brings the index to the committed documents, one
document at a time (a cost proportional to what changed), and it can always be rebuilt
from Chroma. Several processes read it; one writes at a time (a file lock). A small
SQLite manifest beside it records which version of each document it holds, which chunk
belongs to which document, and what a write in progress touches (redone after a crash).

The same index gives the statistics answers and the diacritic restorer need: syllable
document frequencies, the accented forms of a bare syllable, and syllable pairs."""

from __future__ import annotations

import fcntl
import math
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import tantivy

from vietnamese.normalize import fold, has_diacritics, plain_query_tokens, plain_tokens_from_words, word_tokens
from vietnamese.places import place_names
from vietnamese.restore import Counts, DiacriticRestorer, question_words, syllable_runs

SCHEMA_VERSION = "1"
_BATCH = 100  # documents read from Chroma per call
_HEAP = 64_000_000  # tantivy writer memory
# (chunk id, document id, space-joined word tokens, text): how `sync` reads new chunks.
ChunkRow = tuple[str, str, str, str]


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("source", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("words", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("plain", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("forms", tokenizer_name="whitespace", index_option="basic")  # "bare:accented"
    builder.add_text_field("pairs", tokenizer_name="whitespace", index_option="basic")  # "syllable_syllable"
    return builder.build()


def _document(cid: str, source: str, tokens: str, text: str) -> tantivy.Document:
    words = tokens.split() or ["\x00"]
    syllables = syllable_runs(text)
    return tantivy.Document(
        id=cid,
        source=source,
        words=" ".join(words),
        plain=" ".join(plain_tokens_from_words(words)),
        forms=" ".join({f"{fold(s)}:{s}" for syls in syllables for s in syls}),
        pairs=" ".join({f"{a}_{b}" for syls in syllables for a, b in zip(syls, syls[1:])}),
    )


class LexicalIndex:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(
            self.path / "manifest.sqlite", timeout=60, check_same_thread=False, isolation_level=None
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db_lock = threading.Lock()
        with self._db_lock:
            self._db.executescript(
                "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
                "CREATE TABLE IF NOT EXISTS documents(id TEXT PRIMARY KEY, version TEXT);"
                "CREATE TABLE IF NOT EXISTS chunks(id TEXT PRIMARY KEY, source TEXT);"
                "CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);"
            )
        self.schema = _schema()
        self._index = self._open_tantivy()
        self.restorer = DiacriticRestorer(self, question_words(), Counts([" , ".join(place_names())] * 3))
        self.idf = lru_cache(maxsize=100_000)(self._idf)
        self.plain_idf = lru_cache(maxsize=100_000)(self._plain_idf)
        self.forms = lru_cache(maxsize=20_000)(self._forms)

    def _open_tantivy(self) -> tantivy.Index:
        """The tantivy index; one of another schema version, unreadable, or emptied behind the
        manifest's back, is started afresh (the manifest first, so a crash cannot leave it ahead)."""
        folder = self.path / "tantivy"
        with self._write_lock():
            if self._meta("schema") != SCHEMA_VERSION:
                self._forget(folder)
                self._set_meta("schema", SCHEMA_VERSION)
            folder.mkdir(exist_ok=True)
            try:
                index = tantivy.Index(self.schema, path=str(folder), reuse=True)
            except (OSError, ValueError):
                self._forget(folder)
                folder.mkdir()
                index = tantivy.Index(self.schema, path=str(folder), reuse=True)
            if index.searcher().num_docs == 0 and self._has_chunks():
                self._execute("DELETE FROM documents", "DELETE FROM chunks")
        return index

    def _forget(self, folder: Path) -> None:
        self._execute("DELETE FROM documents", "DELETE FROM chunks")
        shutil.rmtree(folder, ignore_errors=True)

    def _has_chunks(self) -> bool:
        with self._db_lock:
            return self._db.execute("SELECT 1 FROM chunks LIMIT 1").fetchone() is not None

    def close(self) -> None:
        with self._db_lock:
            self._db.close()

    # -- the manifest ------------------------------------------------------------
    def _meta(self, key: str, default: str = "") -> str:
        with self._db_lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def _set_meta(self, key: str, value: str) -> None:
        with self._db_lock:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _execute(self, *statements: str) -> None:
        with self._db_lock:
            for statement in statements:
                self._db.execute(statement)

    @contextmanager
    def _write_lock(self):
        """One writer at a time across processes (tantivy allows one; the manifest follows it)."""
        with open(self.path / "write.lock", "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def versions(self) -> dict[str, str]:
        with self._db_lock:
            return dict(self._db.execute("SELECT id, version FROM documents"))

    def sources(self, ids: Iterable[str]) -> dict[str, str]:
        """The document of each chunk id the index holds (ids it does not hold are left out)."""
        ids = list(ids)
        found: dict[str, str] = {}
        with self._db_lock:
            for i in range(0, len(ids), 500):
                part = ids[i : i + 500]
                found.update(
                    self._db.execute(f"SELECT id, source FROM chunks WHERE id IN ({','.join('?' * len(part))})", part)
                )
        return found

    def __len__(self) -> int:
        return self._index.searcher().num_docs

    # -- writing -------------------------------------------------------------
    def sync(self, wanted: dict[str, str], read: Callable[[list[str]], Iterable[ChunkRow]]) -> int:
        """Bring the index to `wanted` (document id -> version): documents gone or changed are
        deleted, new or changed ones read through `read` and added. Returns how many changed."""
        with self._write_lock():
            have = self.versions()
            redo = set(filter(None, self._meta("pending").split("\n")))  # a write a crash interrupted
            stale = {d for d, v in have.items() if wanted.get(d) != v} | redo
            new = sorted(d for d, v in wanted.items() if have.get(d) != v or d in redo)
            touched = stale | set(new)
            if not touched:  # another process may have written: read its commit
                self._reloaded()
                return 0
            self._set_meta("pending", "\n".join(sorted(touched)))
            chunks = self._write(touched, new, read)
            with self._db_lock, self._db:  # one transaction (rolled back on error)
                self._db.executemany("DELETE FROM documents WHERE id = ?", [(d,) for d in stale])
                self._db.executemany("DELETE FROM chunks WHERE source = ?", [(d,) for d in stale])
                self._db.executemany("INSERT OR REPLACE INTO documents VALUES (?, ?)", [(d, wanted[d]) for d in new])
                self._db.executemany("INSERT OR REPLACE INTO chunks VALUES (?, ?)", chunks)
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('pending', '')")
        self._reloaded()
        return len(touched)

    def _reloaded(self) -> None:
        self._index.reload()
        self.idf.cache_clear()
        self.plain_idf.cache_clear()
        self.forms.cache_clear()

    def _write(self, deleted: set[str], new: list[str], read) -> list[tuple[str, str]]:
        writer = self._index.writer(_HEAP, 1)
        try:
            for doc_id in sorted(deleted):
                writer.delete_documents_by_term("source", doc_id)
            chunks = []
            for i in range(0, len(new), _BATCH):
                for cid, source, tokens, text in read(new[i : i + _BATCH]):
                    writer.add_document(_document(cid, source, tokens, text))
                    chunks.append((cid, source))
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            writer.wait_merging_threads()  # releases tantivy's writer lock now
            raise
        return chunks

    # -- reading ---------------------------------------------------------------
    def search(
        self, query: str, k: int, sources: set[str] | None = None, accented: bool | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, BM25 score), best first: accented words for accented queries, the
        accent-free twin for queries typed without diacritics; with `sources`, only those
        documents' chunks."""
        if accented is None:
            accented = has_diacritics(query)
        field, tokens = ("words", word_tokens(query)) if accented else ("plain", plain_query_tokens(query))
        if not tokens or k <= 0 or (sources is not None and not sources):
            return []
        matching = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, field, t)) for t in tokens]
        )
        if sources is not None:
            allowed = tantivy.Query.term_set_query(self.schema, "source", sorted(sources))
            matching = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, matching), (tantivy.Occur.Must, tantivy.Query.const_score_query(allowed, 0.0))]
            )
        searcher = self._index.searcher()
        return [(searcher.doc(address)["id"][0], float(score)) for score, address in searcher.search(matching, k).hits]

    def _idf(self, syllable: str) -> float:
        """IDF of an accented syllable, or of an accent-free one when it has no accents
        and never occurs accent-free in the corpus."""
        searcher = self._index.searcher()
        n = searcher.num_docs or 1
        df = self._live(searcher, "words", syllable)
        if not has_diacritics(syllable) and df == 0:
            df = self._live(searcher, "plain", syllable)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def _plain_idf(self, syllable: str) -> float:
        """IDF of an accent-free syllable over the accent-free twin: "nam" stands for
        "năm", "nam", "nằm" when a question typed without accents is matched."""
        searcher = self._index.searcher()
        n = searcher.num_docs or 1
        df = self._live(searcher, "plain", fold(syllable))
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def _live(self, searcher: tantivy.Searcher, field: str, term: str) -> int:
        """Chunks holding a term (tantivy's `doc_freq` also counts deleted ones until a merge)."""
        if not searcher.doc_freq(field, term):
            return 0
        result = searcher.search(tantivy.Query.term_query(self.schema, field, term), 1, count=True)
        return result.count  # type: ignore[attr-defined]  # tantivy's stubs lack SearchResult.count

    def _forms(self, bare: str) -> dict[str, int]:
        """Accented forms of a bare syllable with the number of chunks holding each."""
        found = self._index.searcher().terms_with_prefix(
            "forms", f"{bare}:", filter_query=tantivy.Query.all_query(), limit=12
        )
        return {term.split(":", 1)[1]: count for term, count in found if count}

    def pairs(self, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        searcher = self._index.searcher()
        return {p: n for p in pairs if (n := self._live(searcher, "pairs", f"{p[0]}_{p[1]}"))}
