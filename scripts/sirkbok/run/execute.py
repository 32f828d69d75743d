"""The one notebook runner: papermill in a clean environment, outputs cleaned, one provenance record.

Two modes share everything up to the commit. In place (`run_notebook`, for the book and `sirkbok
regenerate`, in a worker process): papermill writes nothing itself (output_path=None), figures go
to a staging folder, and only after every cell succeeded are the figures moved next to the
notebook and the notebook written to a temporary file and os.replace'd, so a failure or a kill -9
at any moment leaves the last good notebook and figures in place. Into a folder (`into`, for
`sirkbok run`): the book's notebook is only read, runs with the researcher's parameters, and lands
with its figures in a hidden staging folder that replaces the previous run only when all went well.
Either way the notebook is cleaned of everything that varies between runs (timings, paths, cell
ids) and carries `provenance.record`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sirkbok.core import context
from sirkbok.core.errors import UserError
from sirkbok.core.files import inside, write_atomic
from sirkbok.run import engine, provenance, trust

FIGURES = "figurer"  # the figures' folder beside a notebook (in the book or a run's folder)
_events: Any = None  # the queue to the parent process, set by `init_worker`


@dataclass
class Result:
    """What happened to one notebook (picklable: it travels back from the worker)."""

    notebook: str
    ok: bool
    seconds: float
    figures: int = 0
    cell: int | None = None
    cell_source: str = ""
    error: str = ""
    details: str = ""
    warning: str = ""


class Failed(Exception):
    """A run into a folder failed; `result` names the cell as numbered in the book's notebook."""

    def __init__(self, result: Result) -> None:
        self.result = result
        super().__init__(result.error)


class NotebookChanged(Exception):
    """The notebook was edited while it ran: its edit must not be overwritten."""


# --- worker processes (sirkbok regenerate) --------------------------------------------------------


def init_worker(events: Any, kernels: str) -> None:
    """Worker set-up: an event queue, our own kernel spec, and death with the parent (kill -9)."""
    global _events
    _events = events
    # Our kernel spec comes first on the path: `python3` is this interpreter even if a user-level
    # kernel spec of that name points elsewhere or the virtual environment is not activated.
    os.environ["JUPYTER_PATH"] = _jupyter_path(kernels)
    parent = os.getppid()

    def watch() -> None:
        # A worker whose parent died must not go on and commit outputs under the next run's feet.
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _jupyter_path(kernels: str | Path) -> str:
    return os.pathsep.join(filter(None, [str(kernels), os.environ.get("JUPYTER_PATH")]))


@contextlib.contextmanager
def _kernel_specs(kernels: Path) -> Iterator[None]:
    """Our kernel spec first on $JUPYTER_PATH for a block (jupyter_client reads it from there when
    it starts the kernel), then the variable as it was."""
    saved = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = _jupyter_path(kernels)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = saved


def _emit(kind: str, *event: Any) -> None:
    if _events is not None:
        _events.put((kind, os.getpid(), *event))


def _cell(notebook: str, cell: int, cells: int) -> None:
    _emit("cell", notebook, cell, cells)


def worker(tasks: Any, events: Any, kernels: str) -> None:
    """A worker process: run notebooks from `tasks` until the sentinel None; report on `events`."""
    init_worker(events, kernels)
    while (task := tasks.get()) is not None:
        _emit("result", run_notebook(**task))


# --- running and cleaning (both modes) ------------------------------------------------------------


@dataclass
class Job:
    """One notebook to run: what it is made from, where its figures are staged, how long a cell
    may take and the parameters to inject (none in the book)."""

    root: Path
    relative: str
    inputs: dict[str, str | None]
    tables: list[str]
    staging: Path  # SIRKBOK_FIGURE_DIR: the figures are written here first
    prefix: str  # the figures' folder as keyed in the provenance (from the book's root or the run)
    log: Path  # the kernel's own stderr
    timeout: int | None = None
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass
class Executed:
    """A notebook that ran to the end: cleaned, with its provenance; its figures still staged."""

    notebook: Any  # nbformat.NotebookNode
    source: Any  # the notebook as it was read before the run
    original: bytes
    figures: dict[str, tuple[Path, str]]  # key in the provenance -> (staged file, hash)


