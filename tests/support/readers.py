"""Readers that misbehave on purpose, run by the worker under its limits."""

from __future__ import annotations

import time


def spins(path, max_bytes, on_page):
    while True:
        pass


def sleeps(path, max_bytes, on_page):
    time.sleep(3600)


def hoards(path, max_bytes, on_page):
    return [bytearray(2**20) for _ in range(100_000)]  # 100 GB


def dies(path, max_bytes, on_page):
    import os

    os._exit(3)
