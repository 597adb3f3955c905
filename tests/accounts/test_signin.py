"""Sign-in with local passwords: Argon2id, one message for a wrong name or password, failed
attempts limited per account and per address, sessions that end (idle, absolute, sign-out,
a disabled account)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import update

from accounts import audit
from accounts.directory import Directory
from accounts.signin import WRONG, Limits, SignIn, SignInRefused
from accounts.store import engine, sessions, users
from errors import AppError

pytestmark = pytest.mark.unit

PASSWORD = "mot-mat-khau-dai"


@pytest.fixture
def db(tmp_path):
    made = engine(f"sqlite:///{tmp_path / 'accounts.sqlite'}")
    d = Directory(made)
    d.add_unit("A", "Đơn vị A")
    d.add_user("an", "A", "reader", PASSWORD)
    return made


def test_passwords_are_kept_as_argon2id_hashes_and_never_in_clear(db):
    with db.connect() as conn:
        stored = conn.execute(users.select()).first().password
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    with pytest.raises(AppError):
        Directory(db).add_user("binh", "A", "reader", "ngan")  # too short
    with pytest.raises(AppError):
        Directory(db).add_user("x y", "A", "reader", PASSWORD)


def test_a_wrong_name_and_a_wrong_password_get_the_same_answer(db):
    signin = SignIn(db, Limits())
    assert signin.password("an", PASSWORD).name == "an"
    for name, password in (("an", "sai-mat-khau-roi"), ("khong-ai", PASSWORD), ("an", ""), ("", "")):
        with pytest.raises(SignInRefused) as refused:
            signin.password(name, password, "10.0.0.9")
        assert str(refused.value) == WRONG


def test_a_brute_forced_account_is_locked_even_for_the_right_password(db):
    signin = SignIn(db, Limits(account_failures=3, address_failures=100))
    for _ in range(3):
        with pytest.raises(SignInRefused):
            signin.password("an", "doan-mo-mat-khau", "10.0.0.1")
    with pytest.raises(SignInRefused) as locked:
        signin.password("an", PASSWORD, "10.0.0.2")
    assert "tạm khóa" in str(locked.value)
    assert SignIn(db, Limits(account_failures=3, window=0)).password("an", PASSWORD).name == "an"  # after the window


def test_guesses_sent_in_parallel_get_no_more_tries_than_the_limit(db):
    signin = SignIn(db, Limits(account_failures=3, address_failures=100))

    def guess(n: int) -> str:
        try:
            signin.password("an", f"doan-mo-mat-khau-{n}", f"10.0.1.{n}")
        except SignInRefused as e:
            return "locked" if "tạm khóa" in str(e) else "wrong"
        return "in"

    with ThreadPoolExecutor(8) as pool:  # each guess checks an Argon2id hash: they overlap
        answers = list(pool.map(guess, range(16)))
    assert answers.count("wrong") == 3 and answers.count("locked") == 13
    assert [r.action for r in audit.rows(db, actor="an")].count("sign_in_failed") == 3


def test_one_address_trying_many_accounts_is_locked(db):
    signin = SignIn(db, Limits(account_failures=100, address_failures=4))
    for n in range(4):
        with pytest.raises(SignInRefused):
            signin.password(f"ten-{n}", "doan-mo-mat-khau", "10.0.0.7")
    with pytest.raises(SignInRefused) as locked:
        signin.password("an", PASSWORD, "10.0.0.7")
    assert "tạm khóa" in str(locked.value)
    assert signin.password("an", PASSWORD, "10.0.0.8").name == "an"  # another address


def test_sessions_end_on_sign_out_idle_age_and_a_disabled_account(db):
    signin = SignIn(db, Limits(idle=600, absolute=3600))
    person = signin.password("an", PASSWORD)
    token = signin.start(person)
    assert signin.resume(token) == person and signin.resume("forged-token") is None
    signin.end(token)
    assert signin.resume(token) is None

    token = signin.start(person)
    with db.begin() as conn:
        conn.execute(update(sessions).values(seen=0.0))  # unused for a long time
    assert signin.resume(token) is None

    token = signin.start(person)
    with db.begin() as conn:
        conn.execute(update(sessions).values(started=0.0))  # used all along, but too old
    assert signin.resume(token) is None

    token = signin.start(person)
    Directory(db).change("an", disabled=True)
    assert signin.resume(token) is None  # the old session of a disabled account is dead
    with pytest.raises(SignInRefused):
        signin.password("an", PASSWORD)


def test_a_new_account_has_no_unit_and_so_no_access(db):
    Directory(db).add_user("moi", "", "reader", PASSWORD)
    person = SignIn(db, Limits()).password("moi", PASSWORD)
    assert person.unit == "" and person.role == "reader"


def test_signing_in_clears_only_the_failures_from_that_address(db):
    signin = SignIn(db, Limits(account_failures=3, address_failures=100))
    for _ in range(2):
        with pytest.raises(SignInRefused):
            signin.password("an", "doan-mo-mat-khau", "10.9.9.9")  # someone else guessing
    assert signin.password("an", PASSWORD, "10.0.0.1").name == "an"  # the owner, elsewhere
    with pytest.raises(SignInRefused):
        signin.password("an", "doan-tiep-mat-khau", "10.9.9.9")
    with pytest.raises(SignInRefused, match="tạm khóa"):  # the guesser's count was not wiped
        signin.password("an", "doan-nua-mat-khau", "10.9.9.9")
