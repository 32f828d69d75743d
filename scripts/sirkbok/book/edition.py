"""The book's edition (version and release date): read from CITATION.cff, its one home.

`sirkbok release` writes it there; the site footer, the PDF title page, «Slik siterer du» and the
open-data metadata all read it from here, so a citation always names the edition it came from.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from sirkbok.core import safeyaml
from sirkbok.core.errors import Problem, UserError

VERSION_PATTERN = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
CITATION = "CITATION.cff"


@dataclass(frozen=True)
class Edition:
    """What a reader needs to cite the book: who, what, which version and when."""

    title: str
    version: str
    released: datetime.date
    authors: tuple[str, ...]
    repository: str


def read(root: Path) -> Edition:
    """The edition in `root/CITATION.cff`, checked (a bad value never reaches a page)."""
    path = root / CITATION
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(Problem(file=CITATION, message=f"Fila kan ikke leses ({error}).")) from None
    data = safeyaml.mapping(text, CITATION)  # aliases and oversized files refused, lines named
    version = str(data.get("version", ""))
    released = data.get("date-released")
    if not VERSION_PATTERN.fullmatch(version):
        raise UserError(
            f"{CITATION}: fant versjon «{version}», forventet tre tall med punktum, som 1.2.0"
        )
    if not isinstance(released, datetime.date):
        raise UserError(
            f"{CITATION}: fant date-released «{released}», forventet en dato som 2026-11-26"
        )
    people = data.get("authors", [])
    wrong = [a for a in people if not isinstance(a, dict)] if isinstance(people, list) else [people]
    if wrong:
        raise safeyaml.wrong_shape(
            CITATION, "«authors:»", wrong[0], "en liste med «- name: …»-linjer"
        )
    authors = tuple(str(a.get("name", "")).strip() for a in people)
    return Edition(
        title=str(data.get("title", "")),
        version=version,
        released=released,
        authors=tuple(a for a in authors if a),
        repository=str(data.get("repository-code", "")),
    )
