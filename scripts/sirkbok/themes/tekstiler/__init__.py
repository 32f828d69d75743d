"""Ombruk av tekstiler: textile volumes per municipality and the climate benefit of reuse.

`model` computes, `figures` draws; this module is what the rest of the package asks of the theme
(`sirkbok.themes.Theme`).
"""

from __future__ import annotations

from sirkbok.reader.colours import MAGENTA
from sirkbok.themes.tekstiler.model import PARAMETERS as PARAMETERS

COLOUR = MAGENTA
