"""The built book in Debian's headless chromium: private, accessible, fine on a phone, printable.

The site is served on 127.0.0.1 and every request to another host is aborted and counted. Each page
is opened once per width for this file and the layout and reader tests together (`page_visits`,
`sirkbok_dev.visits`); the tests assert on what was collected there.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import browser_marks
from sirkbok_dev import browser, visits
from sirkbok_dev.visits import ENGLISH_SCAN, ENGLISH_WORDS, SEARCH, axe_violations, open_any

pytestmark = browser_marks()

PHONE = browser.SCREENS[375]["viewport"]
DESKTOP = browser.SCREENS[1280]["viewport"]
NORWEGIAN_NUMBER = re.compile(r"\d,\d|\d[\u202f\u00a0]\d{3}")
ENGLISH_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+\.\d")


@pytest.fixture
def blocked(chromium: Any) -> Iterator[tuple[Any, list[str]]]:
    """A fresh browser context whose requests to other hosts are aborted and listed."""
    context = chromium.new_context(viewport=DESKTOP)
    attempts = browser.block_other_hosts(context)
    yield context, attempts
    context.close()


@pytest.fixture
def sweep(page_visits: visits.Visits) -> dict[str, dict[str, Any]]:
    """Every page (and a search result) at desktop width: errors, requests, assets, English words,
    axe and requests to other hosts."""
    return page_visits[1280]


@pytest.fixture
def phone_sweep(page_visits: visits.Visits) -> dict[str, dict[str, Any]]:
    """Every page at 375 px with all details open: page width, and any chart or table too wide."""
    return {path: found["overflow"] for path, found in page_visits[375].items()}


@pytest.fixture(scope="module")
def chart_pages(built_book: Path) -> list[str]:
    found = browser.chart_pages(built_book)
    assert found, "Ingen side i boka har en figur (div.sirk-chart)"
    return found


# 1. Nothing leaves the site -----------------------------------------------------------------------


def test_no_page_requests_another_host(sweep: dict[str, dict[str, Any]]) -> None:
    attempts = {path: result["blocked"] for path, result in sweep.items() if result["blocked"]}
    count = sum(len(urls) for urls in attempts.values())
    assert count == 0, f"{count} forespørsler til andre verter: {attempts}"
    assert len(sweep) >= 5


# 2. Charts ----------------------------------------------------------------------------------------


def test_every_chart_renders_interactively(
    sweep: dict[str, dict[str, Any]], chart_pages: list[str]
) -> None:
    counts, failed = {}, []
    for path in chart_pages:
        charts = sweep[path]["charts"]
        failed += [
            f"{path}: {c}"
            for c in charts
            if c["state"] != "ok" or c["width"] < 50 or c["height"] < 50 or c["img"]
        ]
        counts[path] = len(charts)
    assert not failed, "Figurer som ikke ble tegnet, er usynlig små eller står som bilde:\n" + (
        "\n".join(failed)
    )
    assert max(counts.values()) >= 2, f"Ingen side med flere figurer: {counts}"
    assert [url for path in chart_pages for url in sweep[path]["blocked"]] == []


def test_tooltip_uses_norwegian_numbers(
    site: str, chart_pages: list[str], blocked: tuple[Any, list[str]]
) -> None:
    context, _ = blocked
    page = context.new_page()
    seen: list[str] = []
    for path in chart_pages:
        browser.open_page(page, site + path)
        browser.draw_all_charts(page)
        marks = page.locator(
            ".sirk-chart svg g.role-mark path, .sirk-chart svg g.role-mark rect, "
            ".sirk-chart svg g.role-mark circle"
        )
        for index in range(min(marks.count(), 40)):
            mark = marks.nth(index)
            if not mark.is_visible():
                continue
            mark.scroll_into_view_if_needed()
            mark.hover(force=True)
            tooltip = page.locator("#vg-tooltip-element")
            try:
                tooltip.wait_for(state="visible", timeout=1_000)
            except Exception:  # noqa: BLE001 - a mark without a tooltip; try the next one
                continue
            text = tooltip.inner_text()
            if re.search(r"\d", text):
                seen.append(text)
                assert not ENGLISH_NUMBER.search(text), f"{path}: engelsk tallformat i «{text}»"
            if NORWEGIAN_NUMBER.search(text):
                return
    pytest.fail(
        f"Fant ingen verktøytips med norsk tallformat (desimalkomma eller smalt "
        f"mellomrom som tusenskille); så: {seen[:5]}"
    )


def test_image_shows_without_javascript(site: str, chart_pages: list[str], chromium: Any) -> None:
    context = chromium.new_context(viewport=DESKTOP, java_script_enabled=False)
    attempts = browser.block_other_hosts(context)
    page = context.new_page()
    page.goto(site + chart_pages[0], wait_until="load")
    images = page.locator(".sirk-chart img")
    assert images.count() >= 1
    for index in range(images.count()):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        assert image.is_visible(), f"reservebilde {index} er ikke synlig"
        assert image.get_attribute("alt"), f"reservebilde {index} mangler alt-tekst"
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=5_000
        )
    context.close()
    assert attempts == []


def test_print_shows_chart_and_pdf_holds_it(
    site: str, chart_pages: list[str], blocked: tuple[Any, list[str]]
) -> None:
    from pypdf import PdfReader

    context, _ = blocked
    page = context.new_page()
    browser.open_page(page, site + chart_pages[0])
    browser.draw_all_charts(page)
    page.emulate_media(media="print")
    charts = page.locator(".sirk-chart svg")
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert charts.nth(index).is_visible(), f"figur {index} er skjult ved utskrift"
        assert box and box["width"] > 100 and box["height"] > 50, f"figur {index}: {box}"
    # Words drawn in the charts (axis titles, categories); tick numbers change with the paper width.
    words = {
        label.strip()
        for label in charts.locator("text").all_text_contents()
        if re.search(r"[^\W\d_]{3}", label)
    }
    assert words, "figurene har ingen tekst å kjenne igjen i PDF-en"
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    squeezed = re.sub(r"\s+", "", " ".join(p.extract_text() for p in pdf.pages))
    missing = sorted(word for word in words if re.sub(r"\s+", "", word) not in squeezed)
    assert not missing, f"Figurtekst mangler i PDF-en: {missing}"


# 3. Accessibility ---------------------------------------------------------------------------------


def test_axe_finds_no_wcag_violation_on_any_page(sweep: dict[str, dict[str, Any]]) -> None:
    problems = {
        path: result["violations"] for path, result in sweep.items() if result["violations"]
    }
    assert not problems, "axe-core (WCAG 2.0/2.1 A og AA):\n" + "\n".join(
        f"{path}: {violation}" for path, found in problems.items() for violation in found
    )
    assert SEARCH in sweep


def test_axe_check_catches_what_the_theme_got_wrong(
    site: str, blocked: tuple[Any, list[str]]
) -> None:
    """The check is not blind: the stock theme's faults, put back into a page, are found."""
    context, _ = blocked
    page = context.new_page()
    browser.open_page(page, site + "chapters/forside.html")
    page.evaluate("""() => document.querySelector('#main-content').insertAdjacentHTML('beforeend',
        '<button aria-label="Søk">Search this book... Ctrl+K</button><img src="x.png">')""")
    found = " ".join(axe_violations(page))
    assert "label-content-name-mismatch" in found and "image-alt" in found, found


