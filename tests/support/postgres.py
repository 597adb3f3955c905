"""A real PostgreSQL (Debian's package) on 127.0.0.1, in a temporary cluster: the shared
accounts database of several app servers. Run as the `postgres` user when the tests run as
root (PostgreSQL refuses root)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.conftest import free_port

PASSWORD = "mat-khau-csdl"


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else name


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start() -> tuple[subprocess.Popen, str, Path]:
    """(server, SQLAlchemy URL, its folder to remove)."""
    folder = Path(tempfile.mkdtemp(prefix="pg-"))
    (folder / "pw").write_text(PASSWORD)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(folder / "pw", "postgres")
    data = folder / "data"
    subprocess.run(
        _as_owner([_bin("initdb"), "-D", str(data), "-U", "tro", f"--pwfile={folder / 'pw'}", "-A", "scram-sha-256"]),
        check=True,
        capture_output=True,
    )
    port = free_port()
    server = subprocess.Popen(
        _as_owner(
            [_bin("postgres"), "-D", str(data), "-p", str(port), "-k", str(folder), "-c", "listen_addresses=127.0.0.1"]
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = dict(os.environ, PGPASSWORD=PASSWORD)
    deadline = time.time() + 60
    while subprocess.run([_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port)], capture_output=True).returncode:
        if time.time() > deadline:
            raise RuntimeError("PostgreSQL did not start")
        time.sleep(0.3)
    subprocess.run(
        [_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "tro", "tro"],
        check=True,
        env=env,
        capture_output=True,
    )
    return server, f"postgresql+psycopg://tro:{PASSWORD}@127.0.0.1:{port}/tro", folder


def stop(server: subprocess.Popen, folder: Path) -> None:
    server.terminate()
    server.wait(timeout=30)
    shutil.rmtree(folder, ignore_errors=True)
