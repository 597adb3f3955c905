"""Sign-in against a real directory (Debian's slapd): a bind as the user; the account is
made without access the first time; a wrong, empty or crafted password or name gets nothing."""

from __future__ import annotations

import pytest

from accounts.directory import Directory
from accounts.signin import WRONG, Checker, Limits, SignIn, SignInRefused
from accounts.store import engine
from tests.support import slapd

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    people = {"lan": "mat-khau-thu-muc", "binh": "khac-han-nhe", "quantri": "mat-khau-cua-thu-muc"}
    proc, url = slapd.start(tmp_path_factory.mktemp("slapd"), people)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def signin_for(url: str, tmp_path) -> SignIn:
    db = engine(f"sqlite:///{tmp_path / 'accounts.sqlite'}")
    Directory(db).add_unit("A", "Đơn vị A")
    return SignIn(db, Limits(), Checker("ldap", url, slapd.USER_DN))


def test_a_directory_account_signs_in_and_waits_for_a_unit(directory, tmp_path):
    signin = signin_for(directory, tmp_path)
    person = signin.password("lan", "mat-khau-thu-muc", "10.0.0.3")
    assert (person.name, person.unit) == ("lan", "")  # no access until an administrator gives a unit
    row = Directory(signin.db).row("lan")
    assert row.source == "ldap" and row.password == ""  # the directory keeps the password, not us
    Directory(signin.db).change("lan", unit="A")
    assert signin.password("lan", "mat-khau-thu-muc").unit == "A"


@pytest.mark.parametrize(
    "name, password",
    [
        ("lan", "sai-mat-khau"),
        ("lan", ""),  # an empty password would be an anonymous bind: never a sign-in
        ("khong-co-ai", "mat-khau-thu-muc"),
        ("lan,ou=people", "mat-khau-thu-muc"),
        ("*", "mat-khau-thu-muc"),
        ("binh", "mat-khau-thu-muc"),  # another person's password
    ],
)
def test_wrong_empty_and_crafted_credentials_get_nothing(directory, tmp_path, name, password):
    with pytest.raises(SignInRefused) as refused:
        signin_for(directory, tmp_path).password(name, password)
    assert str(refused.value) == WRONG


def test_a_disabled_directory_account_stays_out(directory, tmp_path):
    signin = signin_for(directory, tmp_path)
    signin.password("binh", "khac-han-nhe")
    Directory(signin.db).change("binh", disabled=True)
    with pytest.raises(SignInRefused):
        signin.password("binh", "khac-han-nhe")


def test_an_unreachable_directory_is_said_plainly(tmp_path):
    from tests.conftest import free_port

    with pytest.raises(SignInRefused) as refused:
        signin_for(f"ldap://127.0.0.1:{free_port()}", tmp_path).password("lan", "mat-khau-thu-muc")
    assert "máy chủ thư mục" in str(refused.value)


def test_names_match_without_case_as_the_directory_does(directory, tmp_path):
    signin = signin_for(directory, tmp_path)
    assert signin.password("LAN", "mat-khau-thu-muc").name == "lan"
    assert [r.name for r in Directory(signin.db).users()] == ["lan"]  # one account, not one per spelling


def test_a_local_account_is_not_opened_by_the_directory(directory, tmp_path):
    signin = signin_for(directory, tmp_path)
    Directory(signin.db).add_user("quantri", "", "admin", "mat-khau-quan-tri-may")
    with pytest.raises(SignInRefused):
        signin.password("quantri", "mat-khau-cua-thu-muc")  # the directory's quantri is not our administrator


def test_no_password_crosses_the_network_without_tls(directory, tmp_path):
    remote = directory.replace("127.0.0.1", "127.0.0.2")  # not this machine, as far as the app knows
    with pytest.raises(SignInRefused) as refused:
        signin_for(remote, tmp_path).password("lan", "mat-khau-thu-muc")
    assert "máy chủ thư mục" in str(refused.value)  # StartTLS demanded, and this slapd has no certificate