def test_axe_finds_no_wcag_violation_in_dark_mode(
    site: str, chart_pages: list[str], blocked: tuple[Any, list[str]]
) -> None:
    """The theme follows the reader's dark colour scheme: the same rules hold there."""
    context, _ = blocked
    page = context.new_page()
    page.emulate_media(color_scheme="dark")
    problems = []
    for path in ["chapters/forside.html", chart_pages[0], SEARCH]:
        open_any(page, site + path)
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        problems += [f"{path}: {violation}" for violation in axe_violations(page)]
    assert not problems, "axe-core i mørk modus:\n" + "\n".join(problems)


def test_every_chart_has_text_alternative_and_table(
    built_book: Path, chart_pages: list[str]
) -> None:
    for path in chart_pages:
        text = (built_book / path).read_text(encoding="utf-8")
        for figure in re.findall(r'<figure class="sirk-figure".*?</figure>', text, flags=re.S):
            assert re.search(r'<img [^>]*alt="[^"]{10,}"', figure), f"{path}: figur uten alt-tekst"
            assert "<table" in figure and "<th" in figure, f"{path}: figur uten datatabell"


def test_chart_colours_have_enough_contrast(
    sweep: dict[str, dict[str, Any]], chart_pages: list[str]
) -> None:
    low = []
    for path in chart_pages:
        low += [f"{path} {found}" for found in sweep[path]["contrast"]]
    assert not low, (
        "For svak kontrast i figurene (bruk mørkere farge, eller aria=False på rent pynt):\n"
        + "\n".join(low[:20])
    )


