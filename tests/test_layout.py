"""The package's shape (issue 23): named layers with imports running one way, no import circle
(counting the imports `importlib` makes), small modules, and tests that mirror the folders.

The import graph is grimp's (the one import-linter reads), plus the two places that import a module
by name: the command line (`cli.VERBS`) and the theme registry (`themes.THEMES`), as
`sirkbok_dev.structure.module_graph` draws it. Any other `import_module` would hide an edge from this
test, so it is refused.
"""

from __future__ import annotations

import ast
from pathlib import Path

from sirkbok import cli, themes
from sirkbok_dev import structure

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "scripts" / "sirkbok"
MAX_LINES = 450
# Over the limit while helper `ideas` splits it (issue 23); remove the line when it is split.
KNOWN_LONG = {"scripts/sirkbok/datapackage/checks.py"}
# The only modules that import by name, each from a static list this test reads.
DYNAMIC = {"sirkbok/cli.py", "sirkbok/themes/__init__.py"}


def _graph() -> dict[str, set[str]]:
    """Every sirkbok and sirkbok_dev module -> the modules it imports, dynamic imports included."""
    return structure.module_graph()


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import circle, if there is any (depth-first search, iterative)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(edges):
        if start in state:
            continue
        path = [start]
        stack = [iter(sorted(edges.get(start, ())))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(edges.get(nxt, ()))))
    return None


def test_every_import_by_name_is_in_a_static_list() -> None:
    """`import_module`/`__import__` only where the test above reads the names it imports."""
    found = set()
    for path in (ROOT / "scripts").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in {"import_module", "__import__", "find_spec"}:
                    found.add(path.relative_to(ROOT / "scripts").as_posix())
    assert found == DYNAMIC
    for module, _ in cli.VERBS.values():
        assert (PACKAGE.parent / (module.replace(".", "/") + ".py")).is_file(), module
    for theme in themes.THEMES:
        assert (PACKAGE / "themes" / theme / "__init__.py").is_file(), theme


def test_the_import_graph_has_no_circle() -> None:
    assert _cycle(_graph()) is None


def test_the_cycle_finder_finds_one() -> None:
    """The check above can fail: a circle through three modules is found."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_goes_up_or_sideways() -> None:
    """Each layer of the contract (pyproject.toml) imports only layers below it; siblings on one
    layer do not import each other. Counted on the full graph, dynamic imports included."""
    rows = structure.layers(ROOT)
    level = {unit: number for number, row in enumerate(rows) for unit in row}
    units = list(level)
    wrong = []
    for module, imported in _graph().items():
        source = structure.unit_of(module, units)
        for target in imported:
            goal = structure.unit_of(target, units)
            if source and goal and source != goal and level[source] >= level[goal]:
                wrong.append(f"{module} -> {target}")
    assert wrong == []
    assert 6 <= len(rows) <= 10  # about 8 layers, each sayable in one line


def test_no_module_is_over_450_lines() -> None:
    long = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "scripts").rglob("*.py")
        if len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES
    }
    assert long <= KNOWN_LONG


def test_tests_mirror_the_package_folders() -> None:
    """Every folder of the package has a folder of tests with the same name, with tests in it."""
    folders = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert {"core", "datapackage", "reader", "themes", "pages", "run", "book"} <= folders
    for folder in folders:
        assert list((ROOT / "tests" / folder).glob("test_*.py")), f"tests/{folder}/ has no tests"
