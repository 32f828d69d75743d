"""Who publishes the book and where: the `publisher:` block of _config.yml, read in one place.

The editors' name, the contact e-mail, the site address and the repository address are set once.
The footer, «Bidra», the municipality pages, the issue forms, CODEOWNERS, CITATION.cff, the open-data
contact point, the social previews and «Slik siterer du» all read them from here. Until the councils
publish the book the values are placeholders under the reserved `.invalid` domain (RFC 2606) or the
GitHub owner `plassholder`, which no real address can be; `sirkbok check --publish` refuses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sirkbok.core import context, safeyaml
from sirkbok.core.errors import Problem, UserError

CONFIG = "_config.yml"
KEYS = {  # key in the block -> what a reader calls it (for messages)
    "navn": "redaksjonens navn",
    "epost": "kontaktadressen (e-post)",
    "nettsted": "adressen til nettstedet",
    "repo": "adressen til repoet",
}
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+")
_SITE = re.compile(r"https://[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+(/[A-Za-z0-9._~-]+)*/")
_REPO = re.compile(r"https://github\.com/([A-Za-z0-9-]{1,39})/([A-Za-z0-9._-]{1,100})")
_NAME = re.compile(r"[\wæøåÆØÅ .,'-]{1,120}")
PLACEHOLDER_OWNER = "plassholder"


@dataclass(frozen=True)
class Publisher:
    name: str
    email: str
    site: str  # ends with «/»
    repository: str  # https://github.com/owner/name, no trailing «/»

    @property
    def owner(self) -> str:
        """The GitHub organisation (CODEOWNERS teams live there)."""
        return self.repository.split("/")[3]

    @property
    def mailto(self) -> str:
        return f"mailto:{self.email}"


def is_placeholder(key: str, value: str) -> bool:
    """True for an address no one can reach: the `.invalid` domain or the owner «plassholder»."""
    if key == "repo":
        return value.split("/")[3].lower() == PLACEHOLDER_OWNER
    host = value.split("@")[-1] if key == "epost" else value.split("/")[2]
    return host.lower().endswith(".invalid")


def read(root: Path) -> Publisher:
    """The block from `root`/_config.yml; a missing or malformed value names its key and line.

    Kept on the current Book until the file changes: every «mangler» link on a page reads it."""
    path = root / CONFIG
    return context.current().memo_file("publisher", path, lambda: _parse(path))


def _parse(path: Path) -> Publisher:
    config = safeyaml.load(path.read_text(encoding="utf-8"), CONFIG, plain=True)
    block = config.get("publisher") if isinstance(config, dict) else None
    if not isinstance(block, dict):
        raise UserError(
            Problem(file=CONFIG, message="Blokken «publisher:» mangler.", expected=", ".join(KEYS))
        )
    shapes = {"navn": _NAME, "epost": _EMAIL, "nettsted": _SITE, "repo": _REPO}
    problems = []
    for key, shape in shapes.items():
        value = block.get(key)
        if not isinstance(value, str) or not shape.fullmatch(value):
            problems.append(
                Problem(
                    file=CONFIG,
                    column=f"publisher.{key}",
                    message=f"Ugyldig {KEYS[key]}.",
                    found=str(value)[:120],
                    expected=_EXPECTED[key],
                )
            )
    if problems:
        raise UserError(problems)
    return Publisher(
        name=block["navn"], email=block["epost"], site=block["nettsted"], repository=block["repo"]
    )


_EXPECTED = {
    "navn": "et navn med bokstaver, mellomrom og tegnsetting",
    "epost": "en e-postadresse som navn@domene.no",
    "nettsted": "en https-adresse som slutter med «/»",
    "repo": "https://github.com/eier/navn",
}


def placeholder_problems(root: Path) -> list[Problem]:
    """One problem per value that is still a placeholder: what it is, where it is set."""
    publisher = read(root)
    values = {"epost": publisher.email, "nettsted": publisher.site, "repo": publisher.repository}
    return [
        Problem(
            file=CONFIG,
            column=f"publisher.{key}",
            message=f"{KEYS[key][:1].upper()}{KEYS[key][1:]} er fortsatt en plassholder; boka kan "
            "ikke publiseres før den er byttet ut med den virkelige (kjør så `sirkbok forms`).",
            found=value,
            expected="adressen redaksjonen faktisk bruker",
        )
        for key, value in values.items()
        if is_placeholder(key, value)
    ]
