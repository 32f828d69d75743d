"""Runs one notebook with papermill in a worker process and commits its outputs atomically.

The notebook in chapters/ is both what a person edits and what the book shows, so it is executed in
place: papermill writes nothing itself (output_path=None); the executed notebook is cleaned of
everything that varies between runs (timings, absolute paths), given its provenance, written to
a temporary file beside the original and os.replace'd. Figures go to a staging folder first and
are moved next to the notebook only after every cell succeeded, so a failure or a kill -9 at any
moment leaves the last good notebook and figures in place.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from sirkbok.core.files import write_atomic
from sirkbok.run import provenance

KERNEL = "python3"
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


def init_worker(events: Any, kernels: str) -> None:
    """Worker set-up: an event queue, our own kernel spec, and death with the parent (kill -9)."""
    global _events
    _events = events
    # Our kernel spec comes first on the path: `python3` is this interpreter even if a user-level
    # kernel spec of that name points elsewhere or the virtual environment is not activated.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        filter(None, [kernels, os.environ.get("JUPYTER_PATH")])
    )
    parent = os.getppid()

    def watch() -> None:
        # A worker whose parent died must not go on and commit outputs under the next run's feet.
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def write_kernel_spec(folder: Path) -> Path:
    """A `python3` kernel spec for this interpreter in `folder/kernels` (for JUPYTER_PATH)."""
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "metadata": {"debugger": False, "supported_encryption": ["curve"]},
    }
    target = folder / "kernels" / KERNEL / "kernel.json"
    content = json.dumps(spec, indent=1) + "\n"
    if not target.is_file() or target.read_text() != content:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, content)
    return folder


def _emit(kind: str, *event: Any) -> None:
    if _events is not None:
        _events.put((kind, os.getpid(), *event))


def worker(tasks: Any, events: Any, kernels: str) -> None:
    """A worker process: run notebooks from `tasks` until the sentinel None; report on `events`."""
    init_worker(events, kernels)
    while (task := tasks.get()) is not None:
        _emit("result", run_notebook(**task))


def versions() -> dict[str, str]:
    found = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in VERSIONED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


DEFAULT_TIMEOUT = 300  # seconds per cell when _config.yml does not say (execute: timeout:)


def default_timeout(root: Path) -> int:
    """The book's cell timeout: `execute: timeout:` in _config.yml (Jupyter Book's own key)."""
    from sirkbok.core import safeyaml
    from sirkbok.core.errors import Problem, UserError

    config = safeyaml.load((root / "_config.yml").read_text(encoding="utf-8"), "_config.yml")
    value = ((config or {}).get("execute") or {}).get("timeout", DEFAULT_TIMEOUT)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UserError(
            Problem(
                file="_config.yml",
                message="«execute: timeout:» må være et helt antall sekunder.",
                found=str(value),
                expected="et heltall større enn 0, for eksempel 300",
            )
        )
    return value


def timeout_option(parser: Any) -> None:
    """`--timeout SECONDS` for every verb that executes notebooks (regenerate, build, run)."""

    def seconds(text: str) -> int:
        import argparse

        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"«{text}» er ikke et helt antall sekunder") from None
        if value < 1:
            raise argparse.ArgumentTypeError("tidsgrensen må være minst 1 sekund")
        return value

    parser.add_argument(
        "--timeout",
        type=seconds,
        default=None,
        metavar="SEKUNDER",
        help="Stopp en celle som kjører lenger enn dette (standard: «execute: timeout:» i "
        f"_config.yml, ellers {DEFAULT_TIMEOUT}). Forrige gyldige utgave beholdes.",
    )


class CellTimedOut(Exception):
    """A cell ran past the timeout; the kernel has been shut down."""

    def __init__(self, cell_index: int, source: str, timeout: int | None) -> None:
        self.cell_index, self.source, self.timeout = cell_index, source, timeout
        super().__init__(f"cell {cell_index + 1} timed out after {timeout} s")


def _engine(relative: str, names: list[str], values: dict[str, Any], log: Path) -> type:
    """A papermill engine that reports each cell, reads the parameters' values back from the kernel
    and sends the kernel's own stderr (start-up warnings, crashes) to `log`, not the terminal.
    A cell past the timeout becomes `CellTimedOut` naming the cell (nbclient then shuts down the
    kernel as it leaves its kernel context)."""
    from nbclient.exceptions import CellTimeoutError
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine

    class Client(PapermillNotebookClient):
        def execute_cell(self, cell, cell_index, *args, **kwargs):  # type: ignore[no-untyped-def]
            try:
                executed = super().execute_cell(cell, cell_index, *args, **kwargs)
            except CellTimeoutError:
                raise CellTimedOut(cell_index, cell.source, self.timeout) from None
            tags = set(cell.metadata.get("tags", []))
            if names and tags & {"parameters", "injected-parameters"}:
                values.update(self._read_parameters())  # as the (injected) parameters left them
            return executed

        def _read_parameters(self) -> dict[str, Any]:
            from nbformat.v4 import new_code_cell

            code = (
                "import json as _sirkbok_json\n"
                "def _sirkbok_value(v):\n"
                "    try:\n"
                "        _sirkbok_json.dumps(v, allow_nan=False)\n"
                "        return v\n"
                "    except (TypeError, ValueError):\n"
                "        return repr(v)\n"
                f"print(_sirkbok_json.dumps({{k: _sirkbok_value(globals()[k]) for k in {names!r} "
                "if k in globals()}))\n"
                "del _sirkbok_json, _sirkbok_value"
            )
            probe = new_code_cell(code)
            self.nb.cells.append(probe)
            try:
                super().execute_cell(probe, len(self.nb.cells) - 1, store_history=False)
            except Exception:  # noqa: BLE001 - values are recorded when they can be read
                return {}
            finally:
                self.nb.cells.pop()
            text = "".join(o.get("text", "") for o in probe.outputs if o.get("name") == "stdout")
            return json.loads(text) if text.strip() else {}

    class Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):  # type: ignore[no-untyped-def]
            total = len(nb_man.nb.cells)
            start = nb_man.cell_start

            def cell_start(cell, cell_index=None, **rest):  # type: ignore[no-untyped-def]
                _emit("cell", relative, (cell_index or 0) + 1, total)
                return start(cell, cell_index, **rest)

            nb_man.cell_start = cell_start
            with open(log, "wb") as stderr:
                return Client(nb_man, **_client_kwargs(kernel_name, kwargs)).execute(stderr=stderr)

    return Engine


def _client_kwargs(kernel_name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The arguments papermill's own NBClientEngine hands its client (papermill 2.7)."""
    from papermill.engines import logger

    options = {
        k: v for k, v in kwargs.items() if k not in {"input_path", "timeout", "startup_timeout"}
    }
    timeout = options.pop("execution_timeout", None)
    startup = options.pop("start_timeout", 60)
    return {
        **options,
        "timeout": timeout,
        "startup_timeout": startup,
        "kernel_name": kernel_name,
        "log": logger,
    }


