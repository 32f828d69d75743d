"""Shared fixtures: the repository, throw-away copies of it, and one real build of the book."""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import parallel
import psutil
import pytest
from sirkbok.core import paths

if TYPE_CHECKING:
    from sirkbok.pages.headlines import Headline
    from sirkbok_dev.visits import Visits

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


def copy_repo(target: Path) -> Path:
    """A copy of the book (files as committed or edited, no environment, no build)."""
    return paths.copy_book(ROOT, target)


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    return copy_repo(tmp_path / "bok")


def sirkbok(*args: str, root: Path, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the real command-line tool against the book at `root`."""
    env = dict(os.environ, SIRKBOK_ROOT=str(root))
    return subprocess.run(
        [str(BIN / "sirkbok"), *args],
        cwd=root,
        env=env,
        text=True,
        capture_output=True,
        check=check,
    )


BUILT_BOOK = "bygd-bok"  # the shared build's folder in the run's temporary folder


def strict_build(folder: Path) -> list[str]:
    """A clean, strict build (-W -n --keep-going) of the committed book into `folder`."""
    command = [str(BIN / "jupyter-book"), "build", str(ROOT), "--path-output", str(folder)]
    return [*command, "--all", "-W", "-n", "--keep-going"]


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One clean, strict build of the committed book; returns the HTML folder.

    Made once per test run and shared by every xdist worker (`parallel.SharedBuild`): READ-ONLY by
    convention. A test that changes a built book builds its own copy (`book`, `repo_copy`). The
    build is made unwritable, and each worker checks at its end that not one byte of it changed.
    """
    build = parallel.SharedBuild.start(tmp_path_factory, BUILT_BOOK, "_build/html", strict_build)
    html = build.wait()
    yield html
    changed = build.changes()
    if changed:
        pytest.fail(f"En test skrev i den delte bygde boka (skrivebeskyttet): {changed[:10]}")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the shared build at once when a selected test will read it (not for --collect-only)."""
    if session.config.option.collectonly:
        return
    if any("built_book" in getattr(item, "fixturenames", ()) for item in session.items):
        factory = session.config._tmp_path_factory  # type: ignore[attr-defined]
        parallel.SharedBuild.start(factory, BUILT_BOOK, "_build/html", strict_build)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With workers (`-n`): tests sharing a setup stay on one worker; long ones go first."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        parallel.order_and_group(config, items, shared="built_book")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadgroup`, by the groups the workers found (see `parallel`)."""
    return parallel.scheduler(config, log) if config.getvalue("dist") == "loadgroup" else None


def pytest_sessionfinish(session: pytest.Session) -> None:
    parallel.stop_all(session)


def tiny_package(root: Path, tables: dict[str, list[int]]) -> Path:
    """A data package of small `id,verdi` tables at `root/data` that passes the descriptor's
    profile (name, title, bounds on every number): for test books that are not the real book."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    for table, values in tables.items():
        lines = "".join(f"{i},{v}\n" for i, v in enumerate(values))
        (root / "data" / f"{table}.csv").write_text(f"id,verdi\n{lines}")
    fields = [
        {"name": "id", "type": "integer", "constraints": {"minimum": 0, "maximum": 1000}},
        {"name": "verdi", "type": "number", "constraints": {"minimum": 0, "maximum": 1000}},
    ]
    descriptor = {
        "name": "test",
        "title": "Test",
        "description": "En liten datapakke for testene.",
        "sist_oppdatert": "2026-01-01",
        "units": [{"name": "t", "title": "tonn"}],
        "resources": [
            {"name": t, "path": f"{t}.csv", "schema": {"fields": fields}} for t in tables
        ],
    }
    (root / "data" / "datapackage.json").write_text(json.dumps(descriptor, indent=1))
    return root / "data"


def snapshot(folder: Path) -> dict[str, str]:
    """Hashes of a folder's files, to show that a refused command changed nothing."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def data_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the data package (and the config that marks the book root)."""
    root = tmp_path / "bok"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    monkeypatch.setenv("SIRKBOK_ROOT", str(root))
    return root


# --- the hostile-input suite (tests/hostile): a git copy of the book, and proof nothing changed ---

WATCHED = ("data", "chapters", "_toc.yml", "_config.yml", "references.bib")


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, text=True, capture_output=True
    ).stdout


@pytest.fixture(scope="session")
def git_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The book copied once and committed to a fresh git repository."""
    root = paths.copy_book(ROOT, tmp_path_factory.mktemp("mal") / "bok")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(
        root,
        "-c",
        "user.name=test",
        "-c",
        "user.email=test@example.org",
        "commit",
        "-qm",
        "bok",
    )
    return root


@pytest.fixture
def book(git_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throw-away git copy of the book; SIRKBOK_ROOT points at it for in-process calls."""
    root = Path(shutil.copytree(git_template, tmp_path / "bok", symlinks=True))
    monkeypatch.setenv("SIRKBOK_ROOT", str(root))
    return root


def rows(book: Path, table: str = "kommuner") -> list[list[str]]:
    """A table of the book's data package as lists of cells (header first)."""
    return list(csv.reader((book / "data" / f"{table}.csv").open(encoding="utf-8")))


