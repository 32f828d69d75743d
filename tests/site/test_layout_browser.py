"""Every page of the built book at 375 and 1280 px in Debian's chromium: nothing a reader needs is cut.

One browser, one build, one visit per page and width shared with the other browser tests
(`page_visits`, `sirkbok_dev.visits` with `sirkbok_dev.layout_checks`): link and
heading text (the previous/next titles and their arrows) whole, the search query clear of its icon
and one search field on the screen,
tables that fit or scroll in a container a keyboard reaches and that shows it scrolls, no chart text
shortened to «…», no line through a chart label, and no page wider than the screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import browser_marks
from sirkbok_dev import browser, layout_checks, visits

pytestmark = browser_marks()

Found = dict[int, dict[str, dict[str, list[str]]]]


@pytest.fixture
def found(page_visits: visits.Visits) -> Found:
    """The layout faults of every page at both widths, from the run's one visit per page and width."""
    return {
        width: {path: result["layout"] for path, result in by_page.items() if "layout" in result}
        for width, by_page in page_visits.items()
    }


def faults(found: Found, *kinds: str) -> list[str]:
    return [
        f"{width} px {path}: {item}"
        for width, by_page in found.items()
        for path, result in by_page.items()
        for kind in kinds
        for item in result[kind]
    ]


def test_every_page_was_checked_at_both_widths(found: Found, built_book: Path) -> None:
    assert set(found) == {375, 1280}
    for by_page in found.values():
        assert len(by_page) == len(browser.pages(built_book)) >= 30


def test_no_link_or_heading_text_is_clipped(found: Found) -> None:
    clipped = faults(found, "clipped", "search")
    assert not clipped, "Avkuttet tekst:\n" + "\n".join(clipped)


def test_exactly_one_search_field_at_both_widths(found: Found) -> None:
    """Not a second field in a bar above the page at 1280 px (issue 22), and not none on a phone."""
    searches = faults(found, "searches")
    assert not searches, "Søkefelt:\n" + "\n".join(searches)


def test_every_table_fits_or_scrolls_visibly(found: Found) -> None:
    tables = faults(found, "tables")
    assert not tables, "Tabeller som er kuttet eller ruller usynlig:\n" + "\n".join(tables)


def test_no_chart_text_is_truncated(found: Found) -> None:
    charts = faults(found, "charts")
    assert not charts, "Forkortet tekst i figurene:\n" + "\n".join(charts)


def test_no_line_crosses_a_chart_label(found: Found) -> None:
    crossings = faults(found, "crossings")
    assert not crossings, "Linjer gjennom etiketter:\n" + "\n".join(crossings)


def test_no_page_is_wider_than_the_screen(found: Found) -> None:
    wide = faults(found, "page")
    assert not wide, "\n".join(wide)


def test_the_checks_catch_what_they_look_for(chromium: Any, tmp_path: Path) -> None:
    """The measurement itself: a page with one fault of each kind has each of them found."""
    fixture = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<style>body { margin: 0; } .cut { width: 80px; overflow: hidden; white-space: nowrap; }
.bd-search { position: relative; } .bd-search i { position: absolute; left: 4px; width: 20px; }
.bd-search i::before { content: ""; display: inline-block; width: 20px; height: 10px; }</style>
</head><body><article class="bd-article">
<h2 class="cut">Tilgjengelighetserklæring</h2>
<div class="prev-next-area"><a class="right-next" href="#" style="display: flex; max-width: 45%;
   overflow-x: hidden"><div class="prev-next-info"><p class="prev-next-title">Tilgjengelighetserklæringene</p>
   </div></a></div>
<form class="bd-search"><i class="fa-solid fa-magnifying-glass"></i><input style="padding-left: 2px"></form>
<button class="search-button-field search-button__button">Søk</button>
<div style="overflow: hidden; width: 200px"><table><tr><td>Kolonne med et langt innhold</td>
  <td style="white-space: nowrap">og enda en kolonne som ikke får plass</td></tr></table></div>
<div style="overflow-x: auto; width: 200px"><table><tr>
  <td style="white-space: nowrap">En tabell som ruller uten tabulatorstopp og skygge</td></tr></table></div>
<div class="sirk-chart" id="vg-prove" data-rendered="ok"><svg width="300" height="80">
  <g class="mark-text role-axis-label"><text x="10" y="20" font-size="14">Sirkulære næringsp…</text></g>
  <g class="mark-text role-mark"><text x="10" y="60" font-size="14">Hunton Fiber</text></g>
  <g class="mark-rule role-mark"><path d="M0,55L200,55" stroke="black"></path></g></svg></div>
<div style="width: 2000px; height: 10px"></div>
</article></body></html>"""
    (tmp_path / "prove.html").write_text(fixture, encoding="utf-8")
    with browser.serve(tmp_path) as base:
        result = layout_checks.sweep(tmp_path, chromium, base, ["prove.html"])[375]["prove.html"]
    clipped = " ".join(result["clipped"])
    assert (
        "Tilgjengelighetserklæring" in clipped
        and "forrige/neste «Tilgjengelighetserklæringene»" in clipped
    )
    assert "uten pil" in clipped
    assert len(result["search"]) == 1
    assert len(result["searches"]) == 1 and "2 synlige søkefelt" in result["searches"][0]
    tables = " ".join(result["tables"])
    assert "kuttet av div" in tables and "nås ikke med Tab" in tables, tables
    assert result["charts"] == ["vg-prove: «Sirkulære næringsp…»"]
    assert result["crossings"] == ["vg-prove: en linje krysser «Hunton Fiber»"]
    assert result["page"] and "375 px skjerm" in result["page"][0]
