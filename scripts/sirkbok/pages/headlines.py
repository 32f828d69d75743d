"""The book's headline numbers, as its pages show them, and what a change to data/ does to them.

A headline number is one the book computes from the data package and puts before a reader: the
theme chapters' estimates for the three regions (each theme's `headlines`), the share of
values still missing (the overview), and on each municipality page its population, area and its
part of each theme's estimate. Every number comes from the function that computes it for the page
(the themes' `headlines`, `municipality_data.page`) with the theme's default parameters, and is formatted
the way the page formats it, so a change shows here exactly when it shows on the page.

`changes(root, files)` gives the numbers before and after a planned write to data/, computed in
a throw-away copy of data/ (nothing is run, nothing in the book is touched). `sirkbok update ssb`
puts the result in its pull-request text; a contribution can do the same with its rows.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sirkbok import themes as registry
from sirkbok.core import context
from sirkbok.core.files import inside
from sirkbok.core.format import date, estimate, number, percent
from sirkbok.core.format import text as escape
from sirkbok.datapackage import load as data
from sirkbok.pages import coverage, municipality_data

OVERVIEW = ("Oversikt over temaene (og «Data og kilder»)", "chapters/tema/oversikt.ipynb")
TABLES = ("regioner", "kommuner", "tema", "ressursstrommer", "statistikk")  # what themes read


@dataclass(frozen=True)
class Headline:
    """One number as a page shows it; `key` is stable across runs, `shown` is the page's text."""

    key: str
    label: str
    page: str  # the page's title
    path: str  # its notebook, relative to the book's root
    shown: str


def _themes() -> list[Headline]:
    """The theme chapters' estimates for the three regions together and per region."""
    tables = {name: data.load(name) for name in TABLES}
    titles = dict(zip(tables["tema"]["id"], tables["tema"]["navn"], strict=True))
    found = []
    for theme in registry.THEMES:  # each theme's own headline numbers, with its chapter's title
        module = registry.module(theme)
        if hasattr(module, "headlines"):
            path = f"chapters/tema/{theme}.ipynb"
            found += [
                Headline(f"{theme}/{e.key}", e.label, str(titles[theme]), path, e.shown)
                for e in module.headlines(tables)
            ]
    title, path = OVERVIEW
    table = coverage.package_values()
    lacking = int((table["status"] == "mangler").sum())
    found.append(
        Headline(
            "oversikt/mangler",
            "Verdier i datapakken som mangler",
            title,
            path,
            f"{number(lacking)} av {number(len(table))} ({percent(coverage.missing_share(table))})",
        )
    )
    regions = data.load("regioner")
    names = dict(zip(regions["id"], regions["kortnavn"], strict=True))
    for region, values in table.groupby("region", sort=True):
        if region in names:  # values shared by the regions or outside them have no region share
            found.append(
                Headline(
                    f"oversikt/mangler/{region}",
                    f"Andel som mangler, {names[region]}",
                    title,
                    path,
                    percent(coverage.missing_share(values)),
                )
            )
    return found


def _municipality(number_: str) -> list[Headline]:
    """What one municipality page shows as numbers: population, area and its shares."""
    page = municipality_data.page(number_)
    title = f"Kommunesiden for {page.name}"
    path = f"chapters/kommuner/{number_}.ipynb"
    people = "mangler"
    if page.population is not None:
        when = f" ({date(page.population_date)})" if page.population_date else ""
        people = f"{number(page.population)}{when}"
    area = "mangler" if page.area_km2 is None else f"{number(page.area_km2)} km²"
    found = [
        Headline(f"kommune/{number_}/folketall", "Folketall", title, path, people),
        Headline(f"kommune/{number_}/areal", "Areal", title, path, area),
    ]
    for share in page.shares:
        found.append(
            Headline(
                f"kommune/{number_}/{share.theme}/{share.measure}",
                share.measure,
                title,
                path,
                "mangler" if share.value is None else f"{estimate(share.value)} {share.unit}",
            )
        )
    return found


def compute() -> list[Headline]:
    """Every headline number of the data package in data/ under the book's root, in page order."""
    found = _themes()
    for number_ in municipality_data.numbers():
        found += _municipality(number_)
    return found


def planned(root: Path, files: Mapping[Path, str]) -> list[Headline]:
    """The headline numbers data/ would give with `files` written, worked out in a copy of data/.

    Only files inside data/ count; the copy is thrown away, so nothing in the book changes.
    """
    source = root / "data"
    with tempfile.TemporaryDirectory(prefix="sirkbok-hovedtall-") as tmp:
        copy = Path(tmp) / "bok"
        shutil.copytree(source, copy / "data", symlinks=True)
        for path, text in files.items():
            try:
                relative = Path(path).resolve().relative_to(source.resolve())
            except ValueError:
                continue
            target = inside(copy / "data", relative.as_posix())
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        with context.using(context.Book(copy)):
            return compute()


@dataclass(frozen=True)
class Change:
    before: Headline | None
    after: Headline | None

    @property
    def headline(self) -> Headline:
        found = self.after or self.before
        assert found is not None
        return found


def compare(before: list[Headline], after: list[Headline]) -> list[Change]:
    """The headline numbers whose text differs (new and gone ones too), in the order of `after`."""
    old = {h.key: h for h in before}
    new = {h.key: h for h in after}
    changed = [
        Change(old.get(h.key), h) for h in after if h.key not in old or old[h.key].shown != h.shown
    ]
    return changed + [Change(h, None) for h in before if h.key not in new]


def changes(root: Path, files: Mapping[Path, str]) -> tuple[list[Change], int]:
    """The headline numbers `files` would change, and how many headline numbers there are."""
    with context.using(context.at(root)):
        before = compute()
    after = planned(root, files)
    return compare(before, after), len(after)


def markdown(found: list[Change], total: int) -> str:
    """A Norwegian before/after table for a pull request, with the page each number is on."""
    lines = ["### Hovedtall før og etter", ""]
    if not found:
        return "\n".join([*lines, f"Ingen av bokas {total} hovedtall er endret."]) + "\n"
    lines += ["| Tall | Side | Før | Etter |", "| --- | --- | --- | --- |"]
    for change in found:
        h = change.headline
        lines.append(
            f"| {escape(h.label)} | {escape(h.page)} (`{h.path}`) "
            f"| {escape(change.before.shown) if change.before else '–'} "
            f"| {escape(change.after.shown) if change.after else '–'} |"
        )
    lines += ["", f"{len(found)} av {total} hovedtall er endret; resten er som før."]
    return "\n".join(lines) + "\n"