def clean(executed: Any, source: Any) -> None:
    """Remove what differs between two runs of the same inputs: timings, paths, random cell ids."""
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


class NotebookChanged(Exception):
    """The notebook was edited while it ran: its edit must not be overwritten."""


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
        return _run(Path(root), relative, tables, inputs, Path(staging), started, timeout)
    except Exception as error:  # noqa: BLE001 - reported per notebook, the others go on
        return _failure(relative, error, started)


def _run(
    root: Path,
    relative: str,
    tables: list[str],
    inputs: dict[str, str | None],
    staging: Path,
    started: float,
    timeout: int | None = None,
) -> Result:
    import nbformat
    import papermill

    path = root / relative
    original = path.read_bytes()
    source = nbformat.reads(original.decode("utf-8"), as_version=4)
    names = provenance.parameter_names(json.loads(nbformat.writes(source)))
    values: dict[str, Any] = {}
    staging.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "SIRKBOK_ROOT": str(root),
            "SIRKBOK_NOTEBOOK": relative,
            "SIRKBOK_TABLES": ",".join(tables),
            "SIRKBOK_FIGURE_DIR": str(staging),
            "PYTHONHASHSEED": "0",
        }
    )
    from papermill.engines import papermill_engines

    log = staging.parent.parent / "logs" / (relative.replace("/", "__") + ".log")
    log.parent.mkdir(parents=True, exist_ok=True)
    papermill_engines.register("sirkbok", _engine(relative, names, values, log))
    executed = papermill.execute_notebook(
        str(path),
        None,
        engine_name="sirkbok",
        kernel_name=KERNEL,
        progress_bar=False,
        cwd=str(path.parent),
        execution_timeout=timeout,
    )
    clean(executed, source)
    figures = _figures(root, path, staging)
    outputs = provenance.outputs_hash(json.loads(nbformat.writes(executed)))
    executed.metadata.setdefault("sirkbok", {})["provenance"] = {
        "inputs": inputs,
        "outputs": outputs,
        "parameters": {name: values[name] for name in names if name in values},
        "versions": versions(),
        "figures": {key: digest for key, (_, digest) in figures.items()},
    }
    nbformat.validate(executed)
    if path.read_bytes() != original:
        raise NotebookChanged(
            "notatboka ble endret mens den kjørte; endringen er beholdt, kjør på nytt"
        )
    text = nbformat.writes(executed) + "\n"
    _commit(root, path, text, figures, source)
    shutil.rmtree(staging, ignore_errors=True)
    # Outputs are committed; a path of this machine in them would differ on the next one.
    local = str(root) in text
    return Result(
        notebook=relative,
        ok=True,
        seconds=time.monotonic() - started,
        figures=len(figures),
        warning=f"utdataene inneholder stien {root}, som er en annen på andre maskiner"
        if local
        else "",
    )


