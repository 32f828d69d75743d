"""What each notebook depends on, and whether its recorded outputs are still what those inputs make.

Inputs are declared, not guessed: the notebook's own source (cells, tags, kernel and `sirkbok`
metadata, not outputs), the CSV files of the tables it lists in `metadata.sirkbok.tables` plus the
data package descriptor, and the `sirkbok` modules its code imports (followed transitively,
statically). Everything is compared by SHA-256 of the content, never by modification time, so a
fresh clone agrees with the tree it came from. `record` is the one provenance record an executed
notebook carries, in the book or in a researcher's folder. This module stays light (no pandas,
papermill or nbformat) because `--check` and a no-op run must answer in well under a second.
"""

from __future__ import annotations

import ast
import hashlib
import json
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from sirkbok.core import files
from sirkbok.core.errors import Problem, UserError
from sirkbok.datapackage import descriptor
from sirkbok.run.imports import PACKAGE_DIR, package_files, package_key

__all__ = ["PACKAGE_DIR", "package_files", "package_key"]  # what a notebook's code imports
# Cell metadata written by editors or by execution: never part of what a notebook *is*.
VOLATILE_CELL_METADATA = {
    "execution",
    "papermill",
    "collapsed",
    "scrolled",
    "jupyter",
    "ExecuteTime",
    "trusted",
    "vscode",
}
# Temporary files of an interrupted write: `.NAME.tmpPID` (ours and `sirkbok.reader.charts`).
TEMPORARY = files.TEMPORARY


def sha256_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def sha256_file(path: Path) -> str | None:
    """The file's hash, or None when it does not exist."""
    try:
        return sha256_bytes(path.read_bytes())
    except FileNotFoundError:
        return None


def notebooks(root: Path) -> list[Path]:
    """Every notebook of the book, sorted; checkpoints, hidden and temporary files are not."""
    chapters = root / "chapters"
    found = []
    for path in chapters.rglob("*.ipynb"):
        parts = path.relative_to(chapters).parts
        if any(part.startswith(".") or part == "_build" for part in parts):
            continue
        found.append(path)
    return sorted(found)


def read(path: Path) -> dict:
    """The notebook as JSON (no nbformat: this is on the no-op path)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UserError(
            Problem(file=str(path), message=f"Notatboka er ikke gyldig JSON ({error}).")
        ) from None


def sirkbok_metadata(notebook: dict) -> dict:
    return notebook.get("metadata", {}).get("sirkbok", {}) or {}


def declared_tables(notebook: dict) -> list[str]:
    tables = sirkbok_metadata(notebook).get("tables", [])
    return [str(t) for t in tables] if isinstance(tables, list) else []


def _text(source: str | list[str]) -> str:
    return "".join(source) if isinstance(source, list) else source


def source_hash(notebook: dict) -> str:
    """Hash of what a person edits: running the notebook (outputs, counts, provenance) keeps it."""
    metadata = notebook.get("metadata", {})
    own = {key: value for key, value in sirkbok_metadata(notebook).items() if key != "provenance"}
    cells = []
    for cell in notebook.get("cells", []):
        cell_metadata = {
            k: v for k, v in cell.get("metadata", {}).items() if k not in VOLATILE_CELL_METADATA
        }
        cells.append([cell.get("cell_type"), _text(cell.get("source", "")), cell_metadata])
    canonical = {"kernelspec": metadata.get("kernelspec"), "sirkbok": own, "cells": cells}
    return sha256_bytes(json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode())


def outputs_hash(notebook: dict) -> str:
    """Hash of what running made (outputs, counts): catches a notebook run and saved by hand."""
    made = [
        [cell.get("execution_count"), cell.get("outputs", [])]
        for cell in notebook.get("cells", [])
        if cell.get("cell_type") == "code"
    ]
    return sha256_bytes(json.dumps(made, sort_keys=True, ensure_ascii=False).encode())


def code_of(notebook: dict) -> list[str]:
    """Code cells without IPython magics and shell escapes, which are not Python."""
    sources = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        lines = [
            line
            for line in _text(cell.get("source", "")).splitlines()
            if not line.lstrip().startswith(("%", "!", "?"))
        ]
        sources.append("\n".join(lines))
    return sources


def parameters_source(notebook: dict) -> str | None:
    """The source of the cell tagged `parameters`, as papermill finds it."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            return _text(cell.get("source", ""))
    return None


