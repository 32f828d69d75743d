"""What a contributor can send in: one «størrelse» (quantity) per value of the data package a page
lists as missing, each with the one table, row and column it fills.

A quantity key is either a kind every municipality has (`folketall`, `areal`, and the flows whose id
is `<kind>-<kommunenummer>`, each theme's `MUNICIPAL_FLOWS`) or the id of a flow that has no
per-municipality pattern (an actor's or a region's). The issue form's
dropdown, the «mangler» links on the pages and the contribution bot all use `QUANTITIES`/`resolve`
here, so they cannot disagree. `form_link` builds the pre-filled «Send inn et tall» address.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pandas as pd

from sirkbok import themes as registry
from sirkbok.core import context, publisher
from sirkbok.core.format import text, url
from sirkbok.datapackage import load as data
from sirkbok.pages.coverage import RESOURCE_NAMES

FORM = "send-inn-tall.yml"  # .github/ISSUE_TEMPLATE/, written by `sirkbok forms`
MUNICIPAL = {  # columns of `kommuner` -> reader's name, unit
    "folketall": ("Folketall", "innbyggere"),
    "areal": ("Areal", "km²"),
}
_PER_MUNICIPALITY = re.compile(r"(?P<kind>[a-z]+)-(?P<number>[0-9]{4})")


@dataclass(frozen=True)
class Quantity:
    key: str
    label: str  # the dropdown option (what the form sends back)
    table: str  # kommuner or ressursstrommer
    column: str  # folketall, areal_km2 or mengde
    unit: str
    per_municipality: bool

    def row_id(self, municipality: str | None) -> str:
        """The row the value goes into: a municipality number or a flow id."""
        if self.table == "kommuner":
            return municipality or ""
        return f"{self.key}-{municipality}" if self.per_municipality else self.key


@functools.cache
def per_municipality_flows() -> dict[str, str]:
    """Id prefix of a per-municipality flow -> its reader's name (each theme's `MUNICIPAL_FLOWS`)."""
    return {
        kind: name
        for theme in registry.THEMES
        for kind, name in getattr(registry.module(theme), "MUNICIPAL_FLOWS", {}).items()
    }


def quantities(ressursstrommer: pd.DataFrame) -> list[Quantity]:
    """Every quantity, in a stable order: municipal figures, per-municipality flows, other flows."""
    found = [
        Quantity(
            key, f"{name} ({unit})", "kommuner", "areal_km2" if key == "areal" else key, unit, True
        )
        for key, (name, unit) in MUNICIPAL.items()
    ]
    units: dict[str, str] = {}
    others = []
    for _, row in ressursstrommer.iterrows():
        match = _PER_MUNICIPALITY.fullmatch(str(row["id"]))
        if match and match["kind"] in per_municipality_flows():
            units.setdefault(match["kind"], str(row["enhet"]))
            continue
        resource = RESOURCE_NAMES.get(str(row["ressurs"]), str(row["ressurs"]))
        label = f"{resource[:1].upper()}{resource[1:]}: {row['fra']}"
        if isinstance(row["til"], str) and row["til"]:
            label += f" → {row['til']}"
        label = f"{label} ({row['enhet']}) [{row['id']}]"
        others.append(
            Quantity(str(row["id"]), label, "ressursstrommer", "mengde", str(row["enhet"]), False)
        )
    for kind, name in per_municipality_flows().items():
        if kind in units:
            unit = units[kind]
            found.append(
                Quantity(kind, f"{name} ({unit})", "ressursstrommer", "mengde", unit, True)
            )
    return found + others


def key_of(table: str, row_id: str) -> tuple[str, str | None]:
    """(quantity key, municipality) of a missing row as `coverage.values()` names it."""
    if table == "kommuner":
        return "folketall", row_id
    match = _PER_MUNICIPALITY.fullmatch(row_id)
    if match and match["kind"] in per_municipality_flows():
        return match["kind"], match["number"]
    return row_id, None


def template_name(municipality: str) -> str:
    """The municipality's own Excel template in the site's maler/ (book.municipality_template)."""
    if not re.fullmatch(r"[0-9]{4}", municipality):
        raise ValueError(f"not a municipality number: {municipality!r}")
    return f"kommune-{municipality}.xlsx"


def municipality_option(number: str, name: str) -> str:
    """The municipality dropdown's option: «3446 Gran»."""
    return f"{number} {name}"


def form_link(
    repository: str, quantity: Quantity, municipality: tuple[str, str] | None
) -> str | None:
    """The «Send inn et tall» form with municipality and quantity filled in (GitHub's issue-form
    query parameters are the fields' ids), URL-encoded and checked by `format.url`."""
    fields = {"template": FORM}
    if municipality is not None:
        fields["kommune"] = municipality_option(*municipality)
    fields["storrelse"] = quantity.label
    fields["enhet"] = quantity.unit
    fields["title"] = f"Tall: {quantity.label}" + (f", {municipality[1]}" if municipality else "")
    return url(f"{repository}/issues/new?{urlencode(fields, quote_via=quote)}")


def listed() -> list[Quantity]:
    """`quantities` of the book's flows, made once per data package (the form links and the
    municipalities' templates ask for them again and again)."""
    return data.derived("quantities", lambda: quantities(data.load("ressursstrommer")))


def gap_link(table: str, row_id: str) -> str | None:
    """The pre-filled form for one missing row of the data package (None when no quantity fills
    it, e.g. a factor). The repository address comes from the publisher block."""

    key, municipality = key_of(table, row_id)
    by_key, places = data.derived("quantities by key", _by_key)
    found = by_key.get(key)
    if found is None:
        return None
    if municipality is None and table == "ressursstrommer":  # an actor's flow in a municipality
        municipality = places.get(row_id)
    named = None
    if municipality is not None:
        names = data.derived("municipality names", _names)
        named = (municipality, names.get(municipality, ""))
    return form_link(publisher.read(context.current().root).repository, found, named)


def _by_key() -> tuple[dict[str, Quantity], dict[str, str]]:
    """Quantities by key and each flow's municipality, made once per data package: `gap_link`
    runs once per missing row."""
    flows = data.load("ressursstrommer")
    places: dict[str, str] = {}
    for flow, place in zip(flows["id"], flows["kommunenummer"], strict=True):
        if not pd.isna(place):
            places.setdefault(str(flow), str(place))
    return {q.key: q for q in listed()}, places


def _names() -> dict[str, str]:
    """Municipality number -> name (`gap_link`'s, once per data package)."""
    kommuner = data.load("kommuner")
    return {
        number: str(name)
        for number, name in zip(kommuner["kommunenummer"], kommuner["navn"], strict=True)
    }


def gap_markdown(table: str, row_id: str) -> str:
    """« [Send inn tallet](…)» after a missing item, or nothing (the address is `format.url`'s)."""
    link = gap_link(table, row_id)
    return f" [Send inn tallet]({link})" if link else ""


def linked(shown: object, table: str, row_id: str) -> str:
    """`shown` (escaped) as a link to the pre-filled form for a missing row, for lists and tables."""

    link = gap_link(table, row_id)
    return f"[{text(shown)}]({link})" if link else text(shown)