def visible_fields(spec: dict[str, Any]) -> tuple[set[str], list[str]]:
    """Fields shown as text anywhere in a chart, and the fields its colours stand for."""
    shown: set[str] = set()
    coloured: list[str] = []
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for part in spec.get(key, []):
            part_shown, part_coloured = visible_fields(part)
            shown |= part_shown
            coloured += part_coloured
    if isinstance(spec.get("spec"), dict):
        part_shown, part_coloured = visible_fields(spec["spec"])
        shown |= part_shown
        coloured += part_coloured
    encoding = dict(spec.get("encoding", {}))
    if isinstance(spec.get("facet"), dict):
        encoding["facet"] = spec["facet"]
    for channel, definition in encoding.items():
        if not isinstance(definition, dict) or "field" not in definition:
            continue
        field = str(definition["field"])
        if channel in ("color", "fill", "stroke"):
            coloured.append(field)
            if definition.get("legend", {}) is not None:
                shown.add(field)
        elif channel in ("x", "y", "row", "column", "facet", "text", "shape", "strokeDash"):
            shown.add(field)
    return shown, coloured


SPEC_SCRIPT = (
    r'<script type="application/json" class="sirk-spec" data-target="([^"]+)">(.*?)</script>'
)


def test_colour_never_carries_meaning_alone(built_book: Path, chart_pages: list[str]) -> None:
    """A colour must be named somewhere: a legend, an axis, a facet header or a mark label."""
    alone = []
    for path in chart_pages:
        text = (built_book / path).read_text(encoding="utf-8")
        for target, spec in re.findall(SPEC_SCRIPT, text, flags=re.S):
            shown, coloured = visible_fields(json.loads(spec.replace("<\\/", "</")))
            alone += [f"{path} {target}: «{field}»" for field in coloured if field not in shown]
    assert not alone, f"Farge uten forklaring (skjult forklaring og ingen tekst): {alone}"


def test_keyboard_reaches_skip_link_search_and_content(
    site: str, chart_pages: list[str], blocked: tuple[Any, list[str]]
) -> None:
    context, _ = blocked
    page = context.new_page()
    browser.open_page(page, site + chart_pages[0])
    page.keyboard.press("Tab")
    first = page.evaluate(
        "() => [document.activeElement.textContent.trim(), "
        "document.activeElement.getAttribute('href')]"
    )
    assert first == ["Hopp til hovedinnhold", "#main-content"], f"første Tab: {first}"
    reached_search = reached_content = False
    invisible = []
    for _ in range(250):
        page.keyboard.press("Tab")
        state = page.evaluate("""() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                       || style.boxShadow !== 'none';
          return {tag: el.tagName, cls: String(el.className),
                  text: el.textContent.trim().slice(0, 40),
                  inMain: !!el.closest('#main-content'), ring: ring,
                  search: el.classList.contains('search-button__button')};
        }""")
        if state["tag"] == "BODY":
            break
        if not state["ring"]:
            invisible.append(f"{state['tag']}.{state['cls']} «{state['text']}»")
        reached_search = reached_search or state["search"]
        reached_content = reached_content or (state["inMain"] and state["tag"] == "A")
    assert reached_search, "Søkeknappen nås ikke med Tab"
    assert reached_content, "Lenkene i hovedinnholdet nås ikke med Tab"
    assert not invisible, f"Fokus er ikke synlig på: {invisible[:5]}"
    page.keyboard.press("Control+k")
    page.wait_for_function("() => document.activeElement.type === 'search'", timeout=2_000)


