"""Accounts, sessions and the audit trail in PostgreSQL (ACCOUNTS_DB_URL), as several app
servers share them: a session started by one process is resumed by another, and two
processes appending to the audit trail at once keep one unbroken chain."""

from __future__ import annotations

import subprocess
import sys

import pytest

from accounts import audit
from accounts.directory import Directory
from accounts.signin import Limits, SignIn
from accounts.store import engine
from tests.conftest import ROOT
from tests.support import postgres

pytestmark = pytest.mark.integration

APPEND = """
import sys
from accounts import audit
from accounts.store import engine
db = engine(sys.argv[1])
for n in range(40):
    audit.append(db, sys.argv[2], "question", "", {"n": n})
"""


@pytest.fixture(scope="module")
def url():
    server, made, folder = postgres.start()
    yield made
    postgres.stop(server, folder)


def test_a_session_started_by_one_server_is_resumed_by_another(url):
    db = engine(url)
    Directory(db).add_unit("A", "Đơn vị A")
    Directory(db).add_user("an", "A", "reader", "mot-mat-khau-dai")
    token = SignIn(db, Limits()).start(SignIn(db, Limits()).password("an", "mot-mat-khau-dai", "10.0.0.4"))
    other = subprocess.run(
        [sys.executable, "-c", f"from accounts.signin import SignIn, Limits; from accounts.store import engine; "
         f"print(SignIn(engine({url!r}), Limits()).resume({token!r}).name)"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert other.stdout.strip() == "an", other.stderr


def test_two_processes_appending_at_once_keep_one_chain(url):
    writers = [
        subprocess.Popen([sys.executable, "-c", APPEND, url, f"may-{n}"], cwd=ROOT, stderr=subprocess.PIPE)
        for n in (1, 2)
    ]
    for w in writers:
        assert w.wait(timeout=120) == 0, w.stderr.read() if w.stderr else ""
    db = engine(url)
    assert audit.verify(db) == []
    assert len([r for r in audit.rows(db) if r.actor.startswith("may-")]) == 80


GUESS = """
import sys
from concurrent.futures import ThreadPoolExecutor
from accounts.signin import Limits, SignIn, SignInRefused
from accounts.store import engine
signin = SignIn(engine(sys.argv[1]), Limits(account_failures=3, address_failures=100))
def guess(n):
    try:
        signin.password("binh", f"doan-{sys.argv[2]}-{n}", f"10.1.{sys.argv[2]}.{n}")
    except SignInRefused as e:
        return "locked" if "tạm khóa" in str(e) else "wrong"
    return "in"
with ThreadPoolExecutor(4) as pool:
    print(" ".join(pool.map(guess, range(8))))
"""


def test_guesses_from_two_servers_at_once_get_no_more_tries_than_the_limit(url):
    Directory(engine(url)).add_user("binh", "", "reader", "mat-khau-cua-binh")
    servers = [
        subprocess.Popen(
            [sys.executable, "-c", GUESS, url, str(n)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    answers = []
    for s in servers:
        out, err = s.communicate(timeout=120)
        assert s.returncode == 0, err
        answers += out.split()
    assert answers.count("wrong") == 3 and answers.count("locked") == 13
