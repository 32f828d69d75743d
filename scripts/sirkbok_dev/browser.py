"""The built book in a real browser: served on 127.0.0.1, driven in Debian's chromium by Playwright.

Shared by the browser tests, `sirkbok bench-web` and `sirkbok screenshots`, so all three see the
site the same way: one local host, every other host blocked, never a downloaded browser build.
"""

from __future__ import annotations

import functools
import gzip
import io
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sirkbok.book.pdf import CHROMIUM  # Debian's chromium: the one browser, also for the PDF
from sirkbok.core.errors import UserError

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # No name but the book's resolves, even where a request slips past the route handler.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
LOCAL_HOST = "127.0.0.1"
# Files whose change can change the site (a superset: a needless rebuild only costs time).
SOURCES = (
    "*.md",
    "*.ipynb",
    "*.yml",
    "*.css",
    "*.js",
    "*.html",
    "*.bib",
    "*.svg",
    "*.py",
    "*.po",
    "*.csv",
    "*.json",
)

# The browser contexts of the one phone and the one desktop every sweep looks through. The phone is
# 375 × 812 CSS px (an iPhone X-size screen, as the other phone tests use) at 2 device pixels per CSS
# px, laid out and touched as a phone (`is_mobile`, `has_touch`).
SCREENS: dict[int, dict[str, Any]] = {
    375: {
        "viewport": {"width": 375, "height": 812},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    1280: {"viewport": {"width": 1280, "height": 900}},
}
# JavaScript: True once no chart on the page is being drawn: each shows its image (the chart library
# loads only when a chart comes near the screen), its interactive version, or fell back to its image.
CHARTS_SETTLED = """() => Array.from(document.querySelectorAll('.sirk-chart'))
    .every(d => ['image', 'ok', 'fallback'].includes(d.dataset.rendered))"""
# JavaScript: True once every chart has been drawn interactively or fell back to its image.
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('.sirk-chart'))
    .every(d => d.dataset.rendered === 'ok' || d.dataset.rendered === 'fallback')"""
# JavaScript: bring every chart near the screen in turn, as a reader scrolling down does.
SCROLL_TO_CHARTS = """async () => {
  for (const chart of document.querySelectorAll('.sirk-chart')) {
    chart.scrollIntoView({block: 'center'});
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  }
  window.scrollTo(0, 0);
}"""
# JavaScript: everything collapsed by default opened (so that tables inside figures are seen too), and
# fade-in animations run to their end (so that nothing is measured half transparent).
OPEN_ALL = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  document.getAnimations().forEach(a => { try { a.finish(); } catch (e) { /* infinite */ } });
}"""
# Text files a web host such as GitHub Pages sends gzip-compressed.
COMPRESSED = {".html", ".js", ".css", ".svg", ".json", ".csv", ".txt"}


def open_page(page: Any, url: str, timeout: int = 15_000) -> None:
    """Go to `url` and wait until no chart on it is being drawn (each shows its image or more)."""
    page.goto(url, wait_until="load")
    page.wait_for_function(CHARTS_SETTLED, timeout=timeout)


def unfold(page: Any) -> None:
    """Open everything and draw every chart, as a reader who opens and scrolls through all sees it;
    the layout and reader checks measure the page in this state."""
    page.evaluate(OPEN_ALL)
    draw_all_charts(page, timeout=15_000)
    page.wait_for_timeout(150)  # sirkbok-a11y.js marks scroll containers after a change


def draw_all_charts(page: Any, timeout: int = 30_000) -> None:
    """Scroll to every chart, so each loads its interactive version, and wait until all are drawn."""
    page.evaluate(SCROLL_TO_CHARTS)
    page.wait_for_function(CHARTS_DRAWN, timeout=timeout)