# 4. Phones ----------------------------------------------------------------------------------------


def test_nothing_runs_off_a_phone_screen(phone_sweep: dict[str, dict[str, Any]]) -> None:
    too_wide = {
        path: found
        for path, found in phone_sweep.items()
        if found["scrollWidth"] > PHONE["width"] or found["wide"]
    }
    assert not too_wide, f"For bredt på 375 px: {too_wide}"


def test_screenshots_command_writes_both_widths(built_book: Path, tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "sirkbok_dev.screenshots",
        "--html",
        str(built_book),
        "--out",
        str(tmp_path),
    ]
    scripts = str(Path(__file__).resolve().parents[2] / "scripts")
    environment = {**os.environ, "PYTHONPATH": scripts}
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=environment)
    assert result.returncode == 0, result.stderr
    shots = sorted(tmp_path.glob("*.png"))
    widths = {shot.name: int.from_bytes(shot.read_bytes()[16:20], "big") for shot in shots}
    for stem in (
        "chapters-tema-biogass",
        "chapters-forside",
        "chapters-kommuner-3305",
        "chapters-strategi-tidslinje",
    ):
        assert widths.get(f"{stem}-375.png") == 375, widths
        assert widths.get(f"{stem}-1280.png") == 1280, widths


# 5. Navigation ------------------------------------------------------------------------------------

THEME_PAGE = "chapters/tema/biogass.html"  # long, with sections, charts and a next chapter
MENU_BUTTON = ".bd-header-article .primary-toggle"
CONTENTS_BUTTON = ".bd-header-article .secondary-toggle"
CHAPTER_LINK = "nav.bd-docs-nav a.reference.internal"
SECTION_LINK = "#pst-page-toc-nav a"


def visible_count(page: Any, selector: str) -> int:
    return page.locator(f"{selector} >> visible=true").count()


def theme_page_at(chromium: Any, site: str, width: int) -> tuple[Any, Any]:
    """A fresh context (other hosts blocked) showing the theme chapter at `width` px."""
    context = chromium.new_context(viewport={"width": width, "height": 800})
    browser.block_other_hosts(context)
    page = context.new_page()
    browser.open_page(page, site + THEME_PAGE)
    return context, page


@pytest.mark.parametrize("width", [375, 768, 1280])
def test_menu_button_opens_and_closes_the_chapter_list(
    site: str, chromium: Any, width: int
) -> None:
    context, page = theme_page_at(chromium, site, width)
    button = page.locator(MENU_BUTTON)
    assert button.is_visible(), f"menyknappen vises ikke på {width} px"
    assert button.get_attribute("aria-label") == "Vis eller skjul innholdsfortegnelsen"
    shown_at_start = visible_count(page, CHAPTER_LINK) > 0
    assert shown_at_start == (width >= 992), f"{width} px: menyen åpen fra start: {shown_at_start}"

    button.click()
    page.wait_for_timeout(400)  # the theme's slide animation
    assert (visible_count(page, CHAPTER_LINK) > 0) != shown_at_start, (
        f"{width} px: klikk virket ikke"
    )
    if width < 992:
        assert visible_count(page, CHAPTER_LINK) >= 10
        page.keyboard.press("Escape")
        page.wait_for_timeout(400)
        assert visible_count(page, CHAPTER_LINK) == 0, f"{width} px: Escape lukket ikke menyen"
        assert page.evaluate("document.activeElement.classList.contains('primary-toggle')"), (
            "fokus gikk ikke tilbake til menyknappen"
        )
        # The keyboard alone: Enter on the focused button opens it again.
        page.keyboard.press("Enter")
    else:
        button.focus()
        page.keyboard.press(" ")
    page.wait_for_timeout(400)
    assert visible_count(page, CHAPTER_LINK) > 0, f"{width} px: tastaturet åpnet ikke menyen"
    context.close()


