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


def build_html(root_dir: str | None = None) -> int:
    """A clean Sphinx build (`--all`: Sphinx does not recopy changed static files otherwise)."""
    root_dir = root_dir or str(paths.root())
    command = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build",
        root_dir,
        "--all",
        "-W",
        "-n",
        "--keep-going",
    ]
    return subprocess.call(command)


def write_generated() -> None:
    """Files derived from the data package: the bibliography and the data register."""
    from sirkbok.book import bibtex
    from sirkbok.datapackage import register

    bibtex.write_bibtex()
    register.main([])


def run(args: argparse.Namespace) -> int:
    write_generated()
    if not args.skip_regenerate:
        from sirkbok.run import regenerate

        status = regenerate.regenerate(jobs=args.jobs, timeout=args.timeout)
        if status != 0:
            print("Boka ble ikke bygget fordi minst én notatbok feilet.", file=sys.stderr)
            return status
    return build_html()
