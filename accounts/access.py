"""The one place that decides who may do what to which document (`may`) and which
documents a person may read (`readable`), and who may manage which accounts
(`may_manage`). Every path asks here: retrieval, answers,
citations, page views, downloads, the library, versions, the tools and their exports,
the command line.

A document belongs to a unit and is seen, besides by its unit:
- `unit`: by the units above it (reports travel up);
- `below`: also by every unit under it (directives travel down);
- `all`: by everyone with a unit;
and by the units named in its grants (and those above them). A document without a unit
is seen by administrators only, until one assigns it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from accounts.units import Tree
from index.records import DocRecord

ROLES = ("reader", "editor", "unit_admin", "auditor", "admin")
VISIBILITIES = ("unit", "below", "all")
LEVELS = {"": 0, "Mật": 1, "Tối mật": 2, "Tuyệt mật": 3}  # classified levels, lowest first


class Action(Enum):
    READ = "read"  # see the document anywhere: answers, citations, pages, tools, exports
    CHANGE = "change"  # upload, replace, restore, remove
    SHARE = "share"  # change its unit, visibility or grants
    AUDIT = "audit"  # read the audit trail


@dataclass(frozen=True)
class Person:
    name: str
    unit: str = ""
    role: str = "reader"
    clearance: int = 0
    local: bool = False  # the machine's own administrator (no AUTH set, or a command without --user)

    @property
    def admin(self) -> bool:
        return self.role == "admin"


LOCAL_ADMIN = Person("(quản trị máy này)", role="admin", clearance=max(LEVELS.values()), local=True)


@dataclass(frozen=True)
class Reach:
    """What one person's unit reaches: its own units (itself and all under it) and those above."""

    unit: str
    own: frozenset[str]
    above: frozenset[str]


def reach(person: Person, tree: Tree) -> Reach | None:
    """The units a person reads through; None for no unit (or a role that reads no documents)."""
    if not person.unit or person.role == "auditor" or person.unit not in tree:
        return None
    unit = tree.current(person.unit)
    return Reach(unit, frozenset(tree.below(unit)), frozenset(tree.above(unit)))


def may(person: Person, action: Action, record: DocRecord | None, tree: Tree, where: Reach | None = None) -> bool:
    """Whether `person` may do `action` to the document of `record` (None: to no document in
    particular, as reading the audit trail); `where`: their reach, when the caller checks
    many documents."""
    if action is Action.AUDIT:
        return person.role in ("admin", "auditor", "unit_admin")
    if record is None or LEVELS.get(record.classification, max(LEVELS.values())) > person.clearance:
        return False
    if person.admin:
        return True
    where = where or reach(person, tree)
    if where is None or not record.unit:
        return False
    owner = tree.current(record.unit)
    if action is Action.READ:
        return _sees(where, owner, record, tree)
    if action is Action.CHANGE:
        return person.role in ("editor", "unit_admin") and owner == where.unit
    return person.role == "unit_admin" and owner == where.unit  # SHARE


def audit_units(person: Person, tree: Tree) -> set[str] | None:
    """Whose audit rows `person` reads: everyone's (None) for administrators and auditors;
    a unit administrator those of their unit and the units under it."""
    if person.role in ("admin", "auditor"):
        return None
    return tree.below(person.unit) if person.unit else set()


def _sees(where: Reach, owner: str, record: DocRecord, tree: Tree) -> bool:
    if owner in where.own or record.visibility == "all":
        return True
    if record.visibility == "below" and owner in where.above:
        return True
    granted = {tree.current(g) for g in record.grants.split("; ") if g}
    return bool(granted & where.own)


def readable(person: Person, records: dict[str, DocRecord], tree: Tree) -> set[str]:
    """Ids of the documents `person` may read."""
    sees = reader(person, tree)
    return {i for i, r in records.items() if sees(r)}


def reader(person: Person, tree: Tree):
    """`record -> bool`: whether `person` may read it (their reach worked out once)."""
    where = reach(person, tree)
    return lambda record: may(person, Action.READ, record, tree, where)


GIVEN_BY_UNIT_ADMIN = ("reader", "editor")  # the roles a unit administrator may give or take


def may_manage(person: Person, unit: str, role: str, tree: Tree, clearance: int = 0) -> bool:
    """Whether `person` may manage an account of `unit` with `role` and `clearance`, or give an
    account that unit and role: an administrator any; a unit administrator the readers and
    editors of their own unit, cleared no higher than themselves (else a new password would
    let them read as that account)."""
    if person.admin:
        return True
    return (
        person.role == "unit_admin"
        and bool(person.unit)
        and bool(unit)
        and unit in tree
        and tree.current(unit) == person.unit
        and role in GIVEN_BY_UNIT_ADMIN
        and clearance <= person.clearance
    )
