"""Which `sirkbok` modules a notebook's code imports, followed transitively and statically.

A notebook's figures depend on the package code it runs, so provenance hashes those modules. The
imports are read from the source with `ast` (nothing is imported or executed): plain and relative
imports, and `import_module(f"sirkbok.themes.{theme}")` (the theme registry) resolved where the
function is called with a string, so a notebook on one theme depends on that theme's modules alone.
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
from sirkbok.core import context, paths
from sirkbok.core.files import write_atomic

PACKAGE_DIR = Path(sirkbok.__file__).resolve().parent
ANALYSIS_CACHE = "imports.json"  # in the book's cache folder (`_AnalysisCache`)


@functools.cache
def _module_file(name: str) -> Path | None:
    """`sirkbok.reader.charts` -> scripts/sirkbok/reader/charts.py (or the package's __init__.py)."""
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


def _imports(source: str, module: str | None, root: Path) -> set[str]:
    """The `sirkbok` modules a piece of code may import (with their parent packages)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return _all_modules("sirkbok")  # cannot tell: depend on the whole package
    package = None
    if module is not None:
        path = _module_file(module)
        package = (
            module if path is not None and path.name == "__init__.py" else module.rpartition(".")[0]
        )
    names = _bindings(tree, module, package)
    own = _dynamic_parameters(module, root) if module else {}
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
            found.update(_call_targets(node, names, function, own, root))
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
    """Names bound to `sirkbok` modules or their functions: `params` -> `sirkbok.themes.parameters`,
    and in a module its own functions (`specs` -> `sirkbok.themes.parameters.specs`)."""
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
    """`params.default` -> `sirkbok.themes.parameters.default`, through the names the code bound."""
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
def _dynamic_parameters(module: str, root: Path) -> dict[str, tuple[int, str, str]]:
    """`_dynamic_functions` of `module`, from the analysis kept between runs (in the cache folder
    of the book at `root`) when it is current."""
    cache = _analysis_cache(root)
    kept = cache.dynamic.get(module)
    if kept is not None:
        return {
            name: (int(at), str(parameter), str(prefix))
            for name, (at, parameter, prefix) in kept.items()
        }
    found = _dynamic_functions(module, root)
    cache.dynamic[module] = {name: list(value) for name, value in found.items()}
    cache.changed = True
    return found


def _dynamic_functions(module: str, root: Path) -> dict[str, tuple[int, str, str]]:
    """Functions of `module` that import `prefix + <one of their parameters>`, directly or through
    another such function (of the module, or of a module it imports): {function: (position,
    parameter, prefix)}.

    `themes.module(theme)` imports `sirkbok.themes.{theme}`, `parameters.specs(theme)` calls it and
    `parameters.default(theme, name)` calls `specs(theme)`: a notebook calling
    `params.default("<tema>", ...)` depends on `sirkbok.themes.<tema>` alone, not on every theme.
    """
    path = _module_file(module)
    if path is None:
        return {}
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except SyntaxError:
        return {}
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = _bindings(tree, module, package)
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
                if not isinstance(node, ast.Call):
                    continue
                spec = _called_spec(node, names, module, found, root)
                if spec is None:
                    continue
                position, parameter, prefix = spec
                argument = _argument(node, position, parameter)
                if isinstance(argument, ast.Name) and argument.id in _parameters(function):
                    found[name] = (_parameters(function).index(argument.id), argument.id, prefix)
                    changed = True
                    break
    return found


def _called_spec(
    call: ast.Call,
    names: dict[str, str],
    module: str,
    found: dict[str, tuple[int, str, str]],
    root: Path,
) -> tuple[int, str, str] | None:
    """The dynamic-import spec of the function a call reaches: one of `module`'s own (`found` so
    far) or one of another `sirkbok` module's."""
    if isinstance(call.func, ast.Name) and call.func.id in found:
        return found[call.func.id]
    target = _dotted(call.func, names)
    if target is None:
        return None
    defining, _, called = target.rpartition(".")
    if defining == module or not defining.startswith("sirkbok"):
        return None
    return _dynamic_parameters(defining, root).get(called)


def _call_targets(
    call: ast.Call,
    names: dict[str, str],
    function: str | None,
    own: dict[str, tuple[int, str, str]],
    root: Path,
) -> set[str]:
    """The module a call to such a function imports: the one its argument names when that is a
    string; every module the prefix allows when it is not (unless it is our own parameter, passed
    on: then the callers decide)."""
    target = _dotted(call.func, names)
    if target is None:
        return set()
    defining, _, called = target.rpartition(".")
    spec = (
        _dynamic_parameters(defining, root).get(called) if defining.startswith("sirkbok") else None
    )
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


def package_files(sources: list[str], root: Path | None = None) -> list[Path]:
    """The transitive closure of `sirkbok` modules imported by `sources` (the notebook's code);
    the analysis is kept in the cache folder of the book at `root` (default: the current Book)."""
    root = root or context.current().root
    pending = (
        set().union(*(_imports(source, None, root) for source in sources)) if sources else set()
    )
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
                pending |= _module_imports(prefix, root) - seen
    _analysis_cache(root).save()
    return sorted(files)


@functools.cache
def _module_imports(module: str, root: Path) -> frozenset[str]:
    """Imports of one package module (parsed once per process and book: every notebook shares
    them; and kept on disk between runs while no module of the package changed)."""
    cache = _analysis_cache(root)
    kept = cache.imports.get(module)
    if kept is not None:
        return frozenset(kept)
    path = _module_file(module)
    found = (
        frozenset(_imports(path.read_text(encoding="utf-8"), module, root)) if path else frozenset()
    )
    cache.imports[module] = sorted(found)
    cache.changed = True
    return found


@dataclass
class _AnalysisCache:
    """The analysis of the package's modules (parsing them costs about a second per run), kept in
    the book's cache folder. It holds only while every module of the package, this analysis
    included, and the Python version are what they were: `state` says so."""

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
            write_atomic(self.path, json.dumps(body, sort_keys=True))
        except OSError:  # a read-only book: analyse again next time
            return
        self.changed = False


def _package_state() -> str:
    """Every module of the package, by path and content, and the Python version."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        content = hashlib.sha256(path.read_bytes()).hexdigest()
        digest.update(f"{path.relative_to(PACKAGE_DIR).as_posix()} {content}\n".encode())
    return digest.hexdigest()


@functools.cache
def _analysis_cache(root: Path) -> _AnalysisCache:
    """The analysis kept in the cache folder of the book at `root` (one per book and process)."""
    try:
        path = paths.cache_dir(root) / ANALYSIS_CACHE
    except OSError:  # a read-only book: the analysis is made afresh, and not saved
        path = root / paths.CACHE / ANALYSIS_CACHE
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
