"""`make bench-scale`: how the cost of `make book` grows with the book, on throw-away copies.

Two copies of the book are measured the same way: today's book, and a book ten times its size made
in the copy only: 30 contributed chapters in each of the 3 regions, written by the chapter scaffold
(`sirkbok.book.scaffold`, as `make chapter` does; every tenth one a notebook), ten times the
municipalities (synthetic ones, numbered from 9001, each getting its generated municipality page in
its region's part of `_toc.yml`, as `sirkbok regenerate` makes them for real ones), and ten times the
rows of the resource-flow table, the added rows marked as synthetic in their id, name and note. For each copy:
`make book` with nothing changed, after one Markdown edit, after one changed table, a full
regeneration of the notebooks, and a full site build. Goals: no-op and one edit within 1.5× of
today's book; the full runs grow no faster than the book (linearly). The real tree is never touched.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sirkbok.core import context, paths
from sirkbok.core.format import number
from sirkbok.run import provenance

from sirkbok_dev.bench import Bench, load

CHAPTERS_PER_REGION = 30
NOTEBOOK_EVERY = 10  # every tenth contributed chapter is a notebook, as contributors write them
ROW_FACTOR = 10
FLOWS = "ressursstrommer.csv"
MUNICIPALITIES = "kommuner.csv"
FIRST_SYNTHETIC_NUMBER = 9001  # no Norwegian municipality number starts with 9
SYNTHETIC = (
    "SYNTETISK rad laget av make bench-scale for å måle byggetid; ikke et tall fra en kilde."
)
NO_OP_LIMIT = 1.5
# The textiles chapter reads one textile flow per municipality (a second one stops the notebook), so
# the synthetic rows copy the other resources.
ONE_PER_MUNICIPALITY = {"tekstiler"}


@dataclass
class Size:
    pages: int
    notebooks: int
    flow_rows: int
    municipalities: int


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sirkbok_dev.bench_scale", description=__doc__)
    parser.add_argument(
        "--runs", "-n", type=int, default=3, help="Kjøringer per rask måling (median)."
    )
    parser.add_argument("--keep", action="store_true", help="Behold de midlertidige kopiene.")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="sirkbok-scale-"))
    try:
        today = paths.copy_book(context.current().root, folder / "i-dag")
        scaled = paths.copy_book(context.current().root, folder / "ti-ganger")
        grow(scaled)
        print(f"Belastning nå: {load()}.")
        sizes = {"today": size(today), "scaled": size(scaled)}
        results: dict[str, dict[str, float]] = {}
        cpu: dict[str, dict[str, float]] = {}
        for key, book in (("today", today), ("scaled", scaled)):
            label = "dagens bok" if key == "today" else "boka × 10"
            print(f"\n{label} ({describe(sizes[key])}), {book}:")
            bench = Bench(book, args.runs)
            results[key] = measure(bench)
            cpu[key] = dict(zip(results[key], bench.cpu, strict=True))
        print(f"Belastning etter målingene: {load()}.")
        return report(results, cpu, sizes, args.runs)
    finally:
        if args.keep:
            print(f"Kopiene er beholdt i {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def book_root(root: Path) -> Iterator[None]:
    """The package's functions find the copy, not this tree, while the copy is made bigger (the
    copy is the current Book for the block; no environment variable is set)."""
    from sirkbok.core import context

    with context.using(context.Book(root.resolve())):
        yield


def grow(root: Path) -> None:
    """Make the copy ten times the book: contributed chapters in every region, more flow rows."""
    from sirkbok.book import regions, scaffold

    with book_root(root):
        themes = regions.theme_ids()
        for region in regions.region_ids():
            for number_ in range(1, CHAPTERS_PER_REGION + 1):
                scaffold.new_chapter(
                    root,
                    region=region,
                    theme=themes[number_ % len(themes)],
                    title=f"Syntetisk målekapittel {number_} i {region}",
                    authors=["make bench-scale (syntetisk)"],
                    fmt="ipynb" if number_ % NOTEBOOK_EVERY == 0 else "md",
                    today=dt.date(2026, 1, 1),
                )
    multiply_municipalities(root)
    multiply_flows(root / "data" / FLOWS)
    with book_root(root):
        regions.update_pages(root)  # the landing pages list the region's municipalities


def multiply_municipalities(root: Path) -> None:
    """ROW_FACTOR times the municipalities: synthetic copies of the real ones (number, name and note
    say so), each in the real one's region and with its page under that region in `_toc.yml`."""
    from sirkbok.book import scaffold
    from sirkbok.run import instances

    path = root / "data" / MUNICIPALITIES
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    rows = list(reader)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    toc_path = root / "_toc.yml"
    toc = toc_path.read_text(encoding="utf-8")
    for index in range((ROW_FACTOR - 1) * len(rows)):
        row = rows[index % len(rows)]
        key = str(FIRST_SYNTHETIC_NUMBER + index)
        name = f"Syntetisk kommune {index + 1}"
        writer.writerow(row | {instances.KEY: key, "navn": name, "merknad": SYNTHETIC})
        entry = (instances.FOLDER / key).as_posix()
        toc = scaffold.register_in_toc(toc, row["region"], entry)
    path.write_text(out.getvalue(), encoding="utf-8")
    toc_path.write_text(toc, encoding="utf-8")


