"""What each file gave when it was read, kept beside the index by content hash: its text, or
why it was refused. A rebuild (a new embedding model, a new store) and a second run over the
same files read nothing again: OCR of a scan takes minutes a page, a spreadsheet bomb its
whole CPU limit. Only lasting outcomes are kept; a refusal because of this machine (a
program not installed, a size setting) or a scan cut short by time is read again next time."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from errors import BadInputFile
from index.atomic import write_atomic
from ingest.readers import RawText

READ_VERSION = "1"  # bump when a reader changes what it gives for the same file


def read_key(name: str, digest: str) -> str:
    """What a reading depends on: the file's content and its kind (the same bytes named
    .ods are refused, named .xlsx read)."""
    return f"{Path(name).suffix.lower()}:{digest}"


class Reads:
    def __init__(self, index_dir: Path, reuse: bool = True) -> None:
        self.folder = Path(index_dir) / "reads"
        self.reuse = reuse  # False: read every file again (what is read is still kept)

    def _path(self, key: str, kind: str = "text") -> Path:
        """`kind`: "text" (gzip JSON of the reading) or "refused" (the reason, plain JSON)."""
        name = hashlib.sha256(f"{READ_VERSION}:{key}".encode()).hexdigest()[:40]
        return self.folder / (f"{name}.text.json.gz" if kind == "text" else f"{name}.refused.json")

    def get(self, key: str) -> RawText | None:
        """The text read earlier, or None; a file refused earlier raises its refusal again."""
        if not self.reuse:
            return None
        refused = self._refused(key)
        if refused:
            raise BadInputFile(refused)
        try:
            kept = json.loads(gzip.decompress(self._path(key).read_bytes()))
        except (OSError, ValueError, EOFError):  # absent, or cut short by a crash: read again
            return None
        kept["lines"] = {int(page): box for page, box in kept.get("lines", {}).items()}
        return RawText(**kept)

    def _refused(self, key: str) -> str:
        """Why the file was refused before, or "" (never refused, or the note cut short by a crash)."""
        try:
            return str(json.loads(self._path(key, "refused").read_text(encoding="utf-8"))["refused"])
        except (OSError, ValueError, KeyError):
            return ""

    def keep(self, key: str, raw: RawText) -> None:
        self._path(key, "refused").unlink(missing_ok=True)  # read after all (--reread)
        if raw.lasting:
            write_atomic(self._path(key), gzip.compress(json.dumps(asdict(raw), ensure_ascii=False).encode()))

    def keep_refusal(self, key: str, error: BadInputFile) -> None:
        self._path(key).unlink(missing_ok=True)
        if error.lasting:
            write_atomic(self._path(key, "refused"), json.dumps({"refused": str(error)}, ensure_ascii=False).encode())

    def forget_others(self, keys: set[str]) -> int:
        """Drop the texts of files the index no longer holds (refusals are kept: they are
        small, and a refused file tends to come back). Only names are compared."""
        wanted = {self._path(k).name for k in keys}
        dropped = 0
        for path in self.folder.glob("*.text.json.gz") if self.folder.exists() else ():
            if path.name not in wanted:
                path.unlink(missing_ok=True)
                dropped += 1
        return dropped
