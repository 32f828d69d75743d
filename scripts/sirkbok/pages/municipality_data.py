"""What the data package says about one municipality: the `Page` record its page is rendered from.

Every number comes from the theme modules' own functions with their default parameters, so a
municipality's share of an estimate is the same number the theme chapter adds up to the region's
total. What is missing comes from `sirkbok.pages.coverage`, the book's one count of missing values.
`sirkbok.pages.municipality` turns the record into the page's text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from sirkbok import themes as registry
from sirkbok.core.format import missing
from sirkbok.datapackage import load as data
from sirkbok.pages import coverage
from sirkbok.themes.offers import Place, Share

TABLES = [
    "regioner",
    "kommuner",
    "tema",
    "aktorer",
    "aktor_tall",
    "ressursstrommer",
    "faktorer",
    "statistikk",
]
TYPE_NAMES = {
    "avfallsselskap": "avfallsselskap",
    "biogassanlegg": "biogassanlegg",
    "fjernvarme": "fjernvarme",
    "industri": "industri",
    "naeringspark": "næringspark",
    "ombrukssenter": "ombrukssenter",
}


def optional_text(value: object) -> str | None:
    """A cell as text, or None when it is empty."""
    return None if missing(value) else str(value)


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    place: str
    why: str
    theme: str | None
    source: str | None


@dataclass
class Page:
    """Everything one municipality page shows, computed once and rendered by `markdown()`."""

    number: str
    name: str
    region: str
    region_name: str
    county: str
    population: int | None
    population_date: dt.date | None
    population_source: str | None
    area_km2: float | None
    area_source: str | None
    region_population: int
    region_members: list[str]
    themes: dict[str, str]
    led_themes: list[tuple[str, str]] = field(default_factory=list)  # (theme, source)
    own_roles: list[tuple[str, list[str], str]] = field(default_factory=list)
    statuses: dict[tuple[str, str], None] = field(default_factory=dict)  # (status, its source)
    shares: list[Share] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (theme, what is known here)
    actors: list[Actor] = field(default_factory=list)
    missing: pd.DataFrame = field(default_factory=pd.DataFrame)
    flows: pd.DataFrame = field(default_factory=pd.DataFrame)


def numbers() -> list[str]:
    """Every municipality number in the data package, in the package's order."""
    return [str(n) for n in data.load("kommuner")["kommunenummer"]]


def _offered(place: Place) -> tuple[list[Share], list[tuple[str, str]], list[tuple[str, str]]]:
    """What every theme says about the municipality: its shares of the theme's estimates, its
    note when the theme has no share, and the plants that serve it ((actor id, why))."""
    shares: list[Share] = []
    notes: list[tuple[str, str]] = []
    actors: list[tuple[str, str]] = []
    for theme in registry.THEMES:
        module = registry.module(theme)
        if hasattr(module, "municipal_shares"):
            shares += module.municipal_shares(place)
        if hasattr(module, "municipal_note"):
            notes.append((theme, module.municipal_note(place)))
        if hasattr(module, "municipal_actors"):
            actors += module.municipal_actors(place)
    return shares, notes, actors


def _actor(row: pd.Series, why: str) -> Actor:
    return Actor(
        id=str(row["id"]),
        name=str(row["navn"]),
        kind=TYPE_NAMES.get(str(row["type"]), str(row["type"])),
        place=optional_text(row["sted"]) or "",
        why=why,
        theme=optional_text(row["tema"]),
        source=optional_text(row["kilde"]),
    )


def _actors(
    number_: str, aktorer: pd.DataFrame, strommer: pd.DataFrame, served: list[tuple[str, str]]
) -> list[Actor]:
    """Actors located in the municipality, collecting from it, or treating its food waste."""
    by_id = aktorer.set_index("id", drop=False)
    found: dict[str, Actor] = {}
    here = aktorer[(aktorer["kommunenummer"] == number_) & ~aktorer["referanse"].fillna(False)]
    for _, row in here[here["type"] != "naeringspark"].iterrows():
        found[str(row["id"])] = _actor(row, "ligger i kommunen")
    flows = strommer[(strommer["kommunenummer"] == number_) & strommer["aktor"].notna()]
    for company, group in flows.groupby("aktor", sort=True):
        resources = sorted({str(r) for r in group["ressurs"]})
        if company in by_id.index and company not in found:
            row = by_id.loc[company]
            # A waste company's source says whose household waste it handles, not what it takes in.
            why = (
                "håndterer husholdningsavfallet fra kommunen"
                if row["type"] == "avfallsselskap"
                else "tar imot " + " og ".join(resources) + " fra kommunen"
            )
            found[str(company)] = _actor(row, why)
    for plant, why in served:  # plants a theme names (the biogas plant the food waste goes to)
        if plant in by_id.index and plant not in found:
            found[plant] = _actor(by_id.loc[plant], why)
    return list(found.values())


def page(number_: str) -> Page:
    """The page of municipality `number_` (its four-digit number), from the data package."""
    row = data.one_row(
        "kommuner", "kommunenummer", number_, "Ukjent kommunenummer.", "et kommunenummer"
    )
    kommuner = data.load("kommuner")
    regioner = data.load("regioner").set_index("id")
    tema = data.load("tema")
    aktorer = data.load("aktorer")
    strommer = data.load("ressursstrommer")
    region = str(row["region"])
    members = kommuner[kommuner["region"] == region]
    names = dict(zip(kommuner["kommunenummer"], kommuner["navn"], strict=True))
    result = Page(
        number=number_,
        name=str(row["navn"]),
        region=region,
        region_name=str(regioner.loc[region, "kortnavn"]),
        county=str(row["fylke"]),
        population=None if missing(row["folketall"]) else int(row["folketall"]),
        population_date=None if missing(row["folketall_dato"]) else row["folketall_dato"],
        population_source=optional_text(row["folketall_kilde"]),
        area_km2=None if missing(row["areal_km2"]) else float(row["areal_km2"]),
        area_source=optional_text(row["areal_kilde"]),
        region_population=int(members["folketall"].dropna().sum()),
        region_members=[str(n) for n in members["navn"]],
        themes=dict(zip(tema["id"].astype(str), tema["navn"].astype(str), strict=True)),
    )
    for _, theme in tema.iterrows():
        status = (str(theme["status"]), optional_text(theme["status_kilde"]) or "")
        if theme["ansvarlig_region"] == region:
            result.led_themes.append((str(theme["id"]), str(theme["kilde"])))
            result.statuses[status] = None
        leads = [n.strip() for n in str(theme["ansvarlige_kommuner"] or "").split(";") if n.strip()]
        if not missing(theme["ansvarlige_kommuner"]) and number_ in leads:
            partners = [str(names.get(n, n)) for n in leads if n != number_]
            result.own_roles.append((str(theme["id"]), partners, str(theme["kilde"])))
            result.statuses[status] = None
    place = Place(
        number=number_,
        name=result.name,
        population=result.population,
        region_population=result.region_population,
        tables={name: data.load(name) for name in TABLES},
    )
    result.shares, result.notes, served = _offered(place)
    result.actors = _actors(number_, aktorer, strommer, served)
    values = coverage.values(
        kommuner, aktorer, data.load("aktor_tall"), strommer, data.load("faktorer")
    )
    result.missing = coverage.missing_for(values, number_)
    result.flows = strommer.set_index("id")
    return result
