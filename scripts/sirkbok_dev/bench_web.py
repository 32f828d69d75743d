"""`make bench-web`: what a reader's browser downloads and how fast the charts appear.

Measured in Debian's headless chromium against the built site on 127.0.0.1, served with
`Cache-Control: max-age=600` as GitHub Pages serves it. Bytes are what crossed the network (Chrome's
encoded data length, headers included), so files from the browser cache count as nothing.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sirkbok.core import paths
from sirkbok.core.errors import UserError
from sirkbok.format import number

from sirkbok_dev import browser

NEXT_PAGE_LIMIT = 200_000  # bytes
RENDER_LIMIT_MS = 1_000.0
CACHE_SECONDS = 600  # what GitHub Pages sends
THEME_CHAPTER = "chapters/tema/biogass.html"

# Records, in the page, the moment every chart has rendered (before any page script runs).
RENDER_CLOCK = """
new MutationObserver(() => {
  const charts = document.querySelectorAll('.sirk-chart');
  if (!window.__sirkRendered && charts.length &&
      Array.from(charts).every(c => c.dataset.rendered === 'ok')) {
    window.__sirkRendered = performance.now();
  }
}).observe(document, {attributes: true, attributeFilter: ['data-rendered'], subtree: true});
"""
TIMINGS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return {rendered: window.__sirkRendered || null, load: nav.loadEventStart,
          charts: document.querySelectorAll('.sirk-chart').length};
}"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    browser.add_site_argument(parser)
    parser.add_argument("--runs", type=int, default=5, help="Antall målinger av tegnetiden.")


@dataclass
class Traffic:
    """Bytes per URL that crossed the network, from the DevTools protocol."""

    urls: dict[str, str] = field(default_factory=dict)
    bytes: dict[str, int] = field(default_factory=dict)
    other_hosts: list[str] = field(default_factory=list)

    def attach(self, context: Any, page: Any) -> None:
        session = context.new_cdp_session(page)
        session.on("Network.requestWillBeSent", self._sent)
        session.on("Network.loadingFinished", self._finished)
        session.send("Network.enable")

    def _sent(self, event: dict) -> None:
        url = event["request"]["url"]
        self.urls[event["requestId"]] = url
        if not browser.is_local(url):
            self.other_hosts.append(url)

    def _finished(self, event: dict) -> None:
        url = urlsplit(self.urls.get(event["requestId"], "?"))._replace(query="").geturl()
        if event["encodedDataLength"] > 0:  # 0: from the browser cache
            self.bytes[url] = self.bytes.get(url, 0) + int(event["encodedDataLength"])

    def take(self) -> dict[str, int]:
        """Bytes per URL since the last call."""
        taken, self.bytes = self.bytes, {}
        return taken


def gzipped(html: Path, base: str, visit: dict[str, int]) -> int:
    """What the same files weigh gzip-compressed, as a real web host sends text files."""
    total = 0
    for url, size in visit.items():
        path = html / url.removeprefix(base)
        if path.is_file() and path.suffix in (".html", ".js", ".css", ".svg", ".json"):
            total += len(gzip.compress(path.read_bytes(), compresslevel=6))
        else:
            total += size
    return total


def kb(size: int) -> str:
    return f"{number(size / 1000, 1)} kB"


def settle(page: Any) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function(browser.CHARTS_SETTLED, timeout=15_000)


def measure(html: Path, runs: int) -> list[tuple[str, bool]]:
    """Print the figures; return (target, met) pairs."""
    from playwright.sync_api import sync_playwright

    chart_pages = browser.chart_pages(html)
    if not chart_pages:
        print("Ingen side har figurer: ingenting å måle.")
        return [("figurer finnes", False)]
    theme = THEME_CHAPTER if THEME_CHAPTER in chart_pages else chart_pages[0]
    bundle = html / "_static" / "sirkbok-vega.js"
    with browser.serve(html, cache_seconds=CACHE_SECONDS) as base, sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        traffic = Traffic()
        traffic.attach(context, page)

        page.goto(base + theme)
        settle(page)
        first = traffic.take()
        forward, back = ("a.right-next", "a.left-prev")
        if page.locator(forward).count() == 0:
            forward, back = back, forward
        page.locator(forward).first.click()
        settle(page)
        next_url = page.url.removeprefix(base)
        second = traffic.take()
        page.locator(back).first.click()
        settle(page)
        third = traffic.take()
        context.close()

        visits = [first, second, third]
        bundle_downloads = sum(
            1
            for visit in visits
            for url, size in visit.items()
            if url.endswith("/_static/sirkbok-vega.js") and size > bundle.stat().st_size / 2
        )
        charts, times = 0, []
        for _ in range(runs):
            context = chromium.new_context(viewport={"width": 1280, "height": 900})
            context.add_init_script(RENDER_CLOCK)
            page = context.new_page()
            page.goto(base + theme)
            page.wait_for_function(browser.CHARTS_SETTLED, timeout=15_000)
            timing = page.evaluate(TIMINGS)
            charts = timing["charts"]
            # A chart that fell back to its image never rendered: count it as never.
            times.append((timing["rendered"] or float("inf"), timing["load"]))
            context.close()
        chromium.close()

    rendered = statistics.median(t for t, _ in times)
    load = statistics.median(load for _, load in times)
    next_bytes = sum(second.values())
    checks = [
        ("figurbiblioteket lastes ned én gang", bundle_downloads == 1),
        ("neste side under 200 kB", next_bytes < NEXT_PAGE_LIMIT),
        ("alle figurer tegnet innen 1 s", rendered <= RENDER_LIMIT_MS),
    ]
    print(f"Temakapittel: {theme} ({charts} figurer)")
    first_files, next_files = count(len(first), "fil", "filer"), count(len(second), "fil", "filer")
    print(
        f"Første besøk, tom hurtigbuffer: {kb(sum(first.values()))} i {first_files} "
        f"(figurbiblioteket {kb(first.get(base + '_static/sirkbok-vega.js', 0))}); "
        f"gzip-komprimert som fra GitHub Pages omtrent {kb(gzipped(html, base, first))}"
    )
    print(
        f"Neste side via lenke ({next_url}): {kb(next_bytes)} i {next_files} "
        f"— mål under {kb(NEXT_PAGE_LIMIT)}: {verdict(checks[1][1])}"
    )
    print(f"Tilbake til temakapitlet via lenke: {kb(sum(third.values()))}")
    print(
        f"Figurbiblioteket (sirkbok-vega.js, {kb(bundle.stat().st_size)}) lastet ned "
        f"{count(bundle_downloads, 'gang', 'ganger')} over 3 sidevisninger — mål én gang: "
        f"{verdict(checks[0][1])}"
    )
    print(
        f"Tid til alle {charts} figurer er tegnet, median av {runs} kalde besøk: "
        f"{number(rendered, 0)} ms fra navigasjonsstart (load-hendelsen: {number(load, 0)} ms) "
        f"— mål høyst {number(RENDER_LIMIT_MS, 0)} ms: {verdict(checks[2][1])}"
    )
    print(f"Forespørsler til andre verter: {len(traffic.other_hosts)}")
    checks.append(("ingen forespørsler til andre verter", not traffic.other_hosts))
    return checks


def count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def verdict(ok: bool) -> str:
    return "OK" if ok else "IKKE NÅDD"


def run(args: argparse.Namespace) -> int:
    root = paths.root()
    if not browser.CHROMIUM.exists():
        raise UserError(f"Fant ikke {browser.CHROMIUM}; installer Debians chromium.")
    with tempfile.TemporaryDirectory(prefix="sirkbok-web-") as scratch:
        html = browser.site(root, Path(scratch), args.html)
        results = measure(html, args.runs)
    missed = [name for name, ok in results if not ok]
    print("Alle mål nådd." if not missed else f"Ikke nådd: {', '.join(missed)}.")
    return 0 if not missed else 1


def main() -> int:
    from sirkbok.cli import NorwegianParser

    parser = NorwegianParser(
        prog="python -m sirkbok_dev.bench_web",
        description="Mål hva en leser laster ned (første besøk og neste side) og hvor fort alle "
        "figurene i et temakapittel er tegnet, i headless Chromium.",
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="Vis denne hjelpeteksten og avslutt.")
    add_arguments(parser)
    try:
        return run(parser.parse_args())
    except UserError as error:
        for problem in error.problems:
            print(f"feil: {problem}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
