"""`make bench-web`: what a reader's browser downloads, and how fast a page shows on a slow phone line.

Measured in Debian's headless chromium against the built site on 127.0.0.1, served as GitHub Pages
serves it: text files gzip-compressed, `Cache-Control: max-age=600`. For the front page and a theme
chapter it prints
- the bytes of a first visit with an empty cache, without scrolling (raw and as sent, gzipped), and
  what the chart library adds once the reader scrolls to the charts;
- the bytes of the next page, reached by its link;
- on a slow mobile line emulated by Chromium (1.6 Mbit/s, 150 ms): the time until the first chart is
  visible for a reader who goes straight to it, and until the page has loaded (the load event).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sirkbok.core import context
from sirkbok.core.errors import UserError
from sirkbok.core.format import number

from sirkbok_dev import browser

FRONT_PAGE = "chapters/forside.html"
THEME_CHAPTER = "chapters/tema/biogass.html"
FIRST_VISIT_LIMIT = 400_000  # bytes as sent (gzip)
NEXT_PAGE_LIMIT = 60_000  # bytes as sent (gzip)
FIRST_CHART_LIMIT_MS = 3_000.0
COMPLETE_LIMIT_MS = 6_000.0
CACHE_SECONDS = 600  # what GitHub Pages sends
# Chromium's network emulation: a slow mobile line.
SLOW_LINE = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}

# In the page, before any page script: when the DOM is there, go to the first chart as a reader
# would, and record the moment its image (or drawn chart) is on screen.
FIRST_CHART_CLOCK = """
document.addEventListener('DOMContentLoaded', () => {
  const chart = document.querySelector('.sirk-chart');
  if (!chart) { return; }
  chart.scrollIntoView({block: 'center'});
  const look = () => {
    const img = chart.querySelector('img');
    const shown = chart.querySelector('svg') || (img && img.complete && img.naturalWidth > 0);
    if (shown) { window.__sirkFirstChart = performance.now(); } else { requestAnimationFrame(look); }
  };
  look();
});
"""
TIMINGS = """() => ({
  firstChart: window.__sirkFirstChart || null,
  load: performance.getEntriesByType('navigation')[0].loadEventStart,
  charts: document.querySelectorAll('.sirk-chart').length,
})"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    browser.add_site_argument(parser)
    parser.add_argument("--runs", type=int, default=3, help="Antall målinger på den trege linjen.")


@dataclass
class Traffic:
    """Bytes per URL from the DevTools protocol: as sent (gzip, headers included) and unpacked."""

    urls: dict[str, str] = field(default_factory=dict)
    sent: dict[str, int] = field(default_factory=dict)
    raw: dict[str, int] = field(default_factory=dict)
    other_hosts: list[str] = field(default_factory=list)

    def attach(self, context: Any, page: Any) -> None:
        session = context.new_cdp_session(page)
        session.on("Network.requestWillBeSent", self._request)
        session.on("Network.dataReceived", self._data)
        session.on("Network.loadingFinished", self._finished)
        session.send("Network.enable")

    def _url(self, event: dict) -> str:
        return urlsplit(self.urls.get(event["requestId"], "?"))._replace(query="").geturl()

    def _request(self, event: dict) -> None:
        url = event["request"]["url"]
        self.urls[event["requestId"]] = url
        if not browser.is_local(url):
            self.other_hosts.append(url)

    def _data(self, event: dict) -> None:
        url = self._url(event)
        self.raw[url] = self.raw.get(url, 0) + int(event["dataLength"])

    def _finished(self, event: dict) -> None:
        if event["encodedDataLength"] > 0:  # 0: from the browser cache
            url = self._url(event)
            self.sent[url] = self.sent.get(url, 0) + int(event["encodedDataLength"])

    def take(self) -> tuple[dict[str, int], dict[str, int]]:
        """(bytes as sent, bytes unpacked) per URL since the last call; cached files count as 0."""
        sent, self.sent = self.sent, {}
        raw, self.raw = self.raw, {}
        return sent, {url: size for url, size in raw.items() if url in sent}


def kb(size: float) -> str:
    return f"{number(size / 1000, 1)} kB"


def files(count: int) -> str:
    return f"{count} fil" if count == 1 else f"{count} filer"


def verdict(ok: bool) -> str:
    return "OK" if ok else "IKKE NÅDD"


def settle(page: Any) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function(browser.CHARTS_SETTLED, timeout=15_000)


