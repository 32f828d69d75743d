"""Biogass: the food-waste potential per municipality and region, and the plants' intake.

`model` computes, `figures` draws; this module is what the rest of the package asks of the theme
(`sirkbok.themes.Theme`).
"""

from __future__ import annotations

from sirkbok.reader.colours import GREEN
from sirkbok.themes.biogass.model import PARAMETERS as PARAMETERS

COLOUR = GREEN