def as_csv(table: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue()


def set_cell(column: str, value: str, line: int = 3) -> Callable[[list[list[str]]], str]:
    """A change to a table from `rows`: one cell (spreadsheet line `line`) gets `value`."""

    def change(table: list[list[str]]) -> str:
        table[line - 1][table[0].index(column)] = value
        return as_csv(table)

    return change


def state(root: Path) -> tuple[str, dict[str, str]]:
    """`git status` and a checksum of every file in data/, chapters/ and the book's config."""
    sums: dict[str, str] = {}
    for name in WATCHED:
        top = root / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            sums[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    status = git(root, "status", "--porcelain", "--untracked-files=all", "--", *WATCHED)
    return status, sums


def browser_marks() -> list[pytest.MarkDecorator]:
    """The marks of every test file that drives Debian's chromium: browser, slow, and a skip
    saying why when chromium is not installed (`pytestmark = browser_marks()`)."""
    from sirkbok_dev import browser

    return [
        pytest.mark.browser,
        pytest.mark.slow,
        pytest.mark.skipif(
            not browser.CHROMIUM.exists(),
            reason="Debians chromium (/usr/bin/chromium) er ikke installert",
        ),
    ]


@pytest.fixture(scope="module")
def site(built_book: Path) -> Iterator[str]:
    """The built book served on 127.0.0.1 (for the browser tests)."""
    from sirkbok_dev import browser

    with browser.serve(built_book) as base:
        yield base


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's headless chromium through Playwright (for the browser tests)."""
    from playwright.sync_api import sync_playwright
    from sirkbok_dev import browser

    with sync_playwright() as playwright:
        instance = browser.launch(playwright)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def page_visits(built_book: Path) -> Visits:
    """Every page of the built book visited once at 1280 px and once at 375 px with every sweep's
    checks (`sirkbok_dev.visits`): made once per run for the browser, layout and reader tests, whose
    tests of it `parallel` keeps on one worker. In a thread of its own, as a second sync Playwright
    cannot start in the thread where a test file's `chromium` may run."""
    from sirkbok_dev import visits

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(visits.visit_all, built_book).result()


def orphans(root: Path, wait: float = 5.0) -> list[int]:
    """Processes (workers, kernels) still running for the book at `root` after `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for process in psutil.process_iter():
            try:
                if process.environ().get("SIRKBOK_ROOT") == str(root):
                    found.append(process.pid)
            except (psutil.Error, OSError):
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


# --- containment (tests/hostile): a secret outside the book, and proof that none of it was published ---

SECRET = "SIRKBOK-HEMMELIG-7f3a9c"


@pytest.fixture
def outside_secret(tmp_path: Path) -> Path:
    """A file beside (not in) the throw-away book: no byte of it may ever reach the book's output."""
    folder = tmp_path / "utenfor"
    folder.mkdir()
    path = folder / "hemmelig.txt"
    path.write_text(f"{SECRET}\n", encoding="utf-8")
    return path


def leaks(folder: Path, secret: str = SECRET) -> list[str]:
    """Files under `folder` (a build, a run's output) whose bytes, or whose text if a PDF, hold `secret`."""
    from pypdf import PdfReader

    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        data = path.read_bytes()
        if secret.encode() in data:
            found.append(path.relative_to(folder).as_posix())
        elif path.suffix == ".pdf":
            text = "".join(page.extract_text() or "" for page in PdfReader(path).pages)
            if secret in text:
                found.append(path.relative_to(folder).as_posix())
    return found


# A number as the book prints it: digits in groups of three with a narrow space, and decimals.
NUMBER = re.compile(r"\d+(?:[\u202f,]\d+)*")


# A value pasted into a Markdown cell (`{glue:text}`name``, as myst-nb writes it).
GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`([^`]+)`")


def glued_texts(doc: dict) -> dict[str, str]:
    """The text/plain of every value a notebook glued, as `{glue:text}` pastes it (no quotes)."""
    found = {}
    for cell in doc["cells"]:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if not record:
                continue
            plain = output.get("data", {}).get(record.get("mime_prefix", "") + "text/plain")
            if plain is not None:
                text = plain if isinstance(plain, str) else "".join(plain)
                try:
                    found[record["name"]] = str(ast.literal_eval(text))
                except (SyntaxError, ValueError):
                    found[record["name"]] = text
    return found


def page_text(notebook: Path) -> str:
    """Everything a notebook shows: its Markdown cells with the glued values pasted in, and the
    Markdown its code cells print."""
    doc = json.loads(notebook.read_text(encoding="utf-8"))
    glued = glued_texts(doc)
    parts = []
    for cell in doc["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"])
            parts.append(GLUE_ROLE.sub(lambda m: glued.get(m.group(1), m.group(0)), source))
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("data", {}).get("text/markdown", "")))
    return "\n".join(parts)


def shown_on_pages(root: Path, found: list[Headline]) -> list[str]:
    """The headline numbers whose digits do not all appear on their page (an empty list is good)."""
    texts: dict[str, str] = {}
    wrong = []
    for headline in found:
        if headline.path not in texts:
            texts[headline.path] = page_text(root / headline.path)
        if not all(token in texts[headline.path] for token in NUMBER.findall(headline.shown)):
            wrong.append(f"{headline.path}: {headline.label} = {headline.shown}")
    return wrong
