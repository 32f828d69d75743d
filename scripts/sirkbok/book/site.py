"""The HTML site at the cost of what changed: nothing when no input changed, otherwise an incremental
Sphinx build in this process, with the strictness of `jupyter-book build -W -n --keep-going`.

Every input of the site is fingerprinted by content (SHA-256, never modification times): the book's
files (sources, config, toc, static files, templates, figures, data downloads), the `sirkbok`
modules the Sphinx extension imports, and the versions of Python and the installed packages. The
fingerprint is written to `_build/` only after a build without warnings, so:

- nothing changed and the site exists → Sphinx does not run at all;
- the previous build failed, had warnings or was interrupted → a full build (fresh environment), which
  lists every warning again. Sphinx reports read-time warnings only for documents it re-reads, so an
  incremental build is only ever made on top of a build that had none;
- config, toc, templates, locale, extension code, package versions or the set of pages changed → a full
  build (these change every page);
- otherwise the changed pages are re-read (found by content, so a checkout that keeps modification
  times is still seen) and written. When a changed page's title or link targets changed, every page
  is rewritten from the saved doctrees, so menus and cross-references elsewhere stay right and their
  warnings (a link to a removed label) are checked again.
- a static file changed (the book's `_static/`, or a script the extension ships in
  `sirkbok/book/static/`) → no page is re-read, but every page is rewritten, since each names its
  scripts and stylesheets with a checksum (`?v=`) that must match the new file; likewise when the
  bibliography changed, since every page that cites a source shows it.
  Static files, figures and data downloads are copied on every build by Sphinx and the extension,
  before the pages are written.
"""

from __future__ import annotations

import errno
import json
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from sirkbok.book import chapters
from sirkbok.core import locks
from sirkbok.core.errors import UserError
from sirkbok.core.files import write_atomic
from sirkbok.run import provenance

RECORD = "sirkbok-build.json"
# Folders that are not the site's input (the package code is counted through the extension's imports).
NOT_INPUT = {
    "_build",
    "scripts",
    "tests",
    "binder",
    "node_modules",
    "__pycache__",
}
# Changing one of these can change every page: the next build is a full one.
EVERY_PAGE = ("_config.yml", "_toc.yml", "_templates/", "locale/", "scripts/")
# Static files: copied into the site; a change rewrites the pages (checksums) without re-reading them.
STATIC = ("_static/", provenance.package_key(provenance.PACKAGE_DIR / "book" / "static") + "/")
# The bibliography: every page that cites a source shows it (tooltips), so a change rewrites them all.
BIBLIOGRAPHY = ".bib"


# What the strict build is run with; part of the fingerprint, so a change of options rebuilds.
class Options(TypedDict):
    warningiserror: bool
    nitpicky: bool
    keep_going: bool
    builder: str


OPTIONS: Options = {"warningiserror": True, "nitpicky": True, "keep_going": True, "builder": "html"}


@dataclass(frozen=True)
class Plan:
    """What a build has to do, and why (Norwegian, for the person running it)."""

    action: str  # "skip", "incremental" or "full"
    reason: str
    changed_docs: tuple[str, ...] = ()
    rewrite_all: bool = False  # a static file changed: every page names it with its checksum


def build_dir(root: Path) -> Path:
    return root / "_build"


def record_path(root: Path) -> Path:
    return build_dir(root) / RECORD


def _files(root: Path) -> dict[str, str]:
    """Content hashes of the book's files, keyed by path in the book; hidden and temporary files not."""
    found: dict[str, str] = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in NOT_INPUT)
        for name in sorted(names):
            if name.startswith(".") or name.endswith((".pyc", ".mo", "~")):  # .mo: Sphinx writes it
                continue
            path = Path(folder) / name
            digest = provenance.sha256_file(path)
            if digest is not None:
                found[path.relative_to(root).as_posix()] = digest
    return found


def _extension_code() -> dict[str, str]:
    """The `sirkbok` modules the Sphinx extension imports (followed transitively), and the files it
    ships beside its module (scripts and styles it copies into the site)."""
    modules = provenance.package_files(["import sirkbok.book.sphinx_ext"])
    shipped = [
        path
        for path in sorted((provenance.PACKAGE_DIR / "book").rglob("*"))
        if path.is_file() and path.suffix not in (".py", ".pyc")
    ]
    return {
        provenance.package_key(path): provenance.sha256_file(path) or ""
        for path in [*modules, *shipped]
    }