def parameter_names(notebook: dict) -> list[str]:
    """Names assigned in the `parameters` cell, in order."""
    source = parameters_source(notebook)
    if source is None:
        return []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names: list[str] = []
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else ([node.target] if isinstance(node, ast.AnnAssign) else [])
        )
        for target in targets:
            if isinstance(target, ast.Name) and target.id not in names:
                names.append(target.id)
    return names


def table_files(root: Path, tables: list[str]) -> tuple[dict[str, Path], list[Problem]]:
    """Each declared table's CSV, from the data package (data/<table>.csv until there is one)."""
    paths: dict[str, str] = {}
    problems: list[Problem] = []
    if (root / "data" / descriptor.DESCRIPTOR).is_file():
        try:
            package = descriptor.descriptor(root / "data")
            paths = {r["name"]: r["path"] for r in package.get("resources", []) if "name" in r}
        except UserError as error:
            problems += error.problems
        except (KeyError, TypeError) as error:
            problems.append(
                Problem(
                    file="data/datapackage.json", message=f"Datapakken kan ikke leses ({error})."
                )
            )
    files = {}
    for table in tables:
        if paths and table not in paths:
            problems.append(
                Problem(
                    file="data/datapackage.json",
                    message=f"Tabellen «{table}» er oppgitt av en notatbok, men finnes "
                    "ikke i datapakken.",
                    found=table,
                    expected="en av " + ", ".join(sorted(paths)),
                )
            )
            continue
        files[table] = root / "data" / paths.get(table, f"{table}.csv")
    return files, problems


@dataclass
class Inputs:
    """Everything one notebook was (or would be) made from."""

    path: Path
    relative: str
    tables: list[str]
    hashes: dict[str, str | None]
    problems: list[Problem] = field(default_factory=list)


def inputs(root: Path, path: Path, notebook: dict) -> Inputs:
    """Current hashes of every input of the notebook at `path`, keyed by path in the book."""
    relative = path.relative_to(root).as_posix()
    tables = declared_tables(notebook)
    files, problems = table_files(root, tables)
    hashes: dict[str, str | None] = {relative: source_hash(notebook)}
    for file in [root / "data" / "datapackage.json", *files.values()]:
        hashes[file.relative_to(root).as_posix()] = sha256_file(file)
    for module in package_files(code_of(notebook), root):
        hashes[package_key(module)] = sha256_file(module)
    return Inputs(path=path, relative=relative, tables=tables, hashes=hashes, problems=problems)


def recorded(notebook: dict) -> dict | None:
    record = sirkbok_metadata(notebook).get("provenance")
    return record if isinstance(record, dict) else None


# The software a run used, recorded with its outputs.
VERSIONED = [
    "pandas",
    "altair",
    "vl-convert-python",
    "papermill",
    "nbformat",
    "nbclient",
    "ipykernel",
    "sirkbok",
]


def versions() -> dict[str, str]:
    found = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in VERSIONED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def record(
    inputs: dict[str, str | None],
    executed: dict,
    parameters: dict[str, Any],
    figures: dict[str, str],
) -> dict[str, Any]:
    """The provenance record an executed notebook carries in `metadata.sirkbok.provenance`, the
    same whether it ran in place in the book or into a researcher's folder: the hashes of its
    inputs and of its outputs (`executed`, before the record is added), the parameters as the
    kernel saw them, the software versions, and each figure's hash keyed by its path from the
    book's root (or the run's folder)."""
    return {
        "inputs": inputs,
        "outputs": outputs_hash(executed),
        "parameters": parameters,
        "versions": versions(),
        "figures": figures,
    }
