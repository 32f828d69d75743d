"""What a theme offers the pages across themes, as plain records (this module imports no theme).

A theme's `__init__.py` may define, besides PARAMETERS and COLOUR (`sirkbok.themes.Theme`):
`RESOURCES` and `FACTOR_PREFIXES` (which flows and factors are its own, for data coverage),
`municipal_shares(place)` (its estimate per municipality), `municipal_actors(place)` (plants that
serve the municipality), `municipal_note(place)` (what is known when it has no share) and
`headlines(tables)` (the chapter's headline numbers). The pages ask every theme in the registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from sirkbok.core.format import missing
from sirkbok.datapackage import load as data
from sirkbok.themes.parameter import Parameter


@dataclass(frozen=True)
class Place:
    """One municipality, and the data package's tables (each loaded once for its page)."""

    number: str
    name: str
    population: int | None
    region_population: int
    tables: Mapping[str, pd.DataFrame]

    def row(self) -> pd.Series:
        return self.mine(self.tables["kommuner"])

    def mine(self, frame: pd.DataFrame) -> pd.Series:
        """The municipality's row in `kommuner` or in a frame computed from it (one row per
        municipality); an unknown number is the user's error, named with table and key."""
        return data.one_row(
            "kommuner",
            "kommunenummer",
            self.number,
            "Ukjent kommunenummer.",
            "et kommunenummer",
            frame,
        )

    def population_source(self) -> list[str]:
        source = self.row()["folketall_kilde"]
        return [] if missing(source) else [str(source)]


@dataclass(frozen=True)
class Share:
    """The municipality's part of one estimate of a theme, next to the region's total."""

    theme: str
    measure: str
    unit: str
    value: float | None
    region_total: float
    region_missing: str  # the region's municipalities left out of its total (no population)
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Estimate:
    """One headline number of a theme's chapter: a stable key, its label and the page's text."""

    key: str
    label: str
    shown: str


def defaults(parameters: list[Parameter]) -> dict[str, float]:
    """The default of every parameter (a theme's own, without the registry)."""
    return {p.name: p.default() for p in parameters}


def factor_sources(parameters: list[Parameter]) -> list[str]:
    """The sources of the factors the parameters' defaults come from."""
    return [data.factor(p.factor).source for p in parameters if p.factor is not None]
