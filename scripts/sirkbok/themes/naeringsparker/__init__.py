"""Sirkulære næringsparker: side streams that could go to actors in or near each park.

`model` computes, `figures` draws; this module is what the rest of the package asks of the theme
(`sirkbok.themes.Theme`).
"""

from __future__ import annotations

from sirkbok.reader.colours import INDIGO
from sirkbok.themes.naeringsparker.model import PARAMETERS as PARAMETERS

COLOUR = INDIGO