def _execute(job: Job) -> Executed:
    """Run `job` to the end with the book's variables set, clean it and add its provenance."""
    import nbformat
    import papermill

    path = job.root / job.relative
    trust.require(job.root, [path])  # untrusted or not a notebook: refused before any cell runs
    original = path.read_bytes()
    source = nbformat.reads(original.decode("utf-8"), as_version=4)
    names = provenance.parameter_names(json.loads(nbformat.writes(source)))
    values: dict[str, Any] = {}
    job.staging.mkdir(parents=True, exist_ok=True)
    job.log.parent.mkdir(parents=True, exist_ok=True)
    book = context.Book(job.root).running(job.relative, job.tables, job.staging)
    registered = engine.register(job.relative, names, values, job.log, _cell, book.environment())
    executed = papermill.execute_notebook(
        str(path),
        None,
        parameters=job.parameters,
        engine_name=registered,
        kernel_name=engine.KERNEL,
        progress_bar=False,
        cwd=str(path.parent),
        execution_timeout=job.timeout,
    )
    clean(executed, source)
    figures = _figures(job.staging, job.prefix)
    executed.metadata.setdefault("sirkbok", {})["provenance"] = provenance.record(
        job.inputs,
        json.loads(nbformat.writes(executed)),
        {name: values[name] for name in names if name in values},
        {key: digest for key, (_, digest) in figures.items()},
    )
    nbformat.validate(executed)
    return Executed(notebook=executed, source=source, original=original, figures=figures)


def clean(executed: Any, source: Any) -> None:
    """Remove what differs between two runs of the same inputs: timings, paths, random cell ids.

    A cell papermill injected (parameters given to a notebook without such a cell) is kept, as it
    shows the values used, and cleaned the same way with a stable id.
    """
    added = len(executed.cells) > len(source.cells)
    injected = [
        i
        for i, cell in enumerate(executed.cells)
        if added and "injected-parameters" in cell.metadata.get("tags", [])
    ]
    kept = [executed.cells.pop(i) for i in reversed(injected)]
    executed.metadata.pop("papermill", None)
    executed.nbformat_minor = source.nbformat_minor
    for cell, original in zip(executed.cells, source.cells, strict=True):
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "id" in original:
            cell["id"] = original["id"]
        else:
            cell.pop("id", None)
        if "tags" in original.metadata:
            cell.metadata["tags"] = original.metadata["tags"]
        else:
            cell.metadata.pop("tags", None)
    for index, cell in zip(reversed(injected), kept, strict=True):
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cell["id"] = "injected-parameters"
        executed.cells.insert(index, cell)


def _figures(staging: Path, prefix: str) -> dict[str, tuple[Path, str]]:
    """Staged figure files -> (staged path, hash), keyed by `prefix/` and their path in `staging`."""
    found = {}
    for file in sorted(staging.rglob("*")):
        if file.is_file() and not provenance.TEMPORARY.match(file.name):
            key = f"{prefix}/{file.relative_to(staging).as_posix()}"
            found[key] = (file, provenance.sha256_file(file) or "")
    return found


# --- in place, in the book ------------------------------------------------------------------------


def run_notebook(
    root: str,
    relative: str,
    tables: list[str],
    inputs: dict[str, str | None],
    staging: str,
    timeout: int | None = None,
) -> Result:
    """Execute one notebook (in a worker) and commit it with its figures, or change nothing."""
    started = time.monotonic()
    _emit("start", relative)
    try:
        return _in_place(Path(root), relative, tables, inputs, Path(staging), started, timeout)
    except Exception as error:  # noqa: BLE001 - reported per notebook, the others go on
        return failure(relative, error, started)


def _in_place(
    root: Path,
    relative: str,
    tables: list[str],
    inputs: dict[str, str | None],
    staging: Path,
    started: float,
    timeout: int | None = None,
) -> Result:
    import nbformat

    path = root / relative
    done = _execute(
        Job(
            root=root,
            relative=relative,
            inputs=inputs,
            tables=tables,
            staging=staging,
            prefix=(path.parent / FIGURES).relative_to(root).as_posix(),
            log=staging.parent.parent / "logs" / (relative.replace("/", "__") + ".log"),
            timeout=timeout,
        )
    )
    if path.read_bytes() != done.original:
        raise NotebookChanged(
            "notatboka ble endret mens den kjørte; endringen er beholdt, kjør på nytt"
        )
    text = nbformat.writes(done.notebook) + "\n"
    _commit(root, path, text, done.figures, done.source)
    shutil.rmtree(staging, ignore_errors=True)
    # Outputs are committed; a path of this machine in them would differ on the next one.
    local = str(root) in text
    return Result(
        notebook=relative,
        ok=True,
        seconds=time.monotonic() - started,
        figures=len(done.figures),
        warning=f"utdataene inneholder stien {root}, som er en annen på andre maskiner"
        if local
        else "",
    )


def _commit(
    root: Path, path: Path, text: str, figures: dict[str, tuple[Path, str]], source: Any
) -> None:
    """Figures first, then the notebook: a kill in between leaves it stale, never wrong.

    Every figure to write or remove is resolved inside the book first (`core.files.inside`): a
    linked `figurer/`, or a key in the notebook's metadata, that leads out changes nothing."""
    previous = source.metadata.get("sirkbok", {}).get("provenance", {}).get("figures", {})
    dropped = [key for key in previous if key not in figures]  # a figure no longer made
    for key in [*figures, *dropped]:
        inside(root, key)
    for key, (staged, _) in figures.items():
        final = root / key
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, final)
    write_atomic(path, text)
    for key in dropped:
        (root / key).unlink(missing_ok=True)


