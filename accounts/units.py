"""The units as a tree: a province above its departments, districts, communes and wards.
A unit merged into another (the 2025 mergers) answers to the one it joined; its children
were re-pointed when it merged."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    parent: str = ""
    merged_into: str = ""


class Tree:
    def __init__(self, found: list[Unit]) -> None:
        self.units = {u.code: u for u in found}
        self.children: dict[str, set[str]] = {}
        for u in found:
            self.children.setdefault(self.current(u.parent) if u.parent else "", set()).add(u.code)

    def __contains__(self, code: str) -> bool:
        return code in self.units

    def name(self, code: str) -> str:
        unit = self.units.get(code)
        return unit.name if unit else code

    def live(self) -> list[str]:
        """The codes of the units not merged away, sorted."""
        return sorted(c for c, u in self.units.items() if not u.merged_into)

    def current(self, code: str) -> str:
        """The unit a code stands for now: itself, or the one it was merged into."""
        seen = set()
        while code in self.units and self.units[code].merged_into and code not in seen:
            seen.add(code)
            code = self.units[code].merged_into
        return code

    def above(self, code: str) -> list[str]:
        """The units over `code`, nearest first."""
        found: list[str] = []
        code = self.current(code)
        while code in self.units and self.units[code].parent:
            code = self.current(self.units[code].parent)
            if code in found:  # a loop left by hand-edited data: stop rather than spin
                break
            found.append(code)
        return found

    def below(self, code: str) -> set[str]:
        """`code` and every unit under it, merged-away codes included."""
        out, todo = set(), [self.current(code)]
        while todo:
            c = todo.pop()
            if c in out:
                continue
            out.add(c)
            todo += self.children.get(c, ())
        return out | {c for c in self.units if self.current(c) in out}
