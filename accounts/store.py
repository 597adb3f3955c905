"""The accounts database: units, users, sessions, failed sign-ins, the audit trail,
conversations and feedback. SQLite beside the index by default; any SQLAlchemy URL
(PostgreSQL for several app servers) through ACCOUNTS_DB_URL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

metadata = MetaData()

units = Table(
    "units",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("parent", String(64), nullable=False, default=""),
    Column("merged_into", String(64), nullable=False, default=""),  # a unit merged away (2025 mergers)
)

users = Table(
    "users",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("unit", String(64), nullable=False, default=""),  # "" until an administrator assigns one
    Column("role", String(20), nullable=False, default="reader"),
    Column("password", String(300), nullable=False, default=""),  # Argon2id hash; "" for directory accounts
    Column("source", String(10), nullable=False, default="local"),  # local, ldap, proxy, oidc
    Column("clearance", Integer, nullable=False, default=0),  # classified levels this account may read
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created", Float, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token", String(64), primary_key=True),  # sha256 of the token the browser holds
    Column("user", String(100), nullable=False, index=True),
    Column("started", Float, nullable=False),
    Column("seen", Float, nullable=False),
    Column("ended", Boolean, nullable=False, default=False),
)

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account", String(100), nullable=False, index=True),
    Column("address", String(64), nullable=False, index=True),
    Column("at", Float, nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # consecutive: a gap is a deleted row
    Column("at", String(32), nullable=False),
    Column("actor", String(100), nullable=False, index=True),
    Column("unit", String(64), nullable=False, default=""),  # the actor's unit, for unit administrators
    Column("action", String(40), nullable=False),
    Column("target", Text, nullable=False, default=""),
    Column("detail", Text, nullable=False, default=""),  # JSON
    Column("address", String(64), nullable=False, default=""),
    Column("prev", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# One row: the last audit row's id and hash (a deleted last row shows against it).
audit_head = Table(
    "audit_head",
    metadata,
    Column("one", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

conversations = Table(
    "conversations",
    metadata,
    Column("key", String(32), primary_key=True),
    Column("owner", String(100), nullable=False, index=True),
    Column("title", String(200), nullable=False, default=""),
    Column("data", Text, nullable=False),
    Column("touched", Float, nullable=False),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner", String(100), nullable=False, index=True),
    Column("unit", String(64), nullable=False, default=""),
    Column("conversation", String(32), nullable=False),
    Column("turn", Integer, nullable=False),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("cited", Text, nullable=False, default=""),  # JSON: the cited documents and passages
    Column("verdict", String(10), nullable=False),  # "đúng" or "sai"
    Column("comment", Text, nullable=False, default=""),
    Column("at", Float, nullable=False),
)

FILE_NAME = "accounts.sqlite"
GENESIS = "0" * 64  # what the first audit row links to
_engines: dict[str, Engine] = {}


def url_for(index_dir: Path, url: str | None) -> str:
    """ACCOUNTS_DB_URL, else the SQLite file beside the index."""
    if url:
        return url
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(index_dir).resolve() / FILE_NAME}"


def engine(url: str) -> Engine:
    """One engine per database for the process, its tables made when absent."""
    made = _engines.get(url)
    if made is None:
        if url.startswith("sqlite"):
            made = create_engine(url, connect_args={"timeout": 30})
            _serialised_writes(made)
        else:
            made = create_engine(url, pool_pre_ping=True)
        metadata.create_all(made)
        _start_chain(made)
        _engines[url] = made
    return made


def _start_chain(made: Engine) -> None:
    """The audit trail's head row, there before any append (which locks it)."""
    try:
        with made.begin() as conn:
            if conn.execute(select(audit_head)).first() is None:
                conn.execute(insert(audit_head).values(one=1, last=0, hash=GENESIS))
    except IntegrityError:  # another process made it first
        pass


def _serialised_writes(made: Engine) -> None:
    """SQLite: every transaction takes the write lock at its start (BEGIN IMMEDIATE), so two
    processes appending to the audit chain never both read the same last row."""

    @event.listens_for(made, "connect")
    def _connect(dbapi, _record) -> None:
        dbapi.isolation_level = None  # let the "begin" event say how to begin

    @event.listens_for(made, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
