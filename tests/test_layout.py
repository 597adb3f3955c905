"""The layout the README's "How it works" describes: every source file, root files
included, imports only what lies below it; no two modules import each other, directly
or around a circle; no module imports another's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.unit

# Each top-level module or package and its rank: a module imports only from lower ranks,
# or from its own package. `ingest` and `retrieval` share a rank: neither imports the other.
RANK = {
    "errors": 0,
    "settings": 0,
    "vietnamese": 1,
    "prompts": 1,
    "index": 2,
    "ingest": 3,
    "retrieval": 3,
    "tools": 4,
    "accounts": 4,  # who is asking: above the index and the answers, below the commands and pages
    "cli": 5,  # the command edge: settings, logging, one error line
    "ui": 6,
    "evaluation": 6,
    "deploy": 6,
    "app": 7,
}
EDGE = 6  # the rank of a command: `python -m PACKAGE` runs PACKAGE/__main__.py
SKIP = {".venv", "tests", "corpus", ".index", ".git"}


def sources() -> list[Path]:
    """Every Python file of the project but the tests."""
    return sorted(p for p in ROOT.rglob("*.py") if not SKIP & set(p.relative_to(ROOT).parts))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every import of the file, those inside functions included."""
    out = []
    package = module_name(path).rsplit(".", 1)[0] if "." in module_name(path) else ""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: from . import x
                module = ".".join(filter(None, [package, module]))
            out.append((module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names]
    return out


def rank_of(path: Path) -> int:
    rel = path.relative_to(ROOT)
    if rel.name == "__main__.py":
        return EDGE
    return RANK[rel.parts[0].removesuffix(".py")]


def project_imports(path: Path) -> list[tuple[str, list[str]]]:
    return [(m, names) for m, names in imported(path) if m.split(".")[0] in RANK]


def test_every_source_file_has_a_rank():
    unknown = {p.relative_to(ROOT).parts[0] for p in sources()} - {f"{k}.py" for k in RANK} - set(RANK)
    assert not unknown, f"add {unknown} to RANK"


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_downward(path):
    own = path.relative_to(ROOT).parts[0].removesuffix(".py")
    for module, names in project_imports(path):
        top = module.split(".")[0]
        assert top == own or RANK[top] < rank_of(path), f"{path.relative_to(ROOT)} imports {module}"
        private = [n for n in names if n.startswith("_")]
        assert not private, f"{path.relative_to(ROOT)} imports private {private} from {module}"


def test_no_module_imports_a_command():
    for path in sources():
        for module, _ in project_imports(path):
            assert not module.endswith("__main__"), f"{path.relative_to(ROOT)} imports {module}"


def test_no_import_circle():
    """Module-level imports (those inside functions included) form no circle."""
    known = {module_name(p) for p in sources()}
    graph: dict[str, set[str]] = {}
    for path in sources():
        targets = set()
        for module, names in project_imports(path):
            # `from retrieval import fusion` imports the module retrieval.fusion
            subs = {f"{module}.{n}" for n in names if f"{module}.{n}" in known}
            targets |= subs or ({module} if module in known else set())
        graph[module_name(path)] = targets - {module_name(path)}
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            assert state.get(nxt) != 1, "import circle: " + " -> ".join([*trail, node, nxt])
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_the_test_suite_mirrors_the_source():
    """Tests import no other test module and no private name; each source package has its folder."""
    tests = ROOT / "tests"
    for path in tests.rglob("test_*.py"):
        for module, names in imported(path):
            assert not module.split(".")[-1].startswith("test_"), f"{path.relative_to(ROOT)} imports {module}"
            if module.split(".")[0] in RANK:
                assert not [n for n in names if n.startswith("_")], f"{path.relative_to(ROOT)} imports a private name"
    packages = {p.parts[0] for p in (x.relative_to(ROOT) for x in sources()) if len(p.parts) > 1}
    assert not packages - {p.name for p in tests.iterdir() if p.is_dir()}
