"""The book's one citation policy: a source key of the data package becomes a MyST `{cite}` role.

A key is an identifier (letters, digits, `_.:-`), never text; anything else, an empty cell, or a
key the bibliography lacks (when the caller knows its keys) is not cited rather than broken.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sirkbok.core.format import missing

KEY = re.compile(r"[A-Za-z0-9_.:-]+")


def cite(key: object, known: Collection[str] | None = None) -> str:
    """` {cite}`key`` (with its leading space, to follow a word), or "" when there is nothing to
    cite: an empty cell, something that is no key, or a key not in `known` (references.bib)."""
    text = "" if missing(key) else str(key)
    if not KEY.fullmatch(text) or (known is not None and text not in known):
        return ""
    return f" {{cite}}`{text}`"
