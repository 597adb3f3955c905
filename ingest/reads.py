"""What each file gave when it was read, kept beside the index by content hash: its text, or
why it was refused. A rebuild (a new embedding model, a new store) and a second run over the
same files read nothing again: OCR of a scan takes minutes a page, a spreadsheet bomb its
whole CPU limit. Only lasting outcomes are kept; a refusal because of this machine (a
program not installed, a size setting) or a scan cut short by time is read again next time."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from errors import BadInputFile
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

    def _path(self, key: str) -> Path:
        key = hashlib.sha256(f"{READ_VERSION}:{key}".encode()).hexdigest()[:40]
        return self.folder / f"{key}.json.gz"

    def get(self, key: str) -> RawText | None:
        """The text read earlier, or None; a file refused earlier raises its refusal again."""
        if not self.reuse:
            return None
        try:
            kept = json.loads(gzip.decompress(self._path(key).read_bytes()))
        except (OSError, ValueError, EOFError):  # absent, or cut short by a crash: read again
            return None
        if "refused" in kept:
            raise BadInputFile(kept["refused"])
        kept["lines"] = {int(page): box for page, box in kept.get("lines", {}).items()}
        return RawText(**kept)

    def keep(self, key: str, raw: RawText) -> None:
        if raw.lasting:
            self._write(key, asdict(raw))

    def keep_refusal(self, key: str, error: BadInputFile) -> None:
        if error.lasting:
            self._write(key, {"refused": str(error)})

    def forget_others(self, keys: set[str]) -> int:
        """Drop the texts of files the index no longer holds (refusals are kept: they are
        small, and a refused file tends to come back)."""
        wanted = {self._path(k).name for k in keys}
        dropped = 0
        for path in self.folder.glob("*.json.gz") if self.folder.exists() else ():
            if path.name in wanted or path.stat().st_size < 4096 and _refusal(path):
                continue
            path.unlink(missing_ok=True)
            dropped += 1
        return dropped

    def _write(self, key: str, kept: dict) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(gzip.compress(json.dumps(kept, ensure_ascii=False).encode(), compresslevel=6))
        tmp.replace(path)


def _refusal(path: Path) -> bool:
    try:
        return "refused" in json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError, EOFError):
        return False
