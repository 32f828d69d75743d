"""From a gap to the form: every «mangler» item on the twelve municipality pages links to the
«Send inn et tall» form pre-filled with its municipality and quantity, and every page's footer gives
the contact address as a `mailto:` link (Debian's chromium, at 375 and 1280 px: read from the run's
one visit per page and width, `page_visits`)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import browser_marks
from sirkbok.core import context, publisher
from sirkbok.datapackage import load as data
from sirkbok.pages import coverage, quantities
from sirkbok_dev import browser, visits

pytestmark = browser_marks()

KOMMUNER = data.load("kommuner")
NAMES = dict(zip(KOMMUNER["kommunenummer"], KOMMUNER["navn"], strict=True))
WHO = publisher.read(context.current().root)


def expected_labels(number: str) -> list[str]:
    """The quantity of each missing value of the municipality, in the page's order."""
    values = coverage.package_values()
    labels = {q.key: q.label for q in quantities.quantities(data.load("ressursstrommer"))}
    rows = coverage.missing_for(values, number)
    return [labels[quantities.key_of(r.tabell, r.id)[0]] for r in rows.itertuples()]


@pytest.mark.parametrize("width", sorted(browser.SCREENS))
def test_every_gap_on_every_municipality_page_opens_the_prefilled_form(
    page_visits: visits.Visits, width: int
) -> None:
    checked = 0
    blocked = []
    for number, name in NAMES.items():
        found = page_visits[width][f"chapters/kommuner/{number}.html"]
        gaps = found["gaps"]
        assert len(gaps) == len(expected_labels(number)), number
        for gap, label in zip(gaps, expected_labels(number), strict=True):
            assert len(gap["links"]) == 1 and gap["shown"], gap["text"]
            address = urlparse(gap["links"][0])
            assert f"{address.scheme}://{address.netloc}{address.path}" == (
                f"{WHO.repository}/issues/new"
            )
            query = parse_qs(address.query)
            assert "kommune" in query, (number, gap)
            assert query["template"] == [quantities.FORM]
            assert query["kommune"] == [f"{number} {name}"]
            assert query["storrelse"] == [label]
            checked += 1
        assert found["footer"] == [WHO.mailto], number
        blocked += found["blocked"]
    assert checked >= 36  # food waste, textiles and timber are missing for every municipality
    assert not blocked, blocked


def test_every_page_has_the_contact_address_in_its_footer(built_book: Path) -> None:
    pages = [
        p
        for p in sorted(built_book.rglob("*.html"))
        if not p.is_relative_to(built_book / "_static")
        and p != built_book / "index.html"  # a redirect
    ]
    assert len(pages) > 30
    mailto = f'<a href="{WHO.mailto}">{WHO.email}</a>'
    lacking = [str(p.relative_to(built_book)) for p in pages if mailto not in p.read_text("utf-8")]
    assert not lacking, lacking


def test_the_data_chapter_and_the_region_pages_link_their_gaps(built_book: Path) -> None:
    chapter = (built_book / "chapters/data-og-kilder.html").read_text(encoding="utf-8")
    missing = coverage.missing(
        data.load("kommuner"), data.load("aktorer"), data.load("ressursstrommer")
    )
    assert chapter.count("template=send-inn-tall.yml") >= len(missing)
    for region in data.load("regioner")["id"]:
        text = (built_book / f"chapters/regioner/{region}/index.html").read_text(encoding="utf-8")
        assert text.count("template=send-inn-tall.yml") == int((missing["region"] == region).sum())


def test_the_built_site_reads_the_publisher_block(built_book: Path) -> None:
    """Open Graph, «Slik siterer du», the DCAT contact point and the theme's buttons: one block."""
    front = (built_book / "chapters/forside.html").read_text(encoding="utf-8")
    assert f'<meta property="og:url" content="{WHO.site}chapters/forside.html"' in front
    assert f'href="{WHO.repository}"' in front  # the repository button
    cite = (built_book / "chapters/slik-siterer-du.html").read_text(encoding="utf-8")
    assert f'href="{WHO.site}"' in cite and f'href="{WHO.repository}/tree/main/data"' in cite
    dcat = (built_book / "data/dcat.ttl").read_text(encoding="utf-8")
    assert f"<{WHO.mailto}>" in dcat and f"<{WHO.repository}/issues>" in dcat
    for old in ("github.com/sirkulaer-verdiskaping", "sirkulaer-verdiskaping.github.io"):
        assert old not in front + cite + dcat  # the addresses set before the block existed
