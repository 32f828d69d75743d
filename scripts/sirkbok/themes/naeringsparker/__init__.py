"""Sirkulære næringsparker: side streams that could go to actors in or near each park.

`model` computes, `figures` draws; this module is what the rest of the package asks of the theme
(`sirkbok.themes.Theme`, `sirkbok.themes.offers`).
"""

from __future__ import annotations

from sirkbok.core.format import listing
from sirkbok.core.format import text as escape
from sirkbok.reader.colours import INDIGO
from sirkbok.themes.naeringsparker.model import PARAMETERS as PARAMETERS
from sirkbok.themes.offers import Place

COLOUR = INDIGO
RESOURCES = ("trefiberisolasjon",)


def municipal_note(place: Place) -> str:
    """The industrial parks of the data package that lie in the municipality, if any."""
    aktorer = place.tables["aktorer"]
    parks = aktorer[
        (aktorer["type"] == "naeringspark") & (aktorer["kommunenummer"] == place.number)
    ]
    if parks.empty:
        return "ingen næringspark i datapakken ligger i kommunen."
    return f"{listing([escape(str(name)) for name in parks['navn']])} ligger i kommunen."
