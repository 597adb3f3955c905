"""Each file is read in a worker process of its own, under CPU-time, memory and wall-clock
limits: a file built to make a reader spin (a spreadsheet declaring a million rows, a
pathological PDF) is refused when a limit is reached, and the process that asked goes on.

The worker is forked from a small server process (multiprocessing's "forkserver"), never
from the app itself, whose threads and model weights a fork would copy."""

from __future__ import annotations

import logging
import multiprocessing
import resource
import signal
import sys
import threading
import time
import types
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from errors import BadInputFile
from ingest.readers import RawText, read_file
from vietnamese.numbers import number_vi

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 300  # the reader's own CPU time (OCR's Tesseract runs in a process of its own)
    memory_bytes: int = 3 * 2**30  # address space of the worker
    wall_seconds: int = 2400  # above the OCR budget of one document (ingest.scanned.MAX_OCR_SECONDS)


LIMITS = Limits()


def read_limited(path: Path, max_bytes: int, on_page=None, limits: Limits = LIMITS, reader=read_file) -> RawText:
    """`reader` (a module-level function like `read_file`) in a worker process under
    `limits`; a limit reached refuses the file."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["ingest.worker"])  # the readers imported once, in the server
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(send, reader, str(path), max_bytes, limits), daemon=True)
    with _STARTING, _without_main():
        worker.start()
    send.close()
    deadline = time.monotonic() + limits.wall_seconds
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BadInputFile(f"Đọc tệp quá {limits.wall_seconds} giây; tệp bị từ chối.", lasting=False)
            if not receive.poll(min(left, 1.0)):
                continue
            try:
                kind, value = receive.recv()
            except EOFError:  # the worker died without a word: a limit the kernel enforced
                worker.join(5)
                raise BadInputFile(*_death(worker.exitcode, limits)) from None
            if kind == "page" and on_page is not None:
                on_page(*value)
            elif kind == "text":
                return value
            elif kind == "refused":
                raise BadInputFile(*value)
    finally:
        receive.close()
        if worker.is_alive():
            worker.kill()
        worker.join(5)


_STARTING = threading.Lock()  # one start at a time: `__main__` is stood in for while it starts


@contextmanager
def _without_main():
    """Multiprocessing runs the caller's main script again in each worker, to rebuild its
    globals: Streamlit's launcher (a second of imports per file), and for `python -` or `-c`
    a script that is not there, so the worker dies. The worker needs none of it: while it
    starts, `__main__` is an empty module."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _death(code: int | None, limits: Limits) -> tuple[str, bool]:
    """Why the worker died, and whether reading again would end the same way."""
    if code == -signal.SIGXCPU or code == -signal.SIGKILL:
        return f"Đọc tệp vượt giới hạn {limits.cpu_seconds} giây CPU; tệp bị từ chối.", True
    return f"Trình đọc tệp dừng bất thường (mã {code}); tệp bị từ chối.", False


def _work(send, reader, path: str, max_bytes: int, limits: Limits) -> None:
    """In the worker: set the limits, read, and send the text or the reason it was refused."""
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    try:
        raw = reader(Path(path), max_bytes, lambda done, total: send.send(("page", (done, total))))
        send.send(("text", raw))
    except BadInputFile as e:
        send.send(("refused", (str(e), e.lasting)))
    except MemoryError:
        send.send(
            ("refused", (f"Đọc tệp cần hơn {number_vi(limits.memory_bytes // 2**20)} MB bộ nhớ; tệp bị từ chối.", True))
        )
    except Exception as e:  # a reader's own failure on a malformed file: refused, logged for the admin
        log.warning("reader failed on %s", path, exc_info=True)
        send.send(("refused", (f"Không đọc được tệp ({e.__class__.__name__}).", True)))
    finally:
        send.close()