def multiply_flows(path: Path) -> None:
    """ROW_FACTOR times the rows of the resource-flow table: the real rows, then synthetic copies
    (id and note say so) of the rows of resources a chapter may hold several flows of."""
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    eligible = [row for row in rows if row["ressurs"] not in ONE_PER_MUNICIPALITY]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    for index in range((ROW_FACTOR - 1) * len(rows)):
        row = eligible[index % len(eligible)]
        copy = index // len(eligible) + 1
        writer.writerow(row | {"id": f"{row['id']}-syntetisk-{copy}", "merknad": SYNTHETIC})
    path.write_text(out.getvalue(), encoding="utf-8")


def size(root: Path) -> Size:
    from sirkbok.book import chapters
    from sirkbok.run import instances

    with book_root(root):
        pages = len(chapters.pages(root))
    with (root / "data" / FLOWS).open(encoding="utf-8") as handle:
        rows = sum(1 for _ in csv.DictReader(handle))
    with (root / "data" / MUNICIPALITIES).open(encoding="utf-8") as handle:
        municipalities = sum(1 for _ in csv.DictReader(handle))
    # The municipality pages are written by the first regenerate; count them already.
    notebooks = set(provenance.notebooks(root)) | {page.path for page in instances.planned(root)}
    return Size(
        pages=pages,
        notebooks=len(notebooks),
        flow_rows=rows,
        municipalities=municipalities,
    )


def describe(size: Size) -> str:
    return (
        f"{size.pages} sider, {size.notebooks} notatbøker, {size.municipalities} kommunesider, "
        f"{size.flow_rows} strømrader"
    )


def measure(bench: Bench) -> dict[str, float]:
    """The four operations of the issue, plus a full site build, on one copy."""
    print("  oppvarming: regenerering og første bygging …")
    bench.command("build")
    page = bench.book / "chapters" / "ordliste.md"
    edits = iter(range(1, 1000))

    def edit() -> float:
        with page.open("a", encoding="utf-8") as handle:
            handle.write(f"\nMåling nummer {next(edits)}.\n")
        return bench.command("build")

    table, readers = bench.table_read_by_fewest(provenance.notebooks(bench.book))
    print(f"  tabellen som endres: {table} (leses av {len(readers)} notatbøker)")
    runs = bench.runs
    results = {
        "noop": bench.median("make book, ingenting endret", lambda: bench.command("build")),
        "edit": bench.median("make book etter én endret Markdown-side", edit),
        "table": bench.median(
            "make book etter én endret tabell", lambda: bench.after_change(table, "build")
        ),
    }
    bench.runs = 1  # the full runs take minutes: one each
    results["regenerate"] = bench.median(
        "full regenerering (regenerate --force)", lambda: bench.command("regenerate", "--force")
    )
    results["site"] = bench.median(
        "full bygging av nettstedet (build --all)",
        lambda: bench.command("build", "--all", "--skip-regenerate"),
    )
    bench.runs = runs
    return results


def report(
    results: dict[str, dict[str, float]],
    cpu: dict[str, dict[str, float]],
    sizes: dict[str, Size],
    runs: int,
) -> int:
    """Wall-time growth decides; CPU-time growth is shown beside it (steadier on a busy machine)."""
    today, scaled = results["today"], results["scaled"]
    pages = sizes["scaled"].pages / sizes["today"].pages
    notebooks = sizes["scaled"].notebooks / sizes["today"].notebooks
    rows = [
        ("make book, ingenting endret", "noop", NO_OP_LIMIT, ""),
        ("make book etter én endret Markdown-side", "edit", NO_OP_LIMIT, ""),
        ("make book etter én endret tabell", "table", None, ""),
        ("full regenerering av notatbøkene", "regenerate", notebooks, " (lineært i notatbøker)"),
        ("full bygging av nettstedet", "site", pages, " (lineært i sider)"),
    ]
    print(
        f"\nVekst (median av {runs} for de raske målingene, én kjøring for de fulle):\n"
        f"  størrelse: {describe(sizes['today'])} → {describe(sizes['scaled'])} "
        f"({number(pages, 1)} × sider, {number(notebooks, 1)} × notatbøker)"
    )
    width = max(len(label) for label, *_ in rows)
    print(f"  {'':<{width}}  {'i dag':>8}  {'× 10':>8}  {'vekst':>7}  {'CPU-vekst':>9}  mål")
    for label, key, limit, goal in rows:
        growth = scaled[key] / today[key]
        growth_cpu = cpu["scaled"][key] / max(cpu["today"][key], 1e-9)
        verdict = "" if limit is None else ("nådd" if growth <= limit else "IKKE NÅDD")
        shown = f"mål ≤ {number(limit, 1)} ×{goal}: {verdict}" if limit else ""
        print(
            f"  {label:<{width}}  {number(today[key], 2):>6} s  {number(scaled[key], 2):>6} s  "
            f"{number(growth, 2):>5} ×  {number(growth_cpu, 2):>7} ×  {shown}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
