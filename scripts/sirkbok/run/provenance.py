"""What each notebook depends on, and whether its recorded outputs are still what those inputs make.

Inputs are declared, not guessed: the notebook's own source (cells, tags, kernel and `sirkbok`
metadata, not outputs), the CSV files of the tables it lists in `metadata.sirkbok.tables` plus the
data package descriptor, and the `sirkbok` modules its code imports (followed transitively,
statically). Everything is compared by SHA-256 of the content, never by modification time, so a
fresh clone agrees with the tree it came from. This module stays light (no pandas, papermill or
nbformat) because `--check` and a no-op run must answer in well under a second.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import sirkbok
from sirkbok.core import files, paths
from sirkbok.core.errors import Problem, UserError
from sirkbok.datapackage import descriptor

PACKAGE_DIR = Path(sirkbok.__file__).resolve().parent
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
CACHE = ".sirkbok-cache"  # the book's own cache folder (regeneration, build stamps)
ANALYSIS_CACHE = "imports.json"  # in CACHE (`_AnalysisCache`)
# Temporary files of an interrupted write: `.NAME.tmpPID` (ours and `sirkbok.charts`).
TEMPORARY = files.TEMPORARY


def cache_dir(root: Path) -> Path:
    """`.sirkbok-cache/`, which ignores itself in git whatever the top-level .gitignore says."""
    folder = root / CACHE
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.is_file():
        ignore.write_text("*\n")
    return folder


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


@functools.cache
def _module_file(name: str) -> Path | None:
    """`sirkbok.charts` -> scripts/sirkbok/charts.py (or the package's __init__.py)."""
    relative = Path(*name.split(".")[1:])
    if not relative.parts:
        return PACKAGE_DIR / "__init__.py"
    for candidate in (
        PACKAGE_DIR / relative.with_suffix(".py"),
        PACKAGE_DIR / relative / "__init__.py",
    ):
        if candidate.is_file() and candidate.parent.joinpath("__init__.py").is_file():
            return candidate
    return None


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def _all_modules(prefix: str) -> set[str]:
    """Every module under a (sub)package, for imports that cannot be followed statically."""
    folder = PACKAGE_DIR.joinpath(*prefix.split(".")[1:])
    return {_module_name(p) for p in folder.rglob("*.py")} if folder.is_dir() else set()


def _imports(source: str, module: str | None) -> set[str]:
    """The `sirkbok` modules a piece of code may import (with their parent packages)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return _all_modules("sirkbok")  # cannot tell: depend on the whole package
    package = None
    if module is not None:
        own_file = _module_file(module)
        package = (
            module
            if own_file is not None and own_file.name == "__init__.py"
            else module.rpartition(".")[0]
        )
    names = _bindings(tree, module, package)
    own = _dynamic_parameters(module) if module else {}
    found: set[str] = set()
    for node, function in _walk(tree):
        if isinstance(node, ast.Import):
            found.update(
                alias.name for alias in node.names if alias.name.split(".")[0] == "sirkbok"
            )
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            if base.split(".")[0] != "sirkbok":
                continue
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # submodules, if they are
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            argument = node.args[0] if node.args else None
            if function in own and _template(argument) == own[function][1:]:
                continue  # resolved where the function is called, with the argument it gets
            found.update(_dynamic_targets(argument))
        elif isinstance(node, ast.Call):
            found.update(_call_targets(node, names, function, own))
    return found


def _walk(tree: ast.Module) -> list[tuple[ast.AST, str | None]]:
    """Every node with the top-level function (or method) it is in, if any."""
    nodes: list[tuple[ast.AST, str | None]] = []
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            nodes.extend((node, statement.name) for node in ast.walk(statement))
        else:
            nodes.extend((node, None) for node in ast.walk(statement))
    return nodes


def _absolute(node: ast.ImportFrom, package: str | None) -> str:
    base = node.module or ""
    if node.level and package:
        anchor = package.split(".")
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    return base


def _bindings(tree: ast.Module, module: str | None, package: str | None) -> dict[str, str]:
    """Names bound to `sirkbok` modules or their functions: `params` -> `sirkbok.params`, and in a
    module its own functions (`specs` -> `sirkbok.params.specs`)."""
    names: dict[str, str] = {}
    if module:
        names.update(
            {
                node.name: f"{module}.{node.name}"
                for node in tree.body
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            }
        )
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sirkbok":
                    names[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else "sirkbok"
                    )
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            if base.split(".")[0] == "sirkbok":
                names.update(
                    {alias.asname or alias.name: f"{base}.{alias.name}" for alias in node.names}
                )
    return names


def _dotted(node: ast.expr, names: dict[str, str]) -> str | None:
    """`params.default` -> `sirkbok.params.default`, through the names the code bound."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in names:
        return None
    return ".".join([names[node.id], *reversed(parts)])


def _template(argument: ast.expr | None) -> tuple[str, str] | None:
    """`f"sirkbok.themes.{theme}"` -> ("theme", "sirkbok.themes."): a prefix and one name."""
    if (
        isinstance(argument, ast.JoinedStr)
        and len(argument.values) == 2
        and isinstance(argument.values[0], ast.Constant)
        and str(argument.values[0].value).startswith("sirkbok.")
        and isinstance(argument.values[1], ast.FormattedValue)
        and isinstance(argument.values[1].value, ast.Name)
        and argument.values[1].conversion == -1
        and argument.values[1].format_spec is None
    ):
        return argument.values[1].value.id, str(argument.values[0].value)
    return None


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    return [a.arg for a in [*function.args.posonlyargs, *function.args.args]]


def _argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    if position < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args):
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == name), None)


