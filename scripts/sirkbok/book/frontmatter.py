"""A chapter's metadata: YAML front matter (.md) or the `sirkbok` notebook metadata, and its checks.

Region chapters carry title, region, theme, authors, date and status; the region pages list them
from here and `sirkbok check` reports what is missing or invalid, with its line. Titles and authors
are shown as text in the menu and on the region pages, so markup in them is refused here too.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sirkbok.core import safeyaml
from sirkbok.core.errors import Problem, UserError, relative
from sirkbok.core.format import markup

STATUSES = ("utkast", "til-gjennomgang", "publisert")
STATUS_LABELS = {"utkast": "utkast", "til-gjennomgang": "til gjennomgang", "publisert": "publisert"}
REQUIRED_KEYS = ("title", "region", "theme", "authors", "date", "status")


@dataclass
class Chapter:
    """A chapter file with its metadata: YAML front matter (.md) or `sirkbok` notebook metadata."""

    path: Path
    meta: dict[str, Any] | None
    key_lines: dict[str, int] = field(default_factory=dict)
    heading: str | None = None
    heading_line: int | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def title(self) -> str | None:
        value = (self.meta or {}).get("title")
        return str(value) if value else self.heading


UNREADABLE = "Forside-dataene (YAML mellom «---»-linjene øverst) kan ikke leses"
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def read_chapter(path: Path, root: Path) -> Chapter:
    """Read a chapter's metadata and first heading; YAML errors become problems, not exceptions."""
    name = relative(path, root)
    if path.suffix == ".ipynb":
        return _read_notebook(path, name)
    try:
        text = read_text(path, name)
    except UserError as error:
        return Chapter(path=path, meta=None, problems=error.problems)
    chapter = Chapter(path=path, meta=None)
    body_offset = 0
    match = FRONT_MATTER.match(text)
    if match:
        body_offset = match.end()
        raw = match.group(1) or ""
        try:  # plain strings (no date surprises), aliases and oversized YAML refused
            loaded = safeyaml.load(
                raw,
                name,
                plain=True,
                line_offset=1,
                what=UNREADABLE,
            )
        except UserError as error:
            chapter.problems.extend(error.problems)
            loaded = {}
        if loaded is not None and not isinstance(loaded, dict):
            chapter.problems.append(
                Problem(
                    file=name, line=2, message=("Forside-dataene må være «nøkkel: verdi»-linjer.")
                )
            )
            loaded = {}
        chapter.meta = loaded or {}
        for number, line in enumerate(raw.splitlines(), start=2):
            key = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
            if key:
                chapter.key_lines.setdefault(key.group(1), number)
    heading = _first_heading(text[body_offset:])
    if heading:
        chapter.heading = heading[0]
        chapter.heading_line = text[:body_offset].count("\n") + heading[1]
    return chapter


def _first_heading(markdown: str) -> tuple[str, int] | None:
    """The first `# ` heading outside fenced code, with its line number within `markdown`."""
    fence: str | None = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        stripped = line.strip()
        marker = re.match(r"^(`{3,}|~{3,}|:{3,})", stripped)
        if marker:
            token = marker.group(1)
            if fence is None:
                fence = token
            elif token[0] == fence[0] and len(token) >= len(fence) and stripped == token:
                fence = None
            continue
        if fence is None:
            match = HEADING.match(line)
            if match:
                return match.group(1).strip(), number
    return None


