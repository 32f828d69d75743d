"""The generated pages read right in every case: one home for each page kind's wording
(`sirkbok.municipality` for a municipality, `sirkbok.book.regions` for a region), rendered here
for the roles, parks, actors and missing values a page can have."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT
from sirkbok.book import regions
from sirkbok.pages import municipality


def _keep_rows(root: Path, table: str, keep: Callable[[dict[str, str]], bool]) -> None:
    path = root / "data" / f"{table}.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if keep(r))


def _edit(root: Path, table: str, key: str, value: str, **changes: str) -> None:
    path = root / "data" / f"{table}.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row[key] == value:
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (
            "3305",
            "Internt i Ringeriksregionen er Ringerike foreslått som kandidat til hovedansvaret",
        ),
        ("3236", "Internt i Ringeriksregionen er Jevnaker foreslått å dele hovedansvaret"),
        ("3310", "Hole har ingen egen hovedrolle i forslaget."),
    ],
)
def test_municipality_roles_for_every_case(number: str, expected: str) -> None:
    text = municipality.roles_markdown(municipality.page(number))
    assert expected in text
    assert "Status: foreslått" in text and "vedtak ikke kjent" in text


@pytest.mark.parametrize(("number", "park"), [("3407", True), ("3310", False)])
def test_municipality_parks_with_and_without(number: str, park: bool) -> None:
    text = municipality.other_themes_markdown(municipality.page(number))
    assert ("ingen næringspark i datapakken ligger i kommunen" in text) is not park


def test_municipality_without_actors_or_missing_values(data_book: Path) -> None:
    _keep_rows(data_book, "ressursstrommer", lambda r: r["kommunenummer"] != "3316")
    # Modum has no actor; in this throw-away copy it also gets a stand-in population and area (the
    # data package has none), so that nothing is missing. The stand-in never leaves the copy.
    stand_in = {"folketall": "1000", "folketall_dato": "2025-01-01", "areal_km2": "100"}
    sources = {"folketall_kilde": "ssb-07459", "areal_kilde": "ssb-07459"}
    _edit(data_book, "kommuner", "kommunenummer", "3316", **stand_in, **sources, status="målt")
    page = municipality.page("3316")  # no actor, and now no value with status «mangler»
    assert municipality.actors_markdown(page) == (
        "Datapakken har ingen anlegg eller bedrifter registrert for kommunen ennå."
    )
    assert page.missing.empty
    assert municipality.missing_markdown(page) == (
        "Datapakken har ingen verdier for kommunen med status «mangler»."
    )


@pytest.fixture
def region_book(data_book: Path) -> Path:
    shutil.copy(ROOT / "references.bib", data_book / "references.bib")
    return data_book


def _missing_part(block: str) -> str:
    return block.split("## Tall som mangler", 1)[1].split("## Kapitler fra regionen", 1)[0]


def test_region_page_with_many_one_and_no_missing_values(region_book: Path) -> None:
    many = _missing_part(regions.render_block(region_book, "hadelandsregionen"))
    assert "Datapakken mangler 8 verdier for regionen." in many
    flows = [
        r
        for r in csv.DictReader(
            (region_book / "data" / "ressursstrommer.csv").open(encoding="utf-8")
        )
        if r["region"] == "hadelandsregionen" and r["status"] == "mangler"
    ]
    dropped = {r["id"] for r in flows[1:]}
    _keep_rows(region_book, "ressursstrommer", lambda r: r["id"] not in dropped)
    one = _missing_part(regions.render_block(region_book, "hadelandsregionen"))
    assert "Datapakken mangler én verdi for regionen." in one and "1 verdier" not in one
    _keep_rows(region_book, "ressursstrommer", lambda r: r["id"] != flows[0]["id"])
    none = _missing_part(regions.render_block(region_book, "hadelandsregionen"))
    assert "Datapakken har ingen verdier for regionen med status «mangler»." in none


def test_region_page_with_and_without_a_theme_to_lead(region_book: Path) -> None:
    led = regions.render_block(region_book, "hadelandsregionen")
    assert "{doc}`Bioenergi </chapters/tema/bioenergi>`" in led and "Status: foreslått" in led
    _edit(region_book, "tema", "id", "bioenergi", ansvarlig_region="gjovikregionen")
    block = regions.render_block(region_book, "hadelandsregionen")
    themes = block.split("## Temaene regionen er foreslått å ha ansvar for", 1)[1].split("##", 1)[0]
    assert "Regionen er ikke foreslått å ha særskilt ansvar for noe tema i fase 1." in themes
    assert "Status:" not in themes
    chapters = block.split("## Kapitler fra regionen", 1)[1]
    assert "Det er ikke skrevet egne kapitler om regionen ennå." in chapters
