"""Reader language in the built book (issue 22): the article text of every page, as a reader (and
the search snippets) see it, has no snake_case names, no internal keys and no stray English.

Code stays code: code blocks, inline code, the researcher's «Slik er det regnet ut» section and
the chart specifications are not reader text. Links' addresses are not text either.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

NOT_READER_TEXT = [
    "pre",
    "code",
    "script",
    "style",
    ".highlight",
    ".cell_input",
    "details.sirk-code",
    ".headerlink",
    ".bd-header-article",
    ".bd-sidebar-secondary",
]
SNAKE = re.compile(r"\b[a-zæøå]+(?:_[a-zæøå0-9]+)+\b")
# English words that only ever reach a page by mistake (theme defaults, bibliography words).
ENGLISH = re.compile(
    r"\b(?:others|and others|Your issue|issue content|Open issue|Show source|Suggest edit|"
    r"Download|Contents|Previous|Next page)\b"
)
# A generated sentence that starts with «ca.» (a number's prefix) instead of a capital letter.
LOWER_START = re.compile(r"(?<=[.!?] )ca\. \d")
# Words that look like keys but are the reader's: URLs are links, not text, and these are names.
ALLOWED = {"nn.wikipedia", "no.wikipedia"}
URL = re.compile(r"https?://\S+")


def _source_keys() -> set[str]:
    """Source keys that no reader could take for a word: with a digit or a hyphen."""
    with (ROOT / "data" / "kilder.csv").open(encoding="utf-8") as handle:
        keys = {row["id"] for row in csv.DictReader(handle)}
    return {k for k in keys if re.search(r"[0-9-]", k)}


def article_text(page: Path) -> str:
    """The text of a page's article as a reader sees it (and as search snippets quote it)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article") or soup.select_one('[role="main"]')
    if article is None:
        return ""
    for selector in NOT_READER_TEXT:
        for element in article.select(selector):
            element.decompose()
    return re.sub(r"\s+", " ", article.get_text(" "))


def problems(text: str, keys: set[str]) -> list[str]:
    """Each snake_case name, internal key or English word found in `text`, with a little context."""
    found = []
    words = URL.sub(" ", text)  # a source's address is copied as it is, underscores and all
    for pattern in (SNAKE, ENGLISH, LOWER_START):
        for hit in pattern.finditer(words):
            found.append(words[max(hit.start() - 40, 0) : hit.end() + 40])
    for key in keys:
        for hit in re.finditer(rf"(?<![\w/.-]){re.escape(key)}(?![\w/-])", text):
            context = text[max(hit.start() - 40, 0) : hit.end() + 40]
            if not any(word in context for word in ALLOWED):
                found.append(context)
    return found


def test_the_scan_finds_what_it_should() -> None:
    keys = {"sak0926", "ssb-avfall-hushald"}
    assert problems("Parameteren matavfall_per_innbygger er 1.", keys)
    assert problems("Kilde: sak0926.", keys) and problems("se ssb-avfall-hushald", keys)
    assert problems("(Laitala og others, 2012)", keys)
    assert problems("i året (estimat). ca. 1 400 tonn havner i restavfallet", keys)
    assert not problems("i året (estimat). Om lag 1 400 tonn, blir det ca. 1 400 tonn.", keys)
    assert not problems("(Laitala mfl., 2012) og https://x.no/ssb-avfall-hushald/a", set())
    assert not problems(
        "Tabell: http://www.miljokommune.no/omregningsverktoy_tabeller/ (lest)", set()
    )
    assert problems("http://x.no/a og så matavfall_per_innbygger", set())
    assert not problems("Folketallet er kjent for alle kommunene.", keys)


@pytest.mark.slow
def test_no_code_words_in_the_reader_text_of_the_built_book(built_book: Path) -> None:
    keys = _source_keys()
    found = {}
    for page in sorted(built_book.rglob("*.html")):
        if page.name in {"search.html", "genindex.html"} or "_static" in page.parts:
            continue
        hits = problems(article_text(page), keys)
        if hits:
            found[str(page.relative_to(built_book))] = hits[:5]
    assert not found, found


@pytest.mark.slow
def test_the_issue_button_opens_the_norwegian_form(built_book: Path) -> None:
    page = (built_book / "chapters" / "forside.html").read_text(encoding="utf-8")
    buttons = re.findall(r'href="([^"]*issues/new[^"]*)"', page)
    assert buttons and all("template=feil.yml" in b for b in buttons)
    assert "Your%20issue" not in page and "Your issue" not in page
    assert (ROOT / ".github" / "ISSUE_TEMPLATE" / "feil.yml").is_file()


@pytest.mark.slow
def test_the_pdf_is_mentioned_only_where_the_build_has_it(built_book: Path) -> None:
    cite = article_text(built_book / "chapters" / "slik-siterer-du.html")
    has_pdf = any(built_book.rglob("*.pdf"))
    assert ("Hele boka finnes også som én PDF" in cite) is has_pdf
    assert ("ingen PDF av hele boka" in cite) is not has_pdf


@pytest.mark.slow
def test_footer_tells_one_story_of_dates(built_book: Path) -> None:
    page = (built_book / "chapters" / "forside.html").read_text(encoding="utf-8")
    extra = BeautifulSoup(page, "html.parser").select_one(".extra_footer")
    assert extra is not None
    footer = re.sub(r"\s+", " ", extra.get_text())
    assert "utgitt" in footer and "per 30. november 2026" in footer
    assert footer.count("Sist oppdatert") == 0


@pytest.mark.slow
@pytest.mark.browser
def test_search_snippets_quote_the_article_not_buttons_or_code(site: str, chromium: Any) -> None:
    """«region» is in the YAML example on the contributors' page and in every page's buttons."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site + "search.html?q=region", wait_until="load")
    page.wait_for_function(
        "() => document.querySelectorAll('#search-results p.context').length > 3",
        timeout=15_000,
    )
    summaries = page.locator("#search-results p.context").all_inner_texts()
    context.close()
    assert summaries
    for summary in summaries:
        assert ".ipynb" not in summary and ".pdf" not in summary, summary
        assert "---" not in summary and "title:" not in summary, summary
