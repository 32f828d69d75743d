"""`sirkbok.pages.headlines`: the numbers the pages show, before and after a planned change to data/.

Every test works on the `book` copy; the planned change is worked out in a throw-away copy of
data/, so the book itself never changes (checked with `state`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import git, shown_on_pages, state
from sirkbok.core.errors import UserError
from sirkbok.pages import headlines


def kommuner_with(root: Path, number_: str, population: object) -> str:
    """data/kommuner.csv with one municipality's population changed (the text, not written)."""
    with (root / "data" / "kommuner.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["kommunenummer"] == number_:
            row["folketall"] = str(population)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_every_headline_number_is_the_number_its_page_shows(book: Path) -> None:
    found = headlines.compute()
    keys = [h.key for h in found]
    assert len(keys) == len(set(keys))
    assert {"biogass/energi_gwh", "tekstiler/innsamlet_t", "oversikt/mangler"} <= set(keys)
    assert sum(k.endswith("/folketall") for k in keys) == 12
    assert shown_on_pages(book, found) == []


def test_a_changed_population_changes_a_per_capita_number_and_the_table_shows_it(
    book: Path,
) -> None:
    git(book, "add", "-A")
    untouched = state(book)
    before = {h.key: h for h in headlines.compute()}
    people = int(before["kommune/3407/folketall"].shown.split(" (")[0].replace("\u202f", ""))
    files = {book / "data" / "kommuner.csv": kommuner_with(book, "3407", people * 2)}

    changed, total = headlines.changes(book, files)

    assert state(book) == untouched
    moved = {c.headline.key: c for c in changed}
    food = moved["kommune/3407/biogass/Utsortert matavfall fra husholdningene"]
    assert food.before == before[food.headline.key]
    assert food.before is not None and food.after is not None
    assert food.before.shown != food.after.shown
    assert "kommune/3407/folketall" in moved and "biogass/energi_gwh" in moved
    assert "kommune/3305/folketall" not in moved  # only what depends on Gjøvik moves
    assert total == len(before)
    table = headlines.markdown(changed, total)
    row = (
        f"| Utsortert matavfall fra husholdningene | Kommunesiden for Gjøvik "
        f"(`chapters/kommuner/3407.ipynb`) | {food.before.shown} | {food.after.shown} |"
    )
    assert "| Tall | Side | Før | Etter |" in table and row in table
    assert f"{len(changed)} av {total} hovedtall er endret" in table


def test_no_change_says_so(book: Path) -> None:
    changed, total = headlines.changes(book, {})
    assert changed == []
    assert headlines.markdown(changed, total).endswith(
        f"Ingen av bokas {total} hovedtall er endret.\n"
    )


def test_a_planned_change_that_breaks_the_package_is_refused_and_the_book_is_untouched(
    book: Path,
) -> None:
    git(book, "add", "-A")
    untouched = state(book)
    files = {book / "data" / "kommuner.csv": kommuner_with(book, "3407", "mange")}
    with pytest.raises(UserError) as refused:
        headlines.changes(book, files)
    assert "kommuner.csv" in str(refused.value) and "folketall" in str(refused.value)
    assert state(book) == untouched