def read_text(path: Path, name: str) -> str:
    """A chapter file's text; anything but UTF-8 is a user error naming the line."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserError(
            Problem(
                file=name,
                line=raw[: error.start].count(b"\n") + 1,
                message="Filen er ikke UTF-8.",
                expected="UTF-8 (lagre filen på nytt med tegnkoding UTF-8)",
            )
        ) from None


def _read_notebook(path: Path, name: str) -> Chapter:
    try:
        notebook = json.loads(read_text(path, name))
    except UserError as error:
        return Chapter(path=path, meta=None, problems=error.problems)
    except json.JSONDecodeError as error:
        return Chapter(
            path=path,
            meta=None,
            problems=[
                Problem(
                    file=name,
                    line=error.lineno,
                    message=f"Notatboka er ikke gyldig JSON: {error.msg}.",
                )
            ],
        )
    meta = notebook.get("metadata", {}).get("sirkbok")
    chapter = Chapter(path=path, meta=dict(meta) if isinstance(meta, dict) else None)
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            heading = _first_heading("".join(source) if isinstance(source, list) else source)
            if heading:
                chapter.heading = heading[0]
                break
    return chapter


def front_matter_problems(
    chapter: Chapter, root: Path, regions: list[str], themes: list[str]
) -> list[Problem]:
    """Every way a region chapter's front matter is incomplete or invalid, with its line."""
    name = relative(chapter.path, root)
    problems = list(chapter.problems)
    where = "forside-dataene" if chapter.path.suffix == ".md" else "notatbokas metadata «sirkbok»"
    if chapter.meta is None and problems:
        return problems  # unreadable: the reason is reported, not a list of missing keys
    if chapter.meta is None:
        problems.append(
            Problem(
                file=name,
                line=1,
                message=(
                    f"Kapitlet mangler {where} (title, region, theme, authors, date, status). "
                    "Kopier toppen av malen i scripts/sirkbok/templates/, eller lag kapitlet med "
                    "`sirkbok new-chapter`."
                ),
            )
        )
        return problems
    meta = chapter.meta

    def add(key: str, message: str, found: Any = None, expected: str | None = None) -> None:
        problems.append(
            Problem(
                file=name,
                line=chapter.key_lines.get(key, 1),
                message=message,
                found=None if found is None else str(found),
                expected=expected,
            )
        )

    for key in REQUIRED_KEYS:
        if meta.get(key) in (None, "", []):
            add(key, f"«{key}» mangler i {where}.")
    folder_region = chapter.path.parent.name
    region = meta.get("region")
    if region not in (None, ""):
        if region not in regions:
            add("region", "Ukjent region.", region, "en av " + ", ".join(regions))
        elif region != folder_region:
            add(
                "region",
                f"Kapitlet ligger i mappa til {folder_region}, men sier en annen region.",
                region,
                folder_region,
            )
    theme = meta.get("theme")
    if theme not in (None, "") and theme not in themes:
        add("theme", "Ukjent tema.", theme, "en av " + ", ".join(themes))
    authors = meta.get("authors")
    if authors not in (None, "", []) and not (
        isinstance(authors, list) and all(isinstance(a, str) and a.strip() for a in authors)
    ):
        add(
            "authors",
            "«authors» skal være en liste med navn, én «- Navn»-linje per forfatter.",
            authors,
        )
    date = meta.get("date")
    if date not in (None, "") and parse_date(date) is None:
        add("date", "«date» er ikke en gyldig dato.", date, "ÅÅÅÅ-MM-DD, for eksempel 2026-05-04")
    status = meta.get("status")
    if status not in (None, "") and status not in STATUSES:
        add("status", "Ukjent status.", status, "en av " + ", ".join(STATUSES))
    title = meta.get("title")
    problems += text_problems(
        str(title or ""),
        [a for a in authors if isinstance(a, str)] if isinstance(authors, list) else [],
        name,
        {key: chapter.key_lines.get(key, 1) for key in ("title", "authors")},
    )
    if title and chapter.heading and str(title).strip() != chapter.heading:
        problems.append(
            Problem(
                file=name,
                line=chapter.heading_line or 1,
                message=("Overskriften (første «# »-linje) skal være den samme som «title»."),
                found=chapter.heading,
                expected=f"«{title}»",
            )
        )
    return problems


def parse_date(value: Any) -> dt.date | None:
    """An ISO date from front matter (read as plain text), or None when it is not one."""
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


MAX_TITLE = 120  # characters: a readable heading, and a file name well under the 255-byte limit


def text_problems(
    title: str, authors: list[str], file: str = "", lines: dict[str, int] | None = None
) -> list[Problem]:
    """A title or author that is too long or holds markup (HTML, MyST, Markdown): they are shown
    on the region page and in the menu as text, so they must be text (`sirkbok check` uses this
    for front matter too)."""
    lines = lines or {}
    problems: list[Problem] = []
    if len(title) > MAX_TITLE:
        problems.append(
            Problem(
                file=file,
                line=lines.get("title"),
                message=f"Tittelen er for lang ({len(title)} tegn).",
                expected=f"høyst {MAX_TITLE} tegn",
            )
        )
    for what, key, value in [("Tittelen", "title", title)] + [
        ("Forfatteren", "authors", a) for a in authors
    ]:
        found = markup(value)
        if found is not None:
            problems.append(
                Problem(
                    file=file,
                    line=lines.get(key),
                    message=f"{what} inneholder markering (HTML, MyST eller Markdown).",
                    found=found,
                    expected="ren tekst uten <, `, {, }, *, \\ og _uthevet_",
                )
            )
    return problems
