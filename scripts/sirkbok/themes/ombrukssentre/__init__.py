"""Ombrukssentre: catchments and scenarios scaled from the reference centres.

`model` computes, `figures` draws; this module is what the rest of the package asks of the theme
(`sirkbok.themes.Theme`).
"""

from __future__ import annotations

from sirkbok.reader.colours import TEAL
from sirkbok.themes.ombrukssentre.model import PARAMETERS as PARAMETERS

COLOUR = TEAL