def _environment() -> dict[str, Any]:
    """Python and every installed distribution's version: a new Sphinx or theme changes the site."""
    return {
        "python": platform.python_version(),
        "executable": sys.executable,
        "packages": _installed(),
        "options": OPTIONS,
    }


def _installed() -> list[str]:
    """Every installed distribution by the name of its metadata folder (`Sphinx-7.4.7.dist-info`:
    name and version), read from the import path without parsing each one's metadata, which took
    a third of a build with nothing to do."""
    found: set[str] = set()
    for entry in sys.path:
        folder = Path(entry or ".")
        if folder.is_dir():
            found.update(
                path.name for path in folder.iterdir() if path.suffix in (".dist-info", ".egg-info")
            )
    return sorted(found)


def fingerprint(root: Path) -> dict[str, Any]:
    """Everything the site is made from, as content hashes and versions."""
    files = _files(root)
    files.update(_extension_code())
    return {"environment": _environment(), "files": files}


def load_record(root: Path) -> dict[str, Any] | None:
    try:
        record = json.loads(record_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def save_record(root: Path, current: dict[str, Any]) -> None:
    write_atomic(record_path(root), json.dumps(current, indent=1, sort_keys=True))


def forget_record(root: Path) -> None:
    """Before Sphinx runs: a failed, warning or interrupted build must leave no record behind."""
    record_path(root).unlink(missing_ok=True)


def _docname(key: str) -> str | None:
    return chapters.docname(key) if key.endswith(chapters.SUFFIXES) else None


def plan(root: Path, current: dict[str, Any], full: bool = False) -> Plan:
    """Skip, build incrementally or build everything, comparing with the last clean build."""
    previous = load_record(root)
    site = build_dir(root) / "html" / "index.html"
    if full:
        return Plan("full", "full bygging er bedt om")
    if previous is None:
        return Plan("full", "ingen tidligere bygging uten advarsler er registrert")
    if not site.is_file():
        return Plan("full", "nettstedet i _build/html finnes ikke")
    if previous.get("environment") != current["environment"]:
        return Plan("full", "Python, en pakke eller byggevalgene er endret")
    old, new = previous.get("files", {}), current["files"]
    changed = sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))
    if not changed:
        return Plan("skip", "ingen inndata er endret")
    for key in changed:
        if _rewrites_all(key):
            continue
        if key.startswith(EVERY_PAGE):
            return Plan("full", f"{key} er endret")
        if _docname(key) and (key not in old or key not in new):
            return Plan("full", f"{key} er {'ny' if key not in old else 'fjernet'}")
    docs = tuple(name for key in changed if (name := _docname(key)))
    shown = ", ".join(changed[:3]) + (f" og {len(changed) - 3} til" if len(changed) > 3 else "")
    rewrite_all = any(_rewrites_all(key) for key in changed)
    return Plan("incremental", f"endret: {shown}", docs, rewrite_all=rewrite_all)


def _rewrites_all(key: str) -> bool:
    """A file no page is read from, but every page's output may show: a static file or the
    bibliography."""
    return key.startswith(STATIC) or key.endswith(BIBLIOGRAPHY)


def sphinx_build(root: Path, plan: Plan) -> int:
    """Jupyter Book's own configuration and Sphinx run, in this process (no second start-up)."""
    from jupyter_book.config import get_final_config
    from sphinx.application import Sphinx
    from sphinx.cmd.build import handle_exception
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    overrides = {
        "external_toc_path": (root / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "nitpicky": OPTIONS["nitpicky"],
    }
    config, _ = get_final_config(
        user_yaml=root / "_config.yml",
        cli_config=overrides,
        sourcedir=root,
        use_external_toc=True,
    )
    full = plan.action == "full"
    changed = set(plan.changed_docs)
    app = None
    try:
        with patch_docutils(None), docutils_namespace():
            app = Sphinx(
                srcdir=root,
                confdir=None,
                outdir=build_dir(root) / "html",
                doctreedir=build_dir(root) / ".doctrees",
                buildername=str(OPTIONS["builder"]),
                confoverrides=config,
                status=sys.stdout,
                warning=sys.stderr,
                freshenv=full,
                warningiserror=bool(OPTIONS["warningiserror"]),
                keep_going=bool(OPTIONS["keep_going"]),
            )
            _template_cache(app)
            if not full:
                _incremental(app, changed, plan.rewrite_all)
            app.build(force_all=full)
            return app.statuscode
    except Exception as error:  # Sphinx's own report (an extension or a file it cannot handle)
        cause = _ours(error)
        if isinstance(cause, OSError):  # named by the file that could not be written, else _build
            name = cause.filename2 if cause.errno in (errno.ENOSPC, errno.EDQUOT) else None
            name = name or cause.filename or build_dir(root)
            raise OSError(cause.errno, cause.strerror, str(name)) from None
        if cause is not None:  # a user error: its Norwegian message, via the CLI
            raise cause from None
        handle_exception(app, _Quiet(), error, sys.stderr)
        return 2


def _ours(error: BaseException) -> BaseException | None:
    """The UserError or OSError (a full disk, a read-only folder) Sphinx wrapped in its own
    English ExtensionError or SphinxParallelError, if there is one: the CLI says it in Norwegian."""

    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, UserError | OSError):
            return current
        current = getattr(current, "orig_exc", None) or current.__cause__ or current.__context__
    return None


