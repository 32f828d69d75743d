"""`make screenshots` (`python -m sirkbok_dev.screenshots`): the pages a new reader meets first, as a
phone (375 px) and a desktop (1280 px) show them: a theme chapter, the front page, a municipality
page and the timeline.

Whole-page PNGs for review, taken in Debian's headless chromium once every chart has rendered and
with every host but the book's own blocked, so a picture shows exactly what a reader gets.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from sirkbok.core import context
from sirkbok.core.errors import UserError

from sirkbok_dev import browser

DEFAULT_PAGE = "chapters/tema/biogass.html"
# Also shot by default when the book has them: where readers start and what they look for first.
READER_PAGES = [
    "chapters/forside.html",
    "chapters/kommuner/3305.html",
    "chapters/strategi/tidslinje.html",
]
WIDTHS = {375: {"is_mobile": True, "has_touch": True}, 1280: {}}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, default=None, help="Mappe for bildene (standard: _build/skjermbilder)."
    )
    parser.add_argument(
        "--page",
        default=None,
        help=f"Siden som fotograferes, relativt til nettstedet (standard: {DEFAULT_PAGE}, "
        "ellers en side med figurer).",
    )
    browser.add_site_argument(parser)


def choose_page(html: Path, wanted: str | None) -> str:
    """The page asked for, else the biogas chapter, else the page with most charts."""
    if wanted:
        if not (html / wanted).is_file():
            raise UserError(f"Fant ikke siden {wanted} i {html}.")
        return wanted
    if (html / DEFAULT_PAGE).is_file():
        return DEFAULT_PAGE
    with_charts = browser.chart_pages(html)
    if not with_charts:
        raise UserError("Ingen side i boka har figurer ennå; oppgi en side med --page.")
    return with_charts[0]


def choose_pages(html: Path, wanted: str | None) -> list[str]:
    """The one page asked for; by default the theme chapter and the reader pages that exist."""
    first = choose_page(html, wanted)
    if wanted:
        return [first]
    return [first, *(page for page in READER_PAGES if (html / page).is_file())]


def take(html: Path, page_paths: list[str], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with browser.serve(html) as base, sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        for page_path, (width, options) in ((p, w) for p in page_paths for w in WIDTHS.items()):
            stem = Path(page_path).with_suffix("").as_posix().replace("/", "-")
            context = chromium.new_context(viewport={"width": width, "height": 900}, **options)
            blocked = browser.block_other_hosts(context)
            page = context.new_page()
            page.goto(base + page_path, wait_until="networkidle")
            browser.draw_all_charts(page)  # as a reader scrolling down sees them
            target = out / f"{stem}-{width}.png"
            temporary = target.with_name(f".{target.name}.tmp.png")
            page.screenshot(path=str(temporary), full_page=True)
            temporary.replace(target)
            context.close()
            if blocked:
                print(f"advarsel: siden prøvde å hente fra andre verter: {blocked}")
            written.append(target)
        chromium.close()
    return written


def run(args: argparse.Namespace) -> int:
    if not browser.CHROMIUM.exists():
        raise UserError(
            f"Fant ikke {browser.CHROMIUM}; installer Debians chromium (apt-get install chromium)."
        )
    root = context.current().root
    out = args.out or root / "_build" / "skjermbilder"
    with tempfile.TemporaryDirectory(prefix="sirkbok-skjerm-") as scratch:
        html = browser.site(root, Path(scratch), args.html)
        for path in take(html, choose_pages(html, args.page), out):
            print(f"Skrev {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    from sirkbok.cli import NorwegianParser, report_errors

    parser = NorwegianParser(prog="python -m sirkbok_dev.screenshots", description=__doc__)
    add_arguments(parser)
    return report_errors(run, parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