# --- into a folder (sirkbok run) ------------------------------------------------------------------


@contextlib.contextmanager
def into(
    root: Path,
    notebook: Path,
    folder: Path,
    parameters: dict[str, Any],
    timeout: int | None = None,
) -> Iterator[tuple[Executed, Path]]:
    """Run the book's `notebook` with `parameters` into `folder`; nothing in the book is written.

    Yields the executed notebook and the hidden staging folder inside `folder` that already holds
    it (under its own name) and its figures (in `figurer/`). What the caller adds there moves into
    `folder` with them when its block ends without an exception; the previous figures folder is
    replaced as a whole. A failing notebook raises `Failed`; an earlier run stays as it was.
    """
    import nbformat

    relative = notebook.relative_to(root).as_posix()
    source = provenance.read(notebook)
    current = provenance.inputs(root, notebook, source)
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kjoring-", dir=folder))
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="sirkbok-run-") as scratch:
            job = Job(
                root=root,
                relative=relative,
                inputs=current.hashes,
                tables=current.tables,
                staging=staging / FIGURES,
                prefix=FIGURES,
                log=Path(scratch) / "kjerne.log",
                timeout=timeout,
                parameters=parameters,
            )
            kernels = engine.write_kernel_spec(Path(scratch) / "jupyter")
            try:
                with _kernel_specs(kernels):
                    done = _execute(job)
            except Exception as error:  # noqa: BLE001 - shown as the cell and message
                result = failure(relative, error, started)
                raise Failed(_book_numbering(result, source, parameters)) from None
        text = nbformat.writes(done.notebook) + "\n"
        (staging / notebook.name).write_text(text, encoding="utf-8")
        yield done, staging
        _move_in(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _book_numbering(result: Result, notebook: dict, parameters: dict[str, Any]) -> Result:
    """The failing cell as numbered in the book's notebook, without the cell papermill injected
    (right after the `parameters` cell, or first when there is none)."""
    tags = [cell.get("metadata", {}).get("tags", []) for cell in notebook.get("cells", [])]
    if not parameters or not result.cell or any("injected-parameters" in t for t in tags):
        return result
    injected = next((i + 2 for i, t in enumerate(tags) if "parameters" in t), 1)
    return replace(result, cell=result.cell - 1) if result.cell > injected else result


def _move_in(staging: Path, folder: Path) -> None:
    """Move a finished run into place: the old figures folder is replaced as a whole."""
    for path in sorted(staging.iterdir()):
        target = folder / path.name
        if path.is_dir():
            old = folder / f".{path.name}-gammel"
            shutil.rmtree(old, ignore_errors=True)
            if target.exists():
                os.replace(target, old)
            os.replace(path, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(path, target)


# --- failures -------------------------------------------------------------------------------------


def failure(relative: str, error: BaseException, started: float) -> Result:
    """The notebook, cell, exception name and message; the traceback only for --verbose."""
    from papermill.exceptions import PapermillExecutionError

    seconds = time.monotonic() - started
    if isinstance(error, engine.CellTimedOut | PapermillExecutionError):
        lines = [line for line in error.source.splitlines() if line.strip()]
        located = Result(
            notebook=relative,
            ok=False,
            seconds=seconds,
            cell=error.cell_index + 1,
            cell_source="\n".join(lines[:3]),
        )
        if isinstance(error, engine.CellTimedOut):
            return replace(
                located,
                error=f"Cellen kjørte lenger enn tidsgrensen på {error.timeout} s og ble stoppet; "
                "kjernen er avsluttet. Øk grensen med --timeout (eller «execute: timeout:» i "
                "_config.yml) hvis cellen trenger mer tid",
            )
        return replace(
            located,
            error=f"{error.ename}: {error.evalue}",
            details=_strip_ansi("\n".join(error.traceback)),
        )
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if isinstance(error, UserError):  # refused before it ran: the Norwegian message as it is
        said = " ".join(str(p).removeprefix(f"{relative}: ") for p in error.problems)
        return Result(notebook=relative, ok=False, seconds=seconds, error=said)
    if isinstance(error, NotebookChanged):
        return Result(notebook=relative, ok=False, seconds=seconds, error=message)
    return Result(
        notebook=relative,
        ok=False,
        seconds=seconds,
        error=f"{type(error).__name__}: {message}".rstrip(": "),
        details="".join(traceback.format_exception(error)),
    )


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)
