"""`sirkbok check`: everything a contributor can get wrong, found before the build, in Norwegian.

The table of contents and the chapter files agree, region chapters carry complete front matter,
internal links, references and citations resolve, images have alternative text, the region pages,
the data and the figures are up to date. Every problem is listed with its file and line.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from sirkbok.book import regions
from sirkbok.core import paths
from sirkbok.core.errors import Problem, UserError, relative
from sirkbok.run import status

EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
MD_LINK = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^()\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)"
)
ROLE = re.compile(r"\{(doc|ref|numref|cite|cite:p|cite:t|cite:ps|cite:ts)\}`([^`]*)`")
HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
HTML_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
HTML_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
LABEL = re.compile(r"^\s*\(([^()\s]+)\)=\s*$")
NAME_OPTION = re.compile(r"^\s*:name:\s*(\S+)\s*$")
FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*(\{[^}]*\})?\s*(.*)$")
IMAGE_DIRECTIVE = re.compile(r"^\s*(`{3,}|:{3,})\s*\{(image|figure)\}\s*(\S*)")
CODE_DIRECTIVES = {
    "{code-cell}",
    "{code-block}",
    "{code}",
    "{raw}",
    "{math}",
    "{literalinclude}",
    "{bibliography}",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--skip-figures",
        action="store_true",
        help="Ikke sjekk om figurene er utdatert (går raskere).",
    )


def run(args: argparse.Namespace) -> int:
    root = paths.root()
    problems = check_book(root, figures=not args.skip_figures)
    if problems:
        raise UserError(problems)
    checked = "innholdsfortegnelse, forside-data, lenker, bilder, regionsider, data"
    checked += " og figurer" if not args.skip_figures else " (figurene er ikke sjekket)"
    print(f"Sjekken fant ingen feil: {checked}.")
    return 0


def check_book(root: Path, figures: bool = True) -> list[Problem]:
    """Every problem in the book at `root`, in a stable order."""
    # The book at `root` is the book for every helper, also those reading the data package
    # through `data.load`, which finds the book by SIRKBOK_ROOT.
    with paths.environment({"SIRKBOK_ROOT": str(root)}):
        return _check_book(root, figures)


def _check_book(root: Path, figures: bool) -> list[Problem]:
    problems: list[Problem] = []
    toc_entries, toc_problems = read_toc(root)
    problems += toc_problems
    problems += orphan_problems(root, toc_entries)
    data = data_problems(root)
    problems += data
    if not data:  # the region pages are generated from the data
        problems += region_problems(root)
    problems += encoding_problems(root)
    problems += content_problems(root)
    if figures:
        problems += figure_problems(root)
    return list(dict.fromkeys(problems))  # an unreadable region chapter is found twice


# --- table of contents --------------------------------------------------------------------------


def read_toc(root: Path) -> tuple[set[str], list[Problem]]:
    """The toc's documents and a problem for each entry without a file."""
    from sirkbok.core import safeyaml  # only here: the CLI must start fast

    text = (root / "_toc.yml").read_text(encoding="utf-8")
    try:
        safeyaml.load(text, "_toc.yml")
    except UserError as error:
        return set(), error.problems
    entries = regions.toc_files(root)
    lines = text.splitlines()
    problems = []
    for entry in sorted(entries):
        if not any((root / f"{entry}{s}").is_file() for s in regions.CHAPTER_SUFFIXES):
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
    from sirkbok.book.scaffold import paths_of_chapters

    listed = set(toc_entries)
    problems = []
    for path in sorted(paths_of_chapters(root)):
        name = path.relative_to(root).with_suffix("").as_posix()
        if path.name.startswith("_") or name in listed:
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
    from sirkbok.book.scaffold import paths_of_chapters

    problems: list[Problem] = []
    for path in sorted(paths_of_chapters(root)):
        try:
            regions.read_text(path, relative(path, root))
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
            problems += regions.front_matter_problems(chapter, root, region_list, theme_list)
    problems += regions.stale_pages(root)
    return problems


# --- links, references, citations and images -----------------------------------------------------


@dataclass
class Text:
    """Markdown to scan: a .md file, or one notebook cell (lines then count within the cell)."""

    path: Path
    label: str
    text: str