def transfers(chromium: Any, base: str, path: str) -> dict[str, Any]:
    """A first visit, the charts' library once the reader scrolls, and the next page by its link."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    traffic = Traffic()
    traffic.attach(context, page)
    page.goto(base + path)
    settle(page)
    first = traffic.take()
    browser.draw_all_charts(page)
    page.wait_for_load_state("networkidle")
    library = traffic.take()
    forward = page.locator("a.right-next")
    next_url = ""
    if forward.count():
        forward.first.click()
        settle(page)
        next_url = page.url.removeprefix(base)
    after = traffic.take()
    context.close()
    return {
        "first": first,
        "library": library,
        "next": after,
        "next_url": next_url,
        "other": traffic.other_hosts,
    }


def slow_visit(chromium: Any, base: str, path: str) -> dict[str, Any]:
    """One cold visit over the emulated slow line (cache off)."""
    context = chromium.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    context.add_init_script(FIRST_CHART_CLOCK)
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    session.send("Network.emulateNetworkConditions", SLOW_LINE)
    page.goto(base + path, wait_until="load", timeout=120_000)
    if page.evaluate("document.querySelector('.sirk-chart') !== null"):
        page.wait_for_function("() => window.__sirkFirstChart", timeout=60_000)
    timing = page.evaluate(TIMINGS)
    context.close()
    return timing


def report(
    html: Path, path: str, found: dict[str, Any], slow: list[dict]
) -> list[tuple[str, bool]]:
    """Print one page's figures; return (target, met) pairs."""
    sent, raw = found["first"]
    lib_sent, lib_raw = found["library"]
    next_sent, next_raw = found["next"]
    charts = slow[0]["charts"]
    first_ok = sum(sent.values()) <= FIRST_VISIT_LIMIT
    print(f"\n{path} ({charts} figurer)")
    print(
        f"  Første besøk, tom hurtigbuffer, uten å rulle: {kb(sum(raw.values()))} utpakket, "
        f"{kb(sum(sent.values()))} sendt (gzip) i {files(len(sent))} "
        f"— mål høyst {kb(FIRST_VISIT_LIMIT)}: {verdict(first_ok)}"
    )
    if lib_sent:
        total = sum(sent.values()) + sum(lib_sent.values())
        print(
            f"  Når leseren ruller til figurene, lastes figurbiblioteket: "
            f"{kb(sum(lib_raw.values()))} utpakket, {kb(sum(lib_sent.values()))} sendt; "
            f"i alt {kb(total)} sendt"
        )
    checks = [(f"{path}: første besøk høyst {kb(FIRST_VISIT_LIMIT)}", first_ok)]
    if found["next_url"]:
        next_ok = sum(next_sent.values()) <= NEXT_PAGE_LIMIT
        print(
            f"  Neste side via lenke ({found['next_url']}): {kb(sum(next_raw.values()))} utpakket, "
            f"{kb(sum(next_sent.values()))} sendt i {files(len(next_sent))} "
            f"— mål høyst {kb(NEXT_PAGE_LIMIT)}: {verdict(next_ok)}"
        )
        checks.append((f"{path}: neste side høyst {kb(NEXT_PAGE_LIMIT)}", next_ok))
    load = statistics.median(run["load"] for run in slow)
    load_ok = load <= COMPLETE_LIMIT_MS
    line = (
        f"  Treg mobillinje (1,6 Mbit/s, 150 ms), 375 px, median av {len(slow)}: "
        f"siden ferdig (load) etter {number(load, 0)} ms — mål høyst "
        f"{number(COMPLETE_LIMIT_MS, 0)} ms: {verdict(load_ok)}"
    )
    checks.append((f"{path}: siden ferdig innen {number(COMPLETE_LIMIT_MS, 0)} ms", load_ok))
    if charts:
        first_chart = statistics.median(run["firstChart"] or float("inf") for run in slow)
        chart_ok = first_chart <= FIRST_CHART_LIMIT_MS
        line += (
            f"; første figur synlig etter {number(first_chart, 0)} ms — mål høyst "
            f"{number(FIRST_CHART_LIMIT_MS, 0)} ms: {verdict(chart_ok)}"
        )
        checks.append(
            (f"{path}: første figur innen {number(FIRST_CHART_LIMIT_MS, 0)} ms", chart_ok)
        )
    print(line)
    return checks


def measure(html: Path, runs: int) -> list[tuple[str, bool]]:
    from playwright.sync_api import sync_playwright

    pages = [path for path in (FRONT_PAGE, THEME_CHAPTER) if (html / path).is_file()]
    if not pages:
        print("Fant verken forsiden eller temakapitlet: ingenting å måle.")
        return [("sidene finnes", False)]
    checks: list[tuple[str, bool]] = []
    other: list[str] = []
    with (
        browser.serve(html, cache_seconds=CACHE_SECONDS, compress=True) as base,
        sync_playwright() as playwright,
    ):
        chromium = browser.launch(playwright)
        for path in pages:
            found = transfers(chromium, base, path)
            other += found["other"]
            slow = [slow_visit(chromium, base, path) for _ in range(max(runs, 1))]
            checks += report(html, path, found, slow)
        chromium.close()
    print(f"\nForespørsler til andre verter: {len(other)}")
    checks.append(("ingen forespørsler til andre verter", not other))
    return checks


def run(args: argparse.Namespace) -> int:
    root = context.current().root
    if not browser.CHROMIUM.exists():
        raise UserError(f"Fant ikke {browser.CHROMIUM}; installer Debians chromium.")
    with tempfile.TemporaryDirectory(prefix="sirkbok-web-") as scratch:
        html = browser.site(root, Path(scratch), args.html)
        results = measure(html, args.runs)
    missed = [name for name, ok in results if not ok]
    print("Alle mål nådd." if not missed else f"Ikke nådd: {'; '.join(missed)}.")
    return 0 if not missed else 1


def main() -> int:
    from sirkbok.cli import NorwegianParser

    parser = NorwegianParser(
        prog="python -m sirkbok_dev.bench_web",
        description="Mål hva en leser laster ned (første besøk og neste side) og hvor fort forsiden "
        "og et temakapittel vises på en treg mobillinje, i headless Chromium.",
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