@functools.cache
def _dynamic_parameters(module: str) -> dict[str, tuple[int, str, str]]:
    """`_dynamic_functions` of `module`, from the analysis kept between runs when it is current."""
    cache = _analysis_cache()
    kept = cache.dynamic.get(module)
    if kept is not None:
        return {
            name: (int(position), str(parameter), str(prefix))
            for name, (position, parameter, prefix) in kept.items()
        }
    found = _dynamic_functions(module)
    cache.dynamic[module] = {name: list(value) for name, value in found.items()}
    cache.changed = True
    return found


def _dynamic_functions(module: str) -> dict[str, tuple[int, str, str]]:
    """Functions of `module` that import `prefix + <one of their parameters>`, directly or through
    another such function of the module: {function: (position, parameter, prefix)}.

    `params.specs(theme)` imports `sirkbok.themes.{theme}`, and `params.default(theme, name)` calls
    `specs(theme)`: a notebook calling `params.default("tekstiler", ...)` depends on
    `sirkbok.themes.tekstiler` alone, not on every theme.
    """
    path = _module_file(module)
    if path is None:
        return {}
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except SyntaxError:
        return {}
    functions = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    found: dict[str, tuple[int, str, str]] = {}
    for name, function in functions.items():
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and _is_dynamic_import(node):
                template = _template(node.args[0] if node.args else None)
                if template and template[0] in _parameters(function):
                    found[name] = (_parameters(function).index(template[0]), *template)
    changed = True
    while changed:  # a function passing its own parameter on to one of these is one of these
        changed = False
        for name, function in functions.items():
            if name in found:
                continue
            for node in ast.walk(function):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                    continue
                if node.func.id not in found:
                    continue
                position, parameter, prefix = found[node.func.id]
                argument = _argument(node, position, parameter)
                if isinstance(argument, ast.Name) and argument.id in _parameters(function):
                    found[name] = (_parameters(function).index(argument.id), argument.id, prefix)
                    changed = True
                    break
    return found


def _call_targets(
    call: ast.Call,
    names: dict[str, str],
    function: str | None,
    own: dict[str, tuple[int, str, str]],
) -> set[str]:
    """The module a call to such a function imports: the one its argument names when that is a
    string; every module the prefix allows when it is not (unless it is our own parameter, passed
    on: then the callers decide)."""
    target = _dotted(call.func, names)
    if target is None:
        return set()
    defining, _, called = target.rpartition(".")
    spec = _dynamic_parameters(defining).get(called) if defining.startswith("sirkbok") else None
    if spec is None:
        return set()
    position, parameter, prefix = spec
    argument = _argument(call, position, parameter)
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return {prefix + argument.value}
    if function in own and isinstance(argument, ast.Name) and argument.id == own[function][1]:
        return set()
    return _all_modules(prefix.rstrip(".") or "sirkbok")


def _is_dynamic_import(node: ast.Call) -> bool:
    function = node.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return name in {"import_module", "__import__"}


def _dynamic_targets(argument: ast.expr | None) -> set[str]:
    """`import_module(f"sirkbok.themes.{x}")`, outside a function that takes `x`: any module of
    `sirkbok.themes` may be loaded."""
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        name = argument.value
        return {name} if name.startswith("sirkbok") else set()
    if isinstance(argument, ast.JoinedStr) and argument.values:
        head = argument.values[0]
        if isinstance(head, ast.Constant) and str(head.value).startswith("sirkbok"):
            return _all_modules(str(head.value).rpartition(".")[0] or "sirkbok")
        return set()
    return set()  # a variable: outside the package as far as we can see


def package_files(sources: list[str]) -> list[Path]:
    """The transitive closure of `sirkbok` modules imported by `sources` (the notebook's code)."""
    pending = set().union(*(_imports(source, None) for source in sources)) if sources else set()
    seen: set[str] = set()
    files: set[Path] = set()
    while pending:
        name = pending.pop()
        # importing a.b.c runs a/__init__, a/b/__init__ and a/b/c
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):
            prefix = ".".join(parts[:depth])
            if prefix in seen:
                continue
            seen.add(prefix)
            path = _module_file(prefix)
            if path is not None:
                files.add(path)
                pending |= _module_imports(prefix) - seen
    _analysis_cache().save()
    return sorted(files)


