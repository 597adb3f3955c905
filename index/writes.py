"""Pending writes, safe when several processes or machines write one store.

A write lists its documents under its own key, with its host, process and start time,
before it writes their chunks, and removes the key once their records are committed.
Garbage (chunks no record owns) is collected only from writes that cannot still be
running: their process is gone (same host), or they began over an hour ago (any host).
A write under way in another process is never mistaken for an interrupted one."""

from __future__ import annotations

import json
import os
import socket
import time
import uuid

PREFIX = "pending:"
STALE_SECONDS = 3600
_ours: set[str] = set()  # this process's writes under way


def begin(doc_ids: set[str]) -> tuple[str, str]:
    """A new write's key and its entry."""
    key = PREFIX + uuid.uuid4().hex
    _ours.add(key)
    return key, json.dumps(
        {"docs": sorted(doc_ids), "host": socket.gethostname(), "pid": os.getpid(), "at": time.time()}
    )


def finished(key: str) -> None:
    _ours.discard(key)


def _running(key: str, write: dict) -> bool:
    if time.time() - write.get("at", 0) > STALE_SECONDS:
        return False
    if write.get("host") != socket.gethostname():
        return True  # another machine: only its age tells
    if write.get("pid") == os.getpid():
        return key in _ours
    try:
        os.kill(int(write["pid"]), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, KeyError, ValueError):
        return True
    return True


def abandoned(meta: dict) -> dict[str, list[str]]:
    """Keys of interrupted writes and their documents."""
    out = {}
    for key, value in meta.items():
        if key == "pending" and value not in ("", "[]"):  # the single list of older versions
            out[key] = json.loads(value)
        elif key.startswith(PREFIX):
            write = json.loads(value)
            if not _running(key, write):
                out[key] = write.get("docs", [])
    return out
