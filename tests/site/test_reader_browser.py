"""Every page of the built book at 375 px in Debian's chromium, as a reader sees it (details open,
every chart drawn; the run's one visit per page and width, `page_visits`).

No chart label overlaps another (measured from the rendered SVG text boxes), and no code word
(snake_case identifier) or raw pandas output («<NA>», «nan») appears in the text readers read.
The code in «Slik er det regnet ut» and inline code are the researchers' and are left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import browser_marks
from sirkbok_dev import browser, reader_checks, visits

pytestmark = browser_marks()


@pytest.fixture
def found(page_visits: visits.Visits) -> dict[str, dict[str, list[str]]]:
    """What a reader meets on every page at 375 px, from the run's one visit per page and width."""
    return {path: result["reader"] for path, result in page_visits[375].items()}


def test_every_page_was_checked(found: dict[str, dict[str, list[str]]], built_book: Path) -> None:
    assert len(found) == len(browser.pages(built_book)) >= 10


def test_no_chart_label_collides_on_a_phone(found: dict[str, dict[str, list[str]]]) -> None:
    collisions = {page: r["collisions"] for page, r in found.items() if r["collisions"]}
    assert not collisions, f"Etiketter som overlapper ved 375 px: {collisions}"


def test_no_code_words_or_raw_output_in_reader_text(found: dict[str, dict[str, list[str]]]) -> None:
    words = {page: r["code_words"] for page, r in found.items() if r["code_words"]}
    assert not words, f"Kodeord eller rå utdata i teksten: {words}"


def test_the_checks_catch_what_they_look_for(chromium: Any, tmp_path: Path) -> None:
    """The measurement itself: a page with two overlapping labels and a code word is caught."""
    page_html = (
        "<html><body><p>Se tabellen unngatt_t_co2e_per_aar: &lt;NA&gt;</p>"
        '<div class="sirk-chart" id="vg-prove" data-rendered="ok"><svg width="200" height="50">'
        '<text x="10" y="20" font-size="14">Hadelandsregionen</text>'
        '<text x="60" y="22" font-size="14">Ringeriksregionen</text>'
        '<text x="10" y="45" font-size="14" opacity="0">skjult</text></svg></div>'
        "<pre>kode_ord</pre></body></html>"
    )
    (tmp_path / "prove.html").write_text(page_html, encoding="utf-8")
    result = reader_checks.sweep(tmp_path, chromium)["prove.html"]
    assert len(result["collisions"]) == 1 and "Hadelandsregionen" in result["collisions"][0]
    assert result["code_words"] == ["<NA>", "unngatt_t_co2e_per_aar"]