class _QuietHandler(SimpleHTTPRequestHandler):
    """Static files without a log line per request; optional Cache-Control and gzip like a web host."""

    cache_seconds: int | None = None
    compress: bool = False

    def end_headers(self) -> None:
        if self.cache_seconds is not None:
            self.send_header("Cache-Control", f"max-age={self.cache_seconds}")
        super().end_headers()

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compress and wants_gzip and path.is_file() and path.suffix in COMPRESSED):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base
        pass


class _Server(ThreadingHTTPServer):
    """A browser that leaves a page mid-download closes its connection: not worth a traceback."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(folder: Path, cache_seconds: int | None = None, compress: bool = False) -> Iterator[str]:
    """Serve `folder` on a free port of 127.0.0.1 in a thread; yields the base URL (ending in /).

    `compress` sends text files gzip-compressed, as GitHub Pages does, for measuring real transfers.
    """
    handler = type(
        "Handler", (_QuietHandler,), {"cache_seconds": cache_seconds, "compress": compress}
    )
    server = _Server((LOCAL_HOST, 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def launch(playwright: Any) -> Any:
    """Debian's chromium, headless, with no background traffic of its own."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


def is_local(url: str) -> bool:
    """Requests the book may make: to its own host, or data:/blob: URLs that stay in the page."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == LOCAL_HOST


def block_other_hosts(context: Any) -> list[str]:
    """Abort every request to another host and record its URL in the returned list.

    Note that Playwright turns off the HTTP cache of a context with routing on: measure caching in a
    context without this (see `sirkbok_dev.bench_web`).
    """
    blocked: list[str] = []

    def handle(route: Any) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", handle)
    return blocked


def pages(html_dir: Path) -> list[str]:
    """Every HTML page of the built book as a path relative to `html_dir`, in a stable order."""
    return sorted(
        path.relative_to(html_dir).as_posix()
        for path in html_dir.rglob("*.html")
        if "_static" not in path.parts and "_sources" not in path.parts
    )


def chart_pages(html_dir: Path) -> list[str]:
    """Pages holding at least one chart, the pages with most charts first."""
    counted = [
        (path, (html_dir / path).read_text(encoding="utf-8").count('class="sirk-chart"'))
        for path in pages(html_dir)
    ]
    return [path for path, count in sorted(counted, key=lambda pc: -pc[1]) if count]


def add_site_argument(parser: Any) -> None:
    """The `--html` option of the commands that open the built site (see `site`)."""
    parser.add_argument(
        "--html",
        type=Path,
        default=None,
        help="Mappe med det bygde nettstedet (standard: _build/html hvis det er ferskt, "
        "ellers bygges boka i en midlertidig mappe).",
    )


def fresh_build(root: Path) -> bool:
    """True when _build/html is newer than every source file of the book."""
    mark = root / "_build" / "html" / "searchindex.js"  # rewritten by every HTML build
    if not mark.is_file():
        return False
    built = mark.stat().st_mtime
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [
            d for d in subfolders if not d.startswith((".", "_build")) and d != "tests"
        ]
        for name in files:
            if any(Path(name).match(pattern) for pattern in SOURCES):
                if (Path(folder) / name).stat().st_mtime > built:
                    return False
    return True


def build(root: Path, output: Path) -> Path:
    """A strict build of the book at `root` into `output` (never into the book's own _build)."""
    from sirkbok.book.build import strict_command

    result = subprocess.run(strict_command(root, output), capture_output=True, text=True)
    if result.returncode != 0:
        raise UserError(
            f"Boka bygget ikke; rett feilene under og prøv igjen.\n{result.stdout[-3000:]}"
        )
    return output / "_build" / "html"


def site(root: Path, scratch: Path, html: Path | None = None) -> Path:
    """The site to look at: `html` if given, a fresh _build/html, else a new build in `scratch`."""
    if html:
        print(f"Bruker nettstedet i {html}")
        return html
    if fresh_build(root):
        print(f"Bruker {root / '_build' / 'html'}: bygget er nyere enn alle kildefilene")
        return root / "_build" / "html"
    print("_build/html mangler eller er eldre enn kildene: bygger boka i en midlertidig mappe …")
    return build(root, scratch)
