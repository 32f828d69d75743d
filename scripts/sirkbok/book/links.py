"""Links, references, citations and images in the chapters' Markdown: each must resolve.

`sirkbok check` reads every chapter file (a .md file, or each Markdown cell of a notebook) outside
code: a `{doc}` or Markdown link must reach a file the table of contents lists, a `{ref}` a label,
a `{cite}` a key of references.bib, and every image needs alternative text. Each problem names the
file (and cell), the line, what was found and what was expected.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from sirkbok.book import bibtex, chapters, containment
from sirkbok.book.frontmatter import FRONT_MATTER, read_text
from sirkbok.core.errors import Problem, UserError, relative

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


@dataclass
class Text:
    """Markdown to scan: a .md file, or one notebook cell (lines then count within the cell)."""

    path: Path
    label: str
    text: str


def markdown_texts(root: Path) -> Iterator[Text]:
    for path in chapters.chapter_files(root):
        yield from file_texts(path, relative(path, root))


def file_texts(path: Path, name: str) -> Iterator[Text]:
    """The Markdown of one chapter file, shown as `name`: the file, or each Markdown cell."""
    try:
        text = read_text(path, name)
    except UserError:
        return  # reported by `encoding_problems`
    if path.suffix != ".ipynb":
        yield Text(path, name, text)
        return
    try:
        cells = json.loads(text).get("cells", [])
    except (json.JSONDecodeError, AttributeError):
        return  # reported by the front matter check for region chapters
    for number, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            yield Text(
                path,
                f"{name}, celle {number}",
                "".join(source) if isinstance(source, list) else str(source),
            )


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines outside code, with HTML comments blanked (line numbers are kept)."""
    text = re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    front = FRONT_MATTER.match(text)
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
    """The labels the chapters set (`(label)=`, `:name:`) and the citation keys of the book."""
    labels: set[str] = set()
    for item in texts:
        for _, line in prose_lines(item.text):
            for pattern in (LABEL, NAME_OPTION):
                match = pattern.match(line)
                if match:
                    labels.add(match.group(1))
    return labels, bibtex.keys(root)


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
    if path.suffix not in chapters.SUFFIXES:
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
    in_toc = chapters.pages(root)
    problems = [problem for item in texts for problem in _scan(root, item, labels, keys, in_toc)]
    for item in texts:  # what a chapter may pull into the book (sirkbok.book.containment)
        problems += containment.problems(root, item.path, item.label, item.text)
    return problems


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