@functools.cache
def _module_imports(module: str) -> frozenset[str]:
    """Imports of one package module (parsed once per process: every notebook shares them; and
    kept on disk between runs while no module of the package changed)."""
    cache = _analysis_cache()
    kept = cache.imports.get(module)
    if kept is not None:
        return frozenset(kept)
    path = _module_file(module)
    found = frozenset(_imports(path.read_text(encoding="utf-8"), module)) if path else frozenset()
    cache.imports[module] = sorted(found)
    cache.changed = True
    return found


@dataclass
class _AnalysisCache:
    """The static import analysis of the package's modules (parsing them costs about a second per
    run), kept in the book's cache folder. It holds only while every module of the package, this
    analysis included, and the Python version are what they were: `state` says so."""

    path: Path
    state: str
    imports: dict[str, list[str]] = field(default_factory=dict)
    dynamic: dict[str, dict[str, list]] = field(default_factory=dict)
    changed: bool = False

    def save(self) -> None:
        if not self.changed:
            return
        body = {"state": self.state, "imports": self.imports, "dynamic": self.dynamic}
        try:
            files.write_atomic(self.path, json.dumps(body, sort_keys=True))
        except OSError:  # a read-only book: analyse again next time
            return
        self.changed = False


def _package_state() -> str:
    """Every module of the package, by path and content, and the Python version."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(f"{path.relative_to(PACKAGE_DIR).as_posix()} {sha256_file(path)}\n".encode())
    return digest.hexdigest()


@functools.cache
def _analysis_cache() -> _AnalysisCache:
    try:
        path = cache_dir(paths.root()) / ANALYSIS_CACHE
    except OSError:  # a read-only book: the analysis is made afresh, and not saved
        path = paths.root() / CACHE / ANALYSIS_CACHE
    state = _package_state()
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = None
    if not isinstance(kept, dict) or kept.get("state") != state:
        return _AnalysisCache(path=path, state=state)
    return _AnalysisCache(
        path=path, state=state, imports=kept.get("imports", {}), dynamic=kept.get("dynamic", {})
    )


def package_key(path: Path) -> str:
    """The module's path in the repository (scripts/sirkbok/...), however it is installed."""
    return f"scripts/{path.relative_to(PACKAGE_DIR.parent).as_posix()}"


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
    for module in package_files(code_of(notebook)):
        hashes[package_key(module)] = sha256_file(module)
    return Inputs(path=path, relative=relative, tables=tables, hashes=hashes, problems=problems)


def recorded(notebook: dict) -> dict | None:
    record = sirkbok_metadata(notebook).get("provenance")
    return record if isinstance(record, dict) else None


def stale_reasons(root: Path, current: Inputs, notebook: dict) -> list[str]:
    """Why the notebook must run again (Norwegian, for people); empty when it is current."""
    record = recorded(notebook)
    if record is None:
        return ["notatboka er aldri kjørt med «sirkbok regenerate»"]
    reasons = []
    old = record.get("inputs", {})
    for key in sorted(set(old) | set(current.hashes)):
        before, now = old.get(key), current.hashes.get(key)
        if before == now:
            continue
        if key == current.relative:
            reasons.append("innholdet i notatboka er endret")
        elif now is None:
            reasons.append(f"{key} finnes ikke lenger")
        elif key not in old:
            reasons.append(f"{key} er et nytt inndata")
        else:
            reasons.append(f"{key} er endret")
    if record.get("outputs") not in (None, outputs_hash(notebook)):
        reasons.append("utdataene i notatboka er endret utenom «sirkbok regenerate»")
    for key, digest in sorted(record.get("figures", {}).items()):
        actual = sha256_file(root / key)
        if actual is None:
            reasons.append(f"figuren {key} mangler")
        elif actual != digest:
            reasons.append(f"figuren {key} er endret etter kjøringen")
    return reasons


@dataclass
class Status:
    inputs: Inputs
    reasons: list[str]


def survey(root: Path, selected: list[Path] | None = None) -> list[Status]:
    """Current inputs and staleness of every (selected) notebook; refuses wrong declarations."""
    statuses = []
    problems: list[Problem] = []
    for path in selected if selected is not None else notebooks(root):
        notebook = read(path)
        current = inputs(root, path, notebook)
        problems.extend(current.problems)
        statuses.append(Status(inputs=current, reasons=stale_reasons(root, current, notebook)))
    if problems:
        unique = list(dict.fromkeys(problems))
        raise UserError(unique)
    return statuses
