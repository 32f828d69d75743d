"""`sirkbok build`: regenerate what is stale, then build the HTML book with warnings as errors."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from sirkbok.core import paths


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        help="Antall notatbøker som kjøres samtidig (standard: antall kjerner).",
    )
    parser.add_argument(
        "--skip-regenerate",
        action="store_true",
        help="Bygg uten å kjøre utdaterte notatbøker først.",
    )
    from sirkbok.run.execute import timeout_option

    timeout_option(parser)


def strict_command(root: Path, output: Path | None = None, builder: str = "html") -> list[str]:
    """A clean, strict Jupyter Book build: every warning an error (`-W -n`), all of them listed.

    `--all`: Sphinx does not recopy changed static files otherwise. `output` keeps the build out of
    the book's own _build (tests, the PDF's one-page build).
    """
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(root)]
    if builder != "html":
        command += ["--builder", builder]
    if output is not None:
        command += ["--path-output", str(output)]
    return command + ["--all", "-W", "-n", "--keep-going"]


def build_html(root_dir: str | None = None) -> int:
    """The site into the book's _build/html."""
    return subprocess.call(strict_command(Path(root_dir or paths.root())))


def write_generated() -> None:
    """Files derived from the data package: the bibliography and the data register."""
    from sirkbok.book import bibtex
    from sirkbok.datapackage import register

    bibtex.write_bibtex()
    register.main([])


def prepare(
    jobs: int | None = None, skip_regenerate: bool = False, timeout: float | None = None
) -> int:
    """What every build needs first: generated files, and no stale notebook (0 when all is well)."""
    write_generated()
    if not skip_regenerate:
        from sirkbok.run import regenerate

        status = regenerate.regenerate(jobs=jobs, timeout=timeout)
        if status != 0:
            print("Boka ble ikke bygget fordi minst én notatbok feilet.", file=sys.stderr)
            return status
    return 0


def run(args: argparse.Namespace) -> int:
    status = prepare(args.jobs, args.skip_regenerate, args.timeout)
    return status or build_html()