def markdown_texts(root: Path) -> Iterator[Text]:
    from sirkbok.book.scaffold import paths_of_chapters

    for path in sorted(paths_of_chapters(root)):
        name = relative(path, root)
        try:
            text = regions.read_text(path, name)
        except UserError:
            continue  # reported by `encoding_problems`
        if path.suffix == ".md":
            yield Text(path, name, text)
            continue
        try:
            cells = json.loads(text).get("cells", [])
        except json.JSONDecodeError:
            continue  # reported by the front matter check for region chapters
        for number, cell in enumerate(cells, start=1):
            if cell.get("cell_type") == "markdown":
                source = cell.get("source", "")
                yield Text(
                    path,
                    f"{name}, celle {number}",
                    "".join(source) if isinstance(source, list) else source,
                )


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines outside code, with HTML comments blanked (line numbers are kept)."""
    text = re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    front = regions.FRONT_MATTER.match(text)
    skip_to = text[: front.end()].count("\n") if front else 0
    open_fences: list[tuple[str, bool]] = []  # (fence, holds code) from outermost to innermost
    for number, line in enumerate(text.splitlines(), start=1):
        if number <= skip_to:
            continue
        match = FENCE.match(line)
        if match:
            token, directive, info = match.groups()
            top = open_fences[-1][0] if open_fences else None
            closes = top and token[0] == top[0] and len(token) >= len(top) and not directive
            if closes and not info:
                open_fences.pop()
                continue
            if not any(code for _, code in open_fences):
                code = token[0] != ":" and (directive is None or directive in CODE_DIRECTIVES)
                open_fences.append((token, code))
                if code:
                    continue
        if any(code for _, code in open_fences):
            continue
        yield number, line


def labels_and_keys(root: Path, texts: list[Text]) -> tuple[set[str], set[str]]:
    labels: set[str] = set()
    for item in texts:
        for _, line in prose_lines(item.text):
            for pattern in (LABEL, NAME_OPTION):
                match = pattern.match(line)
                if match:
                    labels.add(match.group(1))
    bib = root / "references.bib"
    keys = (
        set(re.findall(r"^@\w+\s*\{\s*([^,\s]+)\s*,", bib.read_text(encoding="utf-8"), re.M))
        if bib.is_file()
        else set()
    )
    return labels, keys


def _target(raw: str) -> str:
    match = re.match(r"^.*<([^<>]+)>\s*$", raw, re.S)
    return (match.group(1) if match else raw).strip()


def _resolve(root: Path, base: Path, target: str) -> Path | None:
    """The file a link or `{doc}` points to (the suffix may be left out), or None."""
    path = root / target.lstrip("/") if target.startswith("/") else base / target
    return next(
        (p for p in (Path(f"{path}{s}") for s in ("", ".md", ".ipynb")) if p.is_file()), None
    )


def _outside_toc(root: Path, path: Path, in_toc: set[str]) -> bool:
    """A chapter the toc lacks is no page, so a link to it breaks the build."""
    if path.suffix not in regions.CHAPTER_SUFFIXES:
        return False
    try:
        name = path.resolve().relative_to(root.resolve()).with_suffix("").as_posix()
    except ValueError:  # outside the book: reported by the build, not a chapter of ours
        return False
    return name not in in_toc


NOT_IN_TOC = "Lenken peker til et kapittel som ikke står i innholdsfortegnelsen (_toc.yml)."


def content_problems(root: Path) -> list[Problem]:
    texts = list(markdown_texts(root))
    labels, keys = labels_and_keys(root, texts)
    in_toc = regions.toc_files(root)
    return [problem for item in texts for problem in _scan(root, item, labels, keys, in_toc)]


def _scan(
    root: Path, item: Text, labels: set[str], keys: set[str], in_toc: set[str]
) -> list[Problem]:
    """Links, references, citations and images in one Markdown text."""
    problems: list[Problem] = []
    base = item.path.parent
    directive_alt: tuple[int, str] | None = None  # an {image}/{figure} still missing :alt:

    def add(
        line: int,
        message: str,
        found: str | None = None,
        expected: str | None = None,
    ) -> None:
        problems.append(
            Problem(
                file=item.label,
                line=line,
                message=message,
                found=found,
                expected=expected,
            )
        )

    def close_directive() -> None:
        nonlocal directive_alt
        if directive_alt:
            add(
                directive_alt[0],
                "Bildet mangler alternativ tekst («:alt:») som sier hva det viser.",
                found=directive_alt[1],
            )
            directive_alt = None

    for number, raw_line in prose_lines(item.text):
        # ``{cite}`key` `` shows the syntax: double-backtick code is not a role to resolve
        line = re.sub(r"``.+?``", lambda m: " " * len(m.group(0)), raw_line)
        image = IMAGE_DIRECTIVE.match(line)
        if image:
            close_directive()
            directive_alt = (number, image.group(3))
            if (
                image.group(3)
                and not EXTERNAL.match(image.group(3))
                and not _resolve(root, base, unquote(image.group(3)))
            ):
                add(number, "Bildefilen finnes ikke.", found=image.group(3))
            continue
        if directive_alt:
            if re.match(r"^\s*:alt:\s*\S", line):
                directive_alt = None
            elif not re.match(r"^\s*:[\w-]+:", line):
                close_directive()
        for role, raw in ROLE.findall(line):
            target = _target(raw)
            document = _resolve(root, base, target) if role == "doc" else None
            if role == "doc" and document is None:
                add(
                    number,
                    "Lenken peker til et kapittel som ikke finnes.",
                    found=raw,
                    expected="en sti til en .md- eller .ipynb-fil uten endelse, for "
                    "eksempel /chapters/strategi/mal",
                )
            elif document is not None and _outside_toc(root, document, in_toc):
                add(number, NOT_IN_TOC, found=raw)
            elif role in ("ref", "numref") and target not in labels:
                add(
                    number,
                    "Henvisningen peker til et merke som ikke finnes.",
                    found=target,
                    expected="et merke satt med «(merke)=» over en overskrift eller "
                    "«:name: merke» i en figur",
                )
            elif role.startswith("cite"):
                for key in (k.strip() for k in target.split(",")):
                    if key and key not in keys:
                        add(
                            number,
                            "Ukjent kildenøkkel.",
                            found=key,
                            expected="en nøkkel fra chapters/_bibkeys.txt",
                        )
        plain = re.sub(
            r"`[^`]*`",
            lambda m: " " * len(m.group(0)),
            ROLE.sub(lambda m: " " * len(m.group(0)), line),
        )
        for bang, alt, target in MD_LINK.findall(plain):
            if bang and not alt.strip():
                add(
                    number,
                    "Bildet mangler alternativ tekst: skriv hva bildet viser mellom "
                    "hakeparentesene, ![slik](bilde.png).",
                    found=target,
                )
            problems += _local_target(root, base, target, item, number, in_toc)
        for tag in HTML_IMG.findall(plain):
            alt = HTML_ALT.search(tag)
            if not alt or not "".join(g or "" for g in alt.groups()).strip():
                add(number, 'Bildet mangler alternativ tekst (alt="…").', found=tag)
            src = HTML_SRC.search(tag)
            if src:
                problems += _local_target(
                    root, base, next(g for g in src.groups() if g), item, number, in_toc
                )
    close_directive()
    return problems


def _local_target(
    root: Path, base: Path, target: str, item: Text, line: int, in_toc: set[str]
) -> list[Problem]:
    if not target or target.startswith("#") or EXTERNAL.match(target):
        return []
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    found = _resolve(root, base, path) if path else None
    if not path:
        return []
    if found is not None:
        if _outside_toc(root, found, in_toc):
            return [Problem(file=item.label, line=line, message=NOT_IN_TOC, found=target)]
        return []
    return [
        Problem(
            file=item.label,
            line=line,
            message=(
                "Lenken eller bildet peker til en fil som ikke finnes (stien regnes fra "
                "mappa filen ligger i)."
            ),
            found=target,
        )
    ]


# --- data and figures -----------------------------------------------------------------------------


def data_problems(root: Path) -> list[Problem]:
    from sirkbok.datapackage import validate

    result = validate.validate_package(root / "data")
    return list(getattr(result, "problems", result))


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
