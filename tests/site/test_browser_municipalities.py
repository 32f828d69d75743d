"""A reader finds their municipality: every municipality page within two clicks of the front page,
on a phone and on a desktop, and the Excel template it offers downloads and opens."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
from conftest import browser_marks
from sirkbok.datapackage import load as data
from sirkbok_dev import browser

pytestmark = browser_marks()

VIEWPORTS: dict[int, dict[str, Any]] = {
    375: {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
    1280: {"viewport": {"width": 1280, "height": 900}},
}
FRONT = "chapters/forside.html"
MUNICIPALITIES = {
    str(row["kommunenummer"]): str(row["navn"]) for _, row in data.load("kommuner").iterrows()
}
# The links a reader can see and click: in the page's own text, shown, and not a skip link.
VISIBLE_LINKS = """() => [...document.querySelectorAll('main a[href]')]
  .filter(a => { const r = a.getBoundingClientRect();
                 return r.width > 0 && r.height > 0 && getComputedStyle(a).visibility !== 'hidden'; })
  .map(a => a.href)"""


def page_path(url: str, site: str) -> str:
    return urlparse(url).path.removeprefix(urlparse(site).path)


def visible_links(page: Any, site: str) -> set[str]:
    return {page_path(url, site) for url in page.evaluate(VISIBLE_LINKS) if url.startswith(site)}


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_every_municipality_is_within_two_clicks_of_the_front_page(
    site: str, chromium: Any, width: int
) -> None:
    context = chromium.new_context(**VIEWPORTS[width])
    blocked = browser.block_other_hosts(context)
    page = context.new_page()
    page.goto(site + FRONT, wait_until="load")
    first = visible_links(page, site)
    reached = {p for p in first if p.startswith("chapters/kommuner/")}
    # one click further: the region pages the front page links to
    for region in sorted(p for p in first if p.startswith("chapters/regioner/")):
        page.goto(site + region, wait_until="load")
        reached |= {p for p in visible_links(page, site) if p.startswith("chapters/kommuner/")}
    wanted = {f"chapters/kommuner/{number}.html" for number in MUNICIPALITIES}
    assert wanted <= reached, f"Ikke nådd innen to klikk på {width} px: {sorted(wanted - reached)}"
    # A real click on the front page's link opens the page, whose title is the municipality.
    for number, name in sorted(MUNICIPALITIES.items()):
        page.goto(site + FRONT, wait_until="load")
        link = page.locator(f"main a[href$='kommuner/{number}.html']").first
        link.scroll_into_view_if_needed()
        link.click()
        page.wait_for_url(f"**/chapters/kommuner/{number}.html")
        assert page.locator("main h1").first.inner_text().strip().rstrip("#").strip() == name
        text = page.locator("main").inner_text()
        assert "<NA>" not in text and "nan" not in text.split()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    assert not blocked
    context.close()


def test_the_template_download_resolves_and_opens_in_openpyxl(site: str, chromium: Any) -> None:
    from openpyxl import load_workbook

    context = chromium.new_context(**VIEWPORTS[375])
    page = context.new_page()
    page.goto(site + "chapters/kommuner/3316.html", wait_until="load")  # Modum
    links = page.locator("main a[download][href$='.xlsx']")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert [Path(h).name for h in hrefs] == ["kommune-3316.xlsx"]  # Modum's own template
    response = context.request.get(urljoin(page.url, hrefs[0]))
    assert response.status == 200
    book = load_workbook(io.BytesIO(response.body()))
    sheet = book["Tall for Modum"]
    assert [cell.value for cell in sheet[3]][:4] == [
        "Størrelse",
        "Enhet",
        "Verdi i boka nå",
        "Ny verdi",
    ]
    rows = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert "Matavfall fra husholdningene (t/år)" in rows  # pre-filled: Modum's gaps to complete
    with page.expect_download() as download:
        links.first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    context.close()