def _template_cache(app: Any) -> None:
    """Keep the theme's compiled Jinja templates between builds (Jinja's own bytecode cache, keyed
    by each template's source), instead of compiling them again in every run."""
    from jinja2 import FileSystemBytecodeCache

    folder = build_dir(Path(app.srcdir)) / ".jinja"
    folder.mkdir(parents=True, exist_ok=True)
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def _shape(env: Any, docs: set[str]) -> dict[str, Any]:
    """What other pages show of these pages: titles (menus, previous/next links) and the labels,
    terms and objects they can link to."""
    std = env.domaindata.get("std", {})
    shape: dict[str, Any] = {
        doc: env.titles[doc].astext() if doc in env.titles else None for doc in sorted(docs)
    }
    for kind in ("labels", "anonlabels"):
        shape[kind] = sorted(
            (name, *map(str, target))
            for name, target in std.get(kind, {}).items()
            if target[0] in docs
        )
    shape["objects"] = sorted(
        (*map(str, key), *map(str, value))
        for key, value in std.get("objects", {}).items()
        if value[0] in docs
    )
    return shape


def _incremental(app: Any, changed: set[str], rewrite_all: bool = False) -> None:
    """Re-read the pages whose content changed (by hash, whatever their modification times say);
    rewrite every page only when what other pages show of them (titles, link targets) changed, or
    when `rewrite_all` (a static file changed)."""
    reread: set[str] = set()
    before: dict[str, Any] = {}

    def outdated(app: Any, env: Any, added: set, was_changed: set, removed: set) -> list[str]:
        extra = sorted(changed & set(env.found_docs))
        reread.update(added, was_changed, extra)
        before.update(_shape(env, reread))
        return extra

    def updated(app: Any, env: Any) -> list[str]:
        if rewrite_all or (reread and _shape(env, reread) != before):
            return sorted(env.found_docs)
        return []

    app.connect("env-get-outdated", outdated)
    app.connect("env-get-updated", updated)


class _Quiet:
    """What sphinx.cmd.build.handle_exception reads from its command-line arguments."""

    pdb = False
    verbosity = 0
    traceback = False


def build(root: Path, full: bool = False) -> int:
    """Build the site when an input changed; 0 on success without warnings. One Sphinx build of
    `_build/html` at a time: a second is refused at once (two wrote the same files and doctrees)."""
    with locks.alone(
        root,
        "sphinx",
        "En annen bygging av nettstedet («sirkbok build» eller «make book») kjører allerede i "
        "denne boka. Vent til den er ferdig, og prøv igjen.",
    ):
        return _build(root, full)


def _build(root: Path, full: bool) -> int:
    current = fingerprint(root)
    chosen = plan(root, current, full)
    if chosen.action == "skip":
        print("Nettstedet er oppdatert (ingen inndata er endret); Sphinx ble ikke kjørt.")
        return 0
    kind = "Full bygging" if chosen.action == "full" else "Bygger bare det som er endret"
    print(f"{kind}: {chosen.reason}.")
    forget_record(root)
    status = sphinx_build(root, chosen)
    if status == 0:
        save_record(root, current)
    else:
        print(
            "feil: Nettstedet ble ikke bygget uten feil og advarsler. Hver melding over begynner "
            "med filen (og linjen) den gjelder; rett dem og kjør «sirkbok build» igjen.",
            file=sys.stderr,
        )
    return status
