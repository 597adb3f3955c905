"""A real OpenLDAP server (Debian's slapd) on 127.0.0.1, in a temporary folder, with one
organisation and its people."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import ldap3

from tests.conftest import free_port

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SUFFIX = "dc=example,dc=org"
ADMIN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "quan-tri-thu-muc"
USER_DN = f"uid={{name}},ou=people,{SUFFIX}"

CONFIG = """include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
database mdb
suffix "{suffix}"
rootdn "{admin}"
rootpw {password}
directory {folder}/db
"""


def start(folder: Path, people: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """slapd serving `people` (uid -> password); (process, ldap://127.0.0.1:port). It also
    listens on 127.0.0.2, an address the app treats as another machine's."""
    (folder / "db").mkdir(parents=True)
    conf = folder / "slapd.conf"
    conf.write_text(CONFIG.format(folder=folder, suffix=SUFFIX, admin=ADMIN, password=ADMIN_PASSWORD))
    port = free_port()
    url = f"ldap://127.0.0.1:{port}"
    listen = f"{url}/ ldap://127.0.0.2:{port}/"
    proc = subprocess.Popen([SLAPD, "-f", str(conf), "-h", listen, "-d", "0"], stderr=subprocess.DEVNULL)
    conn = _admin(url)
    conn.add(SUFFIX, ["dcObject", "organization"], {"dc": "example", "o": "Ví dụ"})
    conn.add(f"ou=people,{SUFFIX}", ["organizationalUnit"], {"ou": "people"})
    for uid, password in people.items():
        conn.add(
            USER_DN.format(name=uid),
            ["inetOrgPerson"],
            {"uid": uid, "cn": uid, "sn": uid, "userPassword": password},
        )
        assert conn.result["result"] == 0, conn.result
    conn.unbind()
    return proc, url


def _admin(url: str) -> ldap3.Connection:
    deadline = time.time() + 30
    while True:
        try:
            return ldap3.Connection(ldap3.Server(url), ADMIN, ADMIN_PASSWORD, auto_bind=True)
        except ldap3.core.exceptions.LDAPException:
            if time.time() > deadline:
                raise
            time.sleep(0.2)
