"""The structure picture of the package: its layers and who imports whom, drawn from the code.

The layers are the ones `pyproject.toml` gives import-linter (`make lint` enforces them); the arrows are
the imports grimp finds, including those inside functions, and those made by name (`module_graph`). The picture is a Mermaid flowchart kept in
README.md between two markers, so GitHub draws it and a test can see when it is out of date.

    python -m sirkbok_dev.structure           # print the picture
    python -m sirkbok_dev.structure --write   # refresh README.md
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
START = "<!-- struktur:start (make structure) -->"
END = "<!-- struktur:end -->"


def layers(root: Path = ROOT) -> list[list[str]]:
    """The package's layers, top first, each a list of sibling units (from the import-linter contract)."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers")
    return [[unit.strip() for unit in layer.split("|")] for layer in contract["layers"]]


def unit_of(module: str, units: list[str]) -> str | None:
    """The layer unit a module belongs to: the longest unit that is the module or contains it."""
    found = [u for u in units if module == u or module.startswith(u + ".")]
    return max(found, key=len) if found else None


def module_graph() -> dict[str, set[str]]:
    """Every module of both root packages -> the modules it imports: grimp's static imports, plus
    those made by name from a static list (the command line's verbs and the theme registry)."""
    from sirkbok import cli, themes

    graph = grimp.build_graph("sirkbok", "sirkbok_dev")
    edges = {
        module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules
    }
    edges["sirkbok.cli"] |= {module for module, _ in cli.VERBS.values()}
    edges["sirkbok.themes"] |= {f"sirkbok.themes.{theme}" for theme in themes.THEMES}
    return edges


def imports(units: list[str]) -> set[tuple[str, str]]:
    """Which unit imports which, from every module of both root packages."""
    edges = set()
    for module, imported in module_graph().items():
        source = unit_of(module, units)
        for target in imported:
            goal = unit_of(target, units)
            if source and goal and source != goal:
                edges.add((source, goal))
    return edges


def _node(unit: str) -> str:
    return unit.replace(".", "_")


def picture(root: Path = ROOT) -> str:
    """The Mermaid flowchart: one row per layer, an arrow per importing pair of units."""
    rows = layers(root)
    units = [unit for row in rows for unit in row]
    lines = ["```mermaid", "flowchart TD"]
    for number, row in enumerate(rows, start=1):
        lines.append(f'  subgraph L{number}["lag {number}"]')
        lines += [f'    {_node(unit)}["{unit.removeprefix("sirkbok.")}"]' for unit in row]
        lines.append("  end")
    lines += [f"  {_node(a)} --> {_node(b)}" for a, b in sorted(imports(units))]
    lines.append("```")
    return "\n".join(lines)


def refreshed(readme: str, block: str) -> str:
    """README.md with the text between the markers replaced by `block`."""
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{block}\n{END}{tail}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="refresh the picture in README.md")
    args = parser.parse_args()
    block = picture()
    if not args.write:
        print(block)
        return 0
    readme = ROOT / "README.md"
    readme.write_text(refreshed(readme.read_text(encoding="utf-8"), block), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