@pytest.mark.parametrize("width", [375, 768, 1280])
def test_contents_button_shows_the_sections_of_the_page(
    site: str, chromium: Any, width: int
) -> None:
    context, page = theme_page_at(chromium, site, width)
    button = page.locator(CONTENTS_BUTTON)
    if width >= 1200:  # the theme shows the page's contents beside the text
        assert visible_count(page, SECTION_LINK) >= 3
        return context.close()
    assert button.is_visible(), f"innholdsknappen vises ikke på {width} px"
    assert visible_count(page, SECTION_LINK) == 0
    button.click()
    page.wait_for_timeout(400)
    assert visible_count(page, SECTION_LINK) >= 3, f"{width} px: avsnittene vises ikke"
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    assert visible_count(page, SECTION_LINK) == 0, f"{width} px: Escape lukket ikke"
    page.keyboard.press("Space")
    page.wait_for_timeout(400)
    assert visible_count(page, SECTION_LINK) >= 3, f"{width} px: tastaturet åpnet ikke"
    context.close()


# 6. Clean pages: no errors, each asset once, Norwegian interface -----------------------------------


def test_no_page_logs_an_error_or_loads_a_script_twice(sweep: dict[str, dict[str, Any]]) -> None:
    errors = {path: found["errors"] for path, found in sweep.items() if found["errors"]}
    assert not errors, f"Feil i konsollen: {errors}"
    twice = {
        path: sorted({url for url in found["assets"] if found["assets"].count(url) > 1})
        for path, found in sweep.items()
    }
    twice = {path: urls for path, urls in twice.items() if urls}
    assert not twice, f"Lastet to ganger: {twice}"
    icon = [
        path
        for path, found in sweep.items()
        if path != "index.html"  # Jupyter Book's redirect to the front page
        and "favicon" not in " ".join(found["requests"])
    ]
    assert not icon, f"Sider uten nettstedsikon: {icon}"


def test_no_english_interface_words(sweep: dict[str, dict[str, Any]]) -> None:
    english = {path: found["english"] for path, found in sweep.items() if found["english"]}
    assert not english, "Engelske ord i grensesnittet:\n" + "\n".join(
        f"{path}: {hits}" for path, hits in english.items()
    )


def test_english_scan_is_not_blind(site: str, blocked: tuple[Any, list[str]]) -> None:
    context, _ = blocked
    page = context.new_page()
    browser.open_page(page, site + "chapters/forside.html")
    page.evaluate("""() => document.querySelector('.bd-header-article').insertAdjacentHTML(
        'beforeend', '<button title="Suggest edit">Repository</button>')""")
    hits = page.evaluate(ENGLISH_SCAN, ENGLISH_WORDS)
    assert len(hits) == 2, hits


# 7. A light first visit ---------------------------------------------------------------------------

HEAVY = ("fontawesome.js", "/webfonts/", "searchindex.js", "searchtools.js")


