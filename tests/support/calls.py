"""Record the calls of some functions while a block runs, with the first argument each
got, whatever module imported them (a profile hook sees every Python call)."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def recorded(*functions: Callable) -> Iterator[dict[str, list]]:
    """`{function name: [its first argument after self, per call]}`."""
    codes = {getattr(f, "__func__", f).__code__: getattr(f, "__qualname__", f.__name__) for f in functions}
    calls: dict[str, list] = defaultdict(list)

    def hook(frame, event, arg):
        if event == "call" and frame.f_code in codes:
            names = frame.f_code.co_varnames[: frame.f_code.co_argcount + (frame.f_code.co_flags & 0x04 and 1)]
            values = [frame.f_locals.get(n) for n in names if n not in ("self", "cls")]
            calls[codes[frame.f_code]].append(values[0] if values else None)

    previous = sys.getprofile()
    sys.setprofile(hook)
    try:
        yield calls
    finally:
        sys.setprofile(previous)
