"""Ombrukssentre: catchments and scenarios scaled from the reference centres.

`model` computes, `figures` draws; this module is what the rest of the package asks of the theme
(`sirkbok.themes.Theme`, `sirkbok.themes.offers`).
"""

from __future__ import annotations

from sirkbok.core.format import percent
from sirkbok.reader.colours import TEAL
from sirkbok.themes.offers import Place
from sirkbok.themes.ombrukssentre.model import PARAMETERS as PARAMETERS

COLOUR = TEAL
RESOURCES = ("ombruksvarer", "mobler")
FACTOR_PREFIXES = ("ombruk_",)


def municipal_note(place: Place) -> str:
    """The municipality's part of the population a shared reuse centre would serve."""
    if place.population is None or not place.region_population:
        return "kommunens andel av befolkningsgrunnlaget mangler fordi folketallet mangler."
    share = percent(place.population / place.region_population)
    return (
        f"kommunen har {share} av det kjente folketallet i regionen, altså av "
        "befolkningsgrunnlaget for et felles ombrukssenter (regnet ut fra folketallene over). "
        "Anslag for mengder og omsetning mangler fordi befolkningsgrunnlaget til "
        "referansesenteret ikke er funnet."
    )
