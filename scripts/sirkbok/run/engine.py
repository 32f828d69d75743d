"""The papermill engine every notebook run uses: our kernel, progress per cell, a cell time limit.

Papermill's own engine would run the notebook too; ours adds what both runners need: each cell is
reported (the live progress of `sirkbok regenerate`), the values the `parameters` cell left are read
back from the kernel (recorded in the provenance), the kernel's stderr goes to a log file instead of
the terminal, a cell past the time limit (`--timeout`, else `execute: timeout:` in
_config.yml) becomes `CellTimedOut` naming that cell, and the kernel starts with a scrubbed
environment (`kernel_environment`: the variables in `KERNEL_VARIABLES` and a temporary HOME, which
is removed afterwards), so no token, CI or cloud variable of the caller reaches a notebook.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sirkbok.core import safeyaml
from sirkbok.core.errors import Problem, UserError
from sirkbok.core.files import write_atomic

KERNEL = "python3"
NAME = "sirkbok"  # the engine's name in papermill's registry


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


# The one list of what a kernel may see of our environment; everything else (GITHUB_*, CI, AWS_*,
# tokens, SSH agents, proxies...) is left out. HOME and the Jupyter, IPython and cache folders are
# set to a fresh temporary folder by `kernel_environment`.
KERNEL_VARIABLES = frozenset(
    {
        "PATH",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "PYTHONHASHSEED",
        "SIRKBOK_ROOT",  # the book (sirkbok.core.paths)
        "SIRKBOK_NOTEBOOK",  # the running notebook's path, for messages (sirkbok.datapackage.load)
        "SIRKBOK_TABLES",  # the tables it declares (sirkbok.datapackage.load)
        "SIRKBOK_FIGURE_DIR",  # where its figures are staged (sirkbok.reader.charts)
    }
)
KERNEL_PREFIXES = ("LC_",)  # locale categories


def kernel_environment(home: Path) -> dict[str, str]:
    """A kernel's whole environment: `KERNEL_VARIABLES` from ours, and `home` as its HOME."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if name in KERNEL_VARIABLES or name.startswith(KERNEL_PREFIXES)
    }
    return {
        **kept,
        "HOME": str(home),
        "IPYTHONDIR": str(home / ".ipython"),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / ".local" / "share" / "jupyter"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "MPLBACKEND": "agg",
    }


DEFAULT_TIMEOUT = 300  # seconds per cell when _config.yml does not say (execute: timeout:)


def default_timeout(root: Path) -> int:
    """The book's cell timeout: `execute: timeout:` in _config.yml (Jupyter Book's own key)."""
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


def timeout_option(parser: argparse.ArgumentParser) -> None:
    """`--timeout SECONDS` for every verb that executes notebooks (regenerate, build, run)."""

    def seconds(text: str) -> int:
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


def register(
    relative: str,
    names: list[str],
    values: dict[str, Any],
    log: Path,
    report: Callable[[str, int, int], None],
) -> str:
    """Register the engine for one run under `NAME` (returned, for papermill's `engine_name`).

    `report(notebook, cell, cells)` is called as each cell starts; `values` receives the values of
    `names` as the (injected) parameters cell left them; the kernel's stderr goes to `log`.
    """
    from papermill.engines import papermill_engines

    papermill_engines.register(NAME, _engine(relative, names, values, log, report))
    return NAME


def _engine(
    relative: str,
    names: list[str],
    values: dict[str, Any],
    log: Path,
    report: Callable[[str, int, int], None],
) -> type:
    """A papermill engine class; nbclient shuts the kernel down as it leaves its kernel context."""
    from nbclient.exceptions import CellTimeoutError
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine

    class Client(PapermillNotebookClient):
        def execute_cell(self, cell: Any, cell_index: int, *args: Any, **kwargs: Any) -> Any:
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
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
            total = len(nb_man.nb.cells)
            start = nb_man.cell_start

            def cell_start(cell: Any, cell_index: int | None = None, **rest: Any) -> Any:
                report(relative, (cell_index or 0) + 1, total)
                return start(cell, cell_index, **rest)

            nb_man.cell_start = cell_start
            client = Client(nb_man, **_client_kwargs(kernel_name, kwargs))
            # The kernel has shut down when execute returns, so its HOME can go.
            with (
                tempfile.TemporaryDirectory(
                    prefix="sirkbok-kjerne-", ignore_cleanup_errors=True
                ) as home,
                open(log, "wb") as stderr,
            ):
                return client.execute(stderr=stderr, env=kernel_environment(Path(home)))

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