def test_content_pages_load_no_icon_font_search_index_or_unneeded_chart_library(
    sweep: dict[str, dict[str, Any]], chart_pages: list[str]
) -> None:
    heavy = {
        path: [url for url in found["requests"] if any(name in url for name in HEAVY)]
        for path, found in sweep.items()
        if not path.startswith("search.html")
    }
    heavy = {path: urls for path, urls in heavy.items() if urls}
    assert not heavy, f"Tunge filer lastet ved første visning: {heavy}"
    # The chart library only where a chart is (and there only once one comes near the screen: see
    # test_chart_library_loads_once_when_a_chart_comes_into_view).
    library = [
        path
        for path, found in sweep.items()
        if path not in chart_pages and any("sirkbok-vega.js" in url for url in found["requests"])
    ]
    assert not library, f"Figurbiblioteket lastet på sider uten figurer: {library}"
    search = sweep[SEARCH]["requests"]
    assert any("searchindex.js" in url for url in search), "søkesiden laster ikke søkeindeksen"


ICONS = """() => Array.from(document.querySelectorAll('[class*="fa-"]'))
  .filter(el => /\\bfa-(solid|regular|brands)\\b|\\bfa[srb]\\b/.test(el.className))
  .filter(el => !getComputedStyle(el).getPropertyValue('--sirk-icon').trim())
  .map(el => el.className)"""


def test_every_icon_is_drawn_without_the_icon_font(
    site: str, blocked: tuple[Any, list[str]], built_book: Path
) -> None:
    context, _ = blocked
    page = context.new_page()
    missing: set[str] = set()
    for path in [THEME_PAGE, "chapters/forside.html", "chapters/bidra.html", "search.html"]:
        browser.open_page(page, site + path)
        missing |= set(page.evaluate(ICONS))
    assert not missing, f"Ikoner uten tegning i _static/sirkbok-icons.css: {sorted(missing)}"


def test_charts_show_before_and_without_the_chart_library(
    site: str, chart_pages: list[str], chromium: Any
) -> None:
    """With the chart library unreachable, every chart still shows its image, at its full size."""
    context = chromium.new_context(viewport=DESKTOP)
    browser.block_other_hosts(context)
    context.route("**/sirkbok-vega.js*", lambda route: route.abort("blockedbyclient"))
    page = context.new_page()
    browser.open_page(page, site + chart_pages[0])
    page.evaluate(browser.SCROLL_TO_CHARTS)
    page.wait_for_function(browser.CHARTS_DRAWN, timeout=10_000)
    charts = page.locator(".sirk-chart")
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("data-rendered") == "fallback"
        image = chart.locator("img")
        image.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=5_000
        )
        box = image.bounding_box()
        assert image.is_visible() and box and box["width"] > 200 and box["height"] > 50, box
    context.close()


def test_chart_library_loads_once_when_a_chart_comes_into_view(
    site: str, chromium: Any, built_book: Path
) -> None:
    context = chromium.new_context(viewport=DESKTOP)
    browser.block_other_hosts(context)
    page = context.new_page()
    bundles: list[str] = []
    page.on(
        "request",
        lambda request: bundles.append(request.url) if "sirkbok-vega.js" in request.url else None,
    )
    browser.open_page(page, site + THEME_PAGE)
    page.wait_for_timeout(500)
    assert bundles == [], "figurbiblioteket lastes før en figur er i nærheten av skjermen"
    first = page.locator(".sirk-chart").first
    height_before = first.bounding_box()["height"]
    first.scroll_into_view_if_needed()
    page.wait_for_function("el => el.dataset.rendered === 'ok'", arg=first.element_handle())
    assert first.locator("svg").count() == 1 and first.locator("img").count() == 0
    # Swapped in without the text below jumping up: at least the image's height is kept.
    assert first.bounding_box()["height"] >= height_before - 1
    browser.draw_all_charts(page)
    assert len(bundles) == 1, bundles
    # Named with the checksum of this build's runtime, so a cached old runtime is never used.
    runtime = built_book / "_static" / "sirkbok-vega.js"
    assert bundles[0].endswith(f"sirkbok-vega.js?v={zlib.crc32(runtime.read_bytes()):08x}"), bundles
    context.close()
