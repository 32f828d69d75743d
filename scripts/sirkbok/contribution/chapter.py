"""«Foreslå et kapittel» as a region chapter: the `new-chapter` scaffold with the submitted Markdown.

The front matter, the file name and the table-of-contents entry come from the scaffold (region and
theme from the form's dropdowns, title and author as plain text). The text is the contributor's
Markdown as it is, and the sources become a plain list; then `sirkbok check` (the containment rules
for untrusted region chapters) decides: no HTML, no directives that read files, no settings.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sirkbok.book import check, scaffold
from sirkbok.core.errors import Problem, UserError, relative
from sirkbok.core.files import write_atomic
from sirkbok.core.format import text as plain

SOURCES = "Kildene kapitlet viser til, står i den samlede {doc}`kildelista </chapters/kilder>`."


def body(text: str, sources: str) -> str:
    """The chapter's body under its heading: the text, then «Kilder» with one line per source."""
    lines = [line for line in sources.splitlines() if line.strip()]
    listed = "\n".join(f"- {plain(line.strip())}" for line in lines)
    return f"{text.strip()}\n\n## Kilder\n\n" + (f"{listed}\n\n" if listed else "") + SOURCES + "\n"


def write(root: Path, fields: dict[str, str], today: dt.date) -> tuple[list[str], list[Problem]]:
    """Scaffold and fill the chapter; the changed files, or the problems a reply lists."""
    try:
        path = scaffold.new_chapter(
            root,
            region=fields["region"],
            theme=fields["tema"],
            title=fields["tittel"],
            authors=[fields["forfatter"]],
            today=today,
        )
    except UserError as error:
        return [], error.problems
    scaffolded = path.read_text(encoding="utf-8")
    heading = re.search(r"^# .*$", scaffolded, flags=re.MULTILINE)
    assert heading is not None  # the template has its title heading
    write_atomic(
        path, scaffolded[: heading.end()] + "\n\n" + body(fields["tekst"], fields["kilder"])
    )
    name = relative(path, root)
    problems = check.check_book(root, figures=False)
    return [name], problems
