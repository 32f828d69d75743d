"""`sirkbok pdf`: the whole book as one PDF, printed by Debian's chromium from a single-page build.

Sphinx's `singlehtml` builder puts every chapter in toc order on one page; Playwright opens that page
in /usr/bin/chromium (never a downloaded browser; Jupyter Book's own `pdfhtml` downloads one) and
prints it with the book's print style (`templates/pdf.css`). Charts print as their SVG images, so
they stay vector; Vega is not loaded. The title page, the table of contents and the page numbers are
added at print time from CITATION.cff (the edition) and the chapters of _toc.yml (`book.chapters`,
with their parts). The contents list gets its page numbers from a first printing, read back with
pypdf.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from importlib import resources
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sirkbok.book import build as site_build
from sirkbok.book import chapters, edition
from sirkbok.book.build import strict_command
from sirkbok.core import context
from sirkbok.core import format as fmt
from sirkbok.core.errors import UserError
from sirkbok.core.files import write_atomic

PDF_NAME = "sirkbok.pdf"
CHROMIUM = Path("/usr/bin/chromium")

# Page numbers in the footer of every page but the title page (Chromium fills the classes).
FOOTER = (
    '<div style="font-size:8pt;width:100%;text-align:center;color:#444;'
    'font-family:sans-serif;">Side <span class="pageNumber"></span> av '
    '<span class="totalPages"></span></div>'
)

# Builds the title page and the contents list from JSON data; text only ever goes into textContent.
FRONT_MATTER_JS = "templates/pdf-front.js"


def output_dir(root: Path) -> Path:
    return root / "_build" / "pdf"


def pdf_path(root: Path) -> Path:
    """Where `sirkbok pdf` writes the book, and where the site build looks for it."""
    return output_dir(root) / PDF_NAME


def build_singlehtml(root: Path, work: Path) -> Path:
    """The whole book on one page (strict, like the site build); returns the page."""

    command = strict_command(root, work, builder="singlehtml")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise UserError(
            "PDF-en ble ikke laget fordi boka ikke bygget som én side; rett feilene under og prøv "
            f"igjen.\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}"
        )
    page = work / "_build" / "singlehtml" / f"{chapters.contents(root)[0].docname}.html"
    if not page.is_file():
        raise UserError(f"Fant ikke den samlede siden {page} etter byggingen.")
    return page


def front_matter(root: Path, pages: dict[str, int] | None = None) -> dict[str, Any]:
    """What the title page and contents list say: plain strings, never markup."""
    book = edition.read(root)
    return {
        "title": book.title,
        "edition": f"Versjon {book.version}, {fmt.date(book.released)}",
        "authors": "Utgitt av " + fmt.listing(book.authors),
        "licence": "Tekst og data: CC BY 4.0. Kode: MIT.",
        "address": book.repository,
        "contentsHeading": "Innhold",
        "chapters": [
            {"id": f"document-{chapter.docname}", "part": chapter.part}
            for chapter in chapters.contents(root)
        ],
        "pages": pages or {},
    }


def _only_files_in(folder: Path) -> Callable[[Any], None]:
    """A Playwright route handler that lets a request through only when it is a `file:` URL of a
    file in `folder` (links resolved first, so a symbolic link cannot lead out of it)."""
    base = os.path.realpath(folder)

    def handle(route: Any) -> None:
        parts = urlsplit(route.request.url)
        path = os.path.realpath(unquote(parts.path)) if parts.scheme == "file" else ""
        local = parts.netloc in ("", "localhost") and path.startswith(base.rstrip("/") + "/")
        if local:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    return handle


def _print(page_file: Path, data: dict[str, Any], folder: Path) -> tuple[bytes, list[str]]:
    """One printing of the page, which may load files in `folder` and nothing else; returns the PDF
    and the chapter titles as the page shows them."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        raise UserError(
            f"Fant ikke nettleseren {CHROMIUM}. Installer Debians chromium: apt-get install chromium"
        )
    css = resources.files("sirkbok").joinpath("templates/pdf.css").read_text(encoding="utf-8")
    script = resources.files("sirkbok").joinpath(FRONT_MATTER_JS).read_text(encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context()
            # Only the one-page build's own files load: no fonts, analytics or CDN from the network,
            # and no file elsewhere on the machine (an <iframe src="file:///etc/passwd"> prints empty).
            context.route("**/*", _only_files_in(folder))
            page = context.new_page()
            page.goto(page_file.resolve().as_uri(), wait_until="load")
            page.emulate_media(media="print")
            page.add_style_tag(content=css)
            titles = page.evaluate(script, data)
            page.wait_for_function(
                "() => Array.from(document.images).every(i => i.complete)", timeout=60_000
            )
            pdf = page.pdf(
                format="A4",
                margin={"top": "18mm", "bottom": "20mm", "left": "18mm", "right": "18mm"},
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                outline=True,
                tagged=True,
            )
        finally:
            browser.close()
    return pdf, titles


def _letters(text: str) -> str:
    """Text compared without white space and soft hyphens (PDF text turns a soft hyphen to a space)."""
    return re.sub(r"[\s\u00ad]+", "", text)


def _headings(outline: list[Any]) -> Iterator[Any]:
    """The entries of a PDF outline (pypdf nests children in a list after their parent) in
    document order."""
    for item in outline:
        if isinstance(item, list):
            yield from _headings(item)
        else:
            yield item


def chapter_pages(pdf: bytes, titles: list[str]) -> dict[str, int]:
    """The page each chapter starts on: the page of the first heading, after the last found, with
    its title. Read from the outline Chromium writes (one entry per heading, pointing at its page),
    not from the pages' text: extracting that took seconds per printing."""
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    headings = [
        (_letters(item.title), page + 1)
        for item in _headings(reader.outline)
        if (page := reader.get_destination_page_number(item)) is not None
    ]
    found: dict[str, int] = {}
    start = 0
    for index, title in enumerate(titles):
        wanted = _letters(title)
        for number in range(start, len(headings)) if wanted else ():
            if headings[number][0] == wanted:
                found[str(index)] = headings[number][1]
                start = number + 1
                break
    return found


def build(root: Path) -> tuple[Path, int, dict[str, float]]:
    """Build the PDF into _build/pdf; returns its path, page count and seconds per step."""
    from pypdf import PdfReader

    out = output_dir(root)
    work = out / "singlehtml-bygg"
    shutil.rmtree(work, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    page_file = build_singlehtml(root, work)
    built = time.monotonic()
    # Print until the contents list's page numbers are where the chapters start: adding the numbers
    # can make the list longer, which moves every chapter (usually settled by the second printing).
    folder = work / "_build" / "singlehtml"  # everything the page may load
    final, titles = _print(page_file, front_matter(root), folder)
    numbers: dict[str, int] = {}
    for _ in range(3):
        found = chapter_pages(final, titles)
        if found == numbers:
            break
        numbers = found
        final, _ = _print(page_file, front_matter(root, numbers), folder)
    target = pdf_path(root)
    write_atomic(target, final)
    seconds = {"bygg": built - started, "utskrift": time.monotonic() - built}
    return target, len(PdfReader(BytesIO(final)).pages), seconds


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--skip-regenerate",
        action="store_true",
        help="Lag PDF-en uten å kjøre utdaterte notatbøker først.",
    )


def run(args: argparse.Namespace) -> int:

    root = context.current().root
    started = time.monotonic()
    status = site_build.prepare(skip_regenerate=args.skip_regenerate)
    if status != 0:
        return status
    target, count, steps = build(root)
    seconds = time.monotonic() - started
    print(
        f"Skrev {target.relative_to(root)}: {count} sider på {fmt.number(seconds, 0)} sekunder "
        f"(boka som én side: {fmt.number(steps['bygg'], 0)} s, to utskrifter i chromium: "
        f"{fmt.number(steps['utskrift'], 0)} s)."
    )
    return 0
