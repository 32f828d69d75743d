"""`python -m sirkbok_dev.contribute_shots`: the pictures «Bidra» shows, taken of the book's own pages.

Each is a real screenshot in Debian's headless chromium at phone width (375 px) of one part of a
built page: the municipality page's list «Dette mangler» with its «Send inn tallet» links, and the
footer with the contact address. GitHub's own form pages cannot be reached here, so «Bidra»
describes those steps in words and shows none of GitHub's screens. Written to chapters/bilder/.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from sirkbok.core import context

from sirkbok_dev import browser

SHOTS = {  # file -> (page, CSS selector of the part shown)
    "bidra-1-mangler.png": ("chapters/kommuner/3446.html", "section#dette-mangler"),
    "bidra-2-kontakt.png": ("chapters/kommuner/3446.html", "footer .sirkbok-kontakt"),
}
PHONE = {"viewport": {"width": 375, "height": 1400}, "is_mobile": True, "has_touch": True}
# The theme's sticky header would cover the top of a part scrolled into view.
STATIC_HEADER = "header, .bd-header, .bd-header-article { position: static !important; }"


def take(html: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with browser.serve(html) as base, sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        context = chromium.new_context(**PHONE)
        browser.block_other_hosts(context)
        page = context.new_page()
        for name, (path, selector) in SHOTS.items():
            page.goto(base + path, wait_until="networkidle")
            page.add_style_tag(content=STATIC_HEADER)
            part = page.locator(selector).first
            part.scroll_into_view_if_needed()
            target = out / name
            part.screenshot(path=str(target))
            written.append(target)
        chromium.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    browser.add_site_argument(parser)
    args = parser.parse_args(argv)
    root = context.current().root
    with tempfile.TemporaryDirectory(prefix="sirkbok-bidra-") as scratch:
        html = browser.site(root, Path(scratch), args.html)
        for path in take(html, root / "chapters" / "bilder"):
            print(f"Skrev {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
