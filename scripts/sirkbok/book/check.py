"""`sirkbok check`: everything a contributor can get wrong, found before the build, in Norwegian.

Nothing the book reads is a symbolic link or a special file, the table of contents and the chapter
files agree, region chapters carry complete front matter, internal links, references and citations
resolve, images have alternative text, no notebook outside the maintainers' folders waits to run
(`sirkbok.run.trust`), the region pages, the data and the figures are up to date. Every problem is
listed with its file and line.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from sirkbok.book import chapters, forms, frontmatter, regions
from sirkbok.book.links import content_problems
from sirkbok.core import context, publisher
from sirkbok.core.errors import Problem, UserError, relative
from sirkbok.core.files import book_not_plain
from sirkbok.datapackage import validate
from sirkbok.run import status, trust


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--skip-figures",
        action="store_true",
        help="Ikke sjekk om figurene er utdatert (går raskere).",
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help="Sjekk også at boka kan publiseres: ingen plassholdere i utgiverblokken.",
    )


def run(args: argparse.Namespace) -> int:
    root = context.current().root
    problems = check_book(root, figures=not args.skip_figures)
    if args.publish:  # no placeholder address, and the forms and GitHub files match the block
        problems += publisher.placeholder_problems(root) + forms.stale(root)
    if problems:
        raise UserError(problems)
    checked = "innholdsfortegnelse, forside-data, lenker, bilder, innhentede filer, HTML, "
    checked += "notatbøker, regionsider, data"
    checked += " og figurer" if not args.skip_figures else " (figurene er ikke sjekket)"
    print(f"Sjekken fant ingen feil: {checked}.")
    return 0


def check_book(root: Path, figures: bool = True) -> list[Problem]:
    """Every problem in the book at `root`, in a stable order."""
    # The book at `root` is the book for every helper, also those reading the data package
    # through `data.load`, which reads the current Book.
    with context.using(context.at(root)):
        return _check_book(root, figures)


def _check_book(root: Path, figures: bool) -> list[Problem]:
    # A link or special file is refused before anything is read: it could bring in what lies
    # outside the repository (or hang the reader), so nothing further is looked at.
    problems: list[Problem] = book_not_plain(root)
    if problems:
        return problems
    toc_entries, toc_problems = read_toc(root)
    problems += toc_problems
    problems += orphan_problems(root, toc_entries)
    data = data_problems()
    problems += data
    if not data:  # the region pages are generated from the data
        problems += region_problems(root)
    problems += encoding_problems(root)
    problems += content_problems(root)
    problems += trust.screen(root)  # notebooks that may not run: untrusted, or not notebooks
    if figures:
        problems += figure_problems(root)
    return list(dict.fromkeys(problems))  # an unreadable region chapter is found twice


# --- table of contents --------------------------------------------------------------------------


def read_toc(root: Path) -> tuple[set[str], list[Problem]]:
    """The toc's documents and a problem for each entry without a file."""
    text = (root / "_toc.yml").read_text(encoding="utf-8")
    try:
        entries = {entry.docname for entry in chapters.entries(chapters.parse(text))}
    except UserError as error:
        return set(), error.problems
    lines = text.splitlines()
    problems = []
    for entry in sorted(entries):
        if not any((root / f"{entry}{s}").is_file() for s in chapters.SUFFIXES):
            pattern = rf"(file|root):\s*['\"]?{re.escape(entry)}(\.md|\.ipynb)?['\"]?\s*(#.*)?$"
            line = next((n for n, t in enumerate(lines, 1) if re.search(pattern, t)), None)
            problems.append(
                Problem(
                    file="_toc.yml",
                    line=line,
                    message="Innholdsfortegnelsen viser til et kapittel som ikke finnes.",
                    found=entry,
                    expected=f"filen {entry}.md eller {entry}.ipynb",
                )
            )
    return entries, problems


def orphan_problems(root: Path, toc_entries: set[str]) -> list[Problem]:
    """Chapter files the toc does not list (they would never appear in the book)."""
    listed = set(toc_entries)
    problems = []
    for path in chapters.chapter_files(root):
        name = path.relative_to(root).with_suffix("").as_posix()
        if chapters.is_draft(path) or name in listed:
            continue
        problems.append(
            Problem(
                file=relative(path, root),
                message=(
                    "Kapitlet står ikke i innholdsfortegnelsen (_toc.yml) og kommer derfor "
                    "ikke med i boka. Legg det inn der (regionkapitler under «sections:» for "
                    "regionsiden), eller gi filen et navn som begynner med «_» hvis den ikke "
                    "skal med."
                ),
                expected=f"- file: {name}",
            )
        )
    return problems


# --- region pages and front matter --------------------------------------------------------------


def encoding_problems(root: Path) -> list[Problem]:
    """Chapter files that are not UTF-8 (the build would stop on them)."""
    problems: list[Problem] = []
    for path in chapters.chapter_files(root):
        try:
            frontmatter.read_text(path, relative(path, root))
        except UserError as error:
            problems += error.problems
    return problems


def region_problems(root: Path) -> list[Problem]:
    try:
        region_list, theme_list = regions.region_ids(), regions.theme_ids()
    except UserError as error:
        return error.problems
    problems = []
    folder = root / regions.REGION_DIR
    if folder.is_dir():
        for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
            if sub.name not in region_list and not sub.name.startswith(("_", ".")):
                problems.append(
                    Problem(
                        file=relative(sub, root),
                        message=("Mappa har ikke navnet til en region."),
                        found=sub.name,
                        expected="en av " + ", ".join(region_list),
                    )
                )
    for region in region_list:
        for chapter in regions.region_chapters(root, region):
            problems += frontmatter.front_matter_problems(chapter, root, region_list, theme_list)
    problems += regions.stale_pages(root)
    return problems


# --- data and figures -----------------------------------------------------------------------------


def data_problems() -> list[Problem]:
    """The current Book's (the checked root's) package problems; the result is kept on the Book,
    so the region pages generated next load its tables without validating them again."""
    try:
        return validate.validated().problems
    except UserError as error:  # a descriptor that fails its profile: listed with the rest
        return error.problems


def figure_problems(root: Path) -> list[Problem]:
    """One problem per notebook whose figures are older than its inputs, with why."""
    try:
        stale = status.stale(root)
    except UserError as error:  # a notebook that declares its inputs wrongly
        return error.problems
    return [
        Problem(
            file=relative(path, root),
            message=f"Figurene er utdatert: {'; '.join(reasons)}. "
            "Kjør `make figures` (eller `make book`).",
        )
        for path, reasons in stale.items()
    ]