def _figures(root: Path, path: Path, staging: Path) -> dict[str, tuple[Path, str]]:
    """Staged figure files -> (staged path, hash), keyed by their final path in the book."""
    target = path.parent / "figurer"
    found = {}
    for file in sorted(staging.rglob("*")):
        if file.is_file() and not provenance.TEMPORARY.match(file.name):
            final = target / file.relative_to(staging)
            found[final.relative_to(root).as_posix()] = (file, provenance.sha256_file(file) or "")
    return found


def _commit(
    root: Path, path: Path, text: str, figures: dict[str, tuple[Path, str]], source: Any
) -> None:
    """Figures first, then the notebook: a kill in between leaves it stale, never wrong."""
    for key, (staged, _) in figures.items():
        final = root / key
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, final)
    write_atomic(path, text)
    previous = source.metadata.get("sirkbok", {}).get("provenance", {}).get("figures", {})
    for key in previous:
        if key not in figures:  # a figure this notebook no longer makes
            (root / key).unlink(missing_ok=True)


def _failure(relative: str, error: BaseException, started: float) -> Result:
    """The notebook, cell, exception name and message; the traceback only for --verbose."""
    from papermill.exceptions import PapermillExecutionError

    seconds = time.monotonic() - started
    if isinstance(error, CellTimedOut | PapermillExecutionError):
        lines = [line for line in error.source.splitlines() if line.strip()]
        timed_out = isinstance(error, CellTimedOut)
        return Result(
            notebook=relative,
            ok=False,
            seconds=seconds,
            cell=error.cell_index + 1,
            cell_source="\n".join(lines[:3]),
            error=f"Cellen kjørte lenger enn tidsgrensen på {error.timeout} s og ble stoppet; "
            "kjernen er avsluttet. Øk grensen med --timeout (eller «execute: timeout:» i "
            "_config.yml) hvis cellen trenger mer tid"
            if timed_out
            else f"{error.ename}: {error.evalue}",
            details="" if timed_out else _strip_ansi("\n".join(error.traceback)),
        )
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
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
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)
