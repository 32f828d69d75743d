"""`sirkbok build`: regenerate what is stale, then build the HTML book with warnings as errors,
at the cost of what changed (see `sirkbok.book.site`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sirkbok.book import bibtex, edition, site
from sirkbok.core import context, locks, safeyaml
from sirkbok.core.files import require_plain, write_atomic
from sirkbok.datapackage import register
from sirkbok.run import provenance, regenerate, trust
from sirkbok.run.engine import jobs_option, timeout_option


def add_arguments(parser: argparse.ArgumentParser) -> None:

    jobs_option(parser)
    parser.add_argument(
        "--skip-regenerate",
        action="store_true",
        help="Bygg uten å kjøre utdaterte notatbøker først.",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="Bygg hele nettstedet på nytt, også når ingenting er endret.",
    )
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


def build_html(root_dir: str | None = None, full: bool = False) -> int:
    """The strict HTML build (-W -n --keep-going): skipped when no input changed, else incremental."""

    return site.build(Path(root_dir) if root_dir else context.current().root, full=full)


def write_generated(root: Path | None = None) -> None:
    """Files derived from the data package: the bibliography and the data register. Skipped when
    the data package, the code that writes them and what they last wrote are all unchanged."""
    import json

    root = root or context.current().root
    outputs = [root / "references.bib", register.register_path(root / "data")]
    code = provenance.package_files(
        ["import sirkbok.book.bibtex, sirkbok.datapackage.register"], root
    )
    inputs = [p for p in sorted((root / "data").glob("*")) if p.is_file() and p not in outputs]

    def state() -> dict[str, str | None]:
        files = [*inputs, *outputs]
        keys = {p.relative_to(root).as_posix(): provenance.sha256_file(p) for p in files}
        return keys | {provenance.package_key(p): provenance.sha256_file(p) for p in code}

    stamp = regenerate.cache_dir(root) / "generated.json"
    try:
        if json.loads(stamp.read_text(encoding="utf-8")) == state():
            return
    except (OSError, ValueError):
        pass
    with context.using(context.at(root)):
        bibtex.write_bibtex(root / "references.bib")
        register.main([])
    write_atomic(stamp, json.dumps(state(), indent=1, sort_keys=True))


def check_yaml(root: Path) -> None:
    """The book's YAML through safeyaml (aliases and size bounded, the shape checked), before Jupyter
    Book and Sphinx read it with their own loaders: CITATION.cff through `edition`."""

    for name in ("_config.yml", "_toc.yml"):
        safeyaml.mapping((root / name).read_text(encoding="utf-8"), name)
    edition.read(root)


def prepare(
    jobs: int | None = None, skip_regenerate: bool = False, timeout: int | None = None
) -> int:
    """What every build needs first: no symbolic link or special file among the book's inputs (refused
    before anything is read or run), readable YAML, generated files, and no stale notebook (0 when
    all is well)."""

    root = context.current().root
    require_plain(root)
    check_yaml(root)
    write_generated(root)
    if skip_regenerate:  # regenerate refuses untrusted notebooks itself, after updating the pages
        trust.require(root)
    else:
        status = regenerate.regenerate(jobs=jobs, root=root, timeout=timeout)
        if status != 0:
            print("Boka ble ikke bygget fordi minst én notatbok feilet.", file=sys.stderr)
            return status
    return 0


def run(args: argparse.Namespace) -> int:

    root = context.current().root
    with locks.data(root, write=False):  # an import waits until the site is built
        status = prepare(args.jobs, args.skip_regenerate, args.timeout)
        return status or build_html(str(root), full=args.all)
