"""Bioenergi: the energy in the known wood flows, and the forest-residue (GROT) method.

`model` computes, `figures` draws; this module is what the rest of the package asks of the theme
(`sirkbok.themes.Theme`).
"""

from __future__ import annotations

from sirkbok.reader.colours import ORANGE
from sirkbok.themes.bioenergi.model import PARAMETERS as PARAMETERS

COLOUR = ORANGE
