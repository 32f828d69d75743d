"""Running a theme notebook for real with papermill and reading the values it glued."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from sirkbok.run import results


def run(notebook: Path, tmp_path: Path, name: str, **parameters: Any) -> nbformat.NotebookNode:
    """Execute `notebook` with `parameters` into tmp_path (set SIRKBOK_FIGURE_DIR beforehand)."""
    import papermill

    output = tmp_path / f"{name}.ipynb"
    papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        cwd=str(notebook.parent),
        progress_bar=False,
    )
    return nbformat.read(output, as_version=4)


def glued(notebook: nbformat.NotebookNode, name: str) -> Any:
    """One glued value, parsed the way `sirkbok run` reads headline results."""
    values = results.glued(notebook, name.split("_")[0])
    assert name in values, f"fant ikke {name} i notatboka"
    return values[name]
