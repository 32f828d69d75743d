"""Characters nobody can see, and addresses that hide their host: refused in every cell.

A control character (BEL, VT …) breaks the Excel template and the site build; a bidi control
(U+202E) or a zero-width character (U+200B) makes a name, a key or an address read as something
else than it is. So every cell of every table, and every text in the descriptor, is refused when it
holds one; the message names the character as U+XXXX, never the character itself. Line breaks
(CR, LF) are left to the markup rule, which already refuses them in text with its own message.

An address (a field with `"format": "uri"`) is http or https to a plain ASCII host, with no user
name or password: `https://kommune.no@evil.example` goes to evil.example.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sirkbok.core.errors import BIDI_CHARS, CONTROL_CHARS, HIDDEN, Problem, visible

if TYPE_CHECKING:
    import pandas as pd

EXPECTED = "synlige tegn, uten kontrolltegn, retningstegn eller usynlige tegn"
_HOST = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
)


def kind(char: str) -> str:
    """What sort of hidden character this is, in Norwegian."""
    if re.fullmatch(f"[{CONTROL_CHARS}]", char):
        return "et kontrolltegn"
    if re.fullmatch(f"[{BIDI_CHARS}]", char):
        return "et retningstegn (bidi)"
    return "et usynlig tegn"


def describe(text: str) -> str | None:
    """«… U+0007 (et kontrolltegn) som tegn nr. 3» for the first hidden character, else None."""
    found = HIDDEN.search(text)
    if found is None:
        return None
    char = found.group()
    return f"U+{ord(char):04X} ({kind(char)}) som tegn nr. {found.start() + 1}"


def cell_problems(column: pd.Series, label: str, name: str) -> list[Problem]:
    """One problem per cell of `column` (index = line) holding a hidden character."""
    if not HIDDEN.search("\n".join(column)):  # one search over the column, cell by cell if needed
        return []
    hits = column[column.str.contains(HIDDEN.pattern, regex=True)]
    return [
        Problem(
            file=label,
            line=int(line),
            column=name,
            message=f"Cellen inneholder {describe(value)}.",
            found=visible(value, 80),
            expected=EXPECTED,
        )
        for line, value in hits.items()
    ]


def url_reason(value: str) -> str | None:
    """Why `value` is not a plain http(s) address to a named host, or None when it is one."""
    if HIDDEN.search(value) or any(c.isspace() for c in value):
        return "Adressen inneholder mellomrom eller usynlige tegn."
    if "\\" in value:
        return "Adressen inneholder en omvendt skråstrek (\\), som nettlesere leser som /."
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "Adressen kan ikke tolkes."
    if parts.scheme not in ("http", "https"):
        return "Adressen bruker ikke http eller https."
    if "@" in parts.netloc:
        return (
            "Adressen har brukernavn eller passord foran @; den går da til tjeneren etter @, "
            "ikke til den som står først."
        )
    if not parts.hostname or not _HOST.fullmatch(parts.hostname):
        return "Adressen har ikke et gyldig vertsnavn med bare bokstavene a–z, sifre, - og punktum."
    return None


def url_problems(column: pd.Series, label: str, name: str) -> list[Problem]:
    """One problem per non-empty cell of an address field that is not a plain http(s) address."""
    problems = []
    for line, value in column[column != ""].items():
        reason = url_reason(value)
        if reason:
            problems.append(
                Problem(
                    file=label,
                    line=int(line),
                    column=name,
                    message=reason,
                    found=visible(value, 80),
                    expected="en adresse som https://www.ssb.no/…, uten brukernavn, passord "
                    "eller @ foran vertsnavnet (internasjonale navn skrives som xn--…)",
                )
            )
    return problems
