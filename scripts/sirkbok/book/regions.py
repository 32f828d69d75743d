"""`sirkbok regions`: the generated part of each region's landing page and of the front page.

A region page lists its municipalities, the themes it leads and its contributed chapters. Those
lists come from the data package and from the chapters' front matter, so they are generated into a
marked block in `chapters/regioner/<region>/index.md` (plain Markdown, visible in git, no Sphinx
extension); the text around the block is the region's own. `sirkbok check` fails when a block is
stale. The chapters' front matter is read by `sirkbok.book.frontmatter`.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from sirkbok.book import bibtex, chapters
from sirkbok.book.frontmatter import STATUS_LABELS, Chapter, parse_date, read_chapter
from sirkbok.core import context
from sirkbok.core import format as fmt
from sirkbok.core.errors import Problem, UserError, relative
from sirkbok.core.files import inside, write_atomic
from sirkbok.datapackage import load as data
from sirkbok.pages import coverage, quantities
from sirkbok.reader import decisions
from sirkbok.reader.cite import cite as cite_key

BLOCK_START = (
    "<!-- sirkbok:regionside start — lagd av `sirkbok regions` fra datapakken og "
    "kapitlenes forside-data; ikke rediger mellom disse merkene -->"
)
BLOCK_END = "<!-- sirkbok:regionside slutt -->"
BLOCK_MARK = "<!-- sirkbok:regionside start"  # the start marker, whatever its explanation says
FRONT_PAGE = Path("chapters") / "forside.md"
FRONT_START = (
    "<!-- sirkbok:forside start — lagd av `sirkbok regions` fra datapakken; ikke rediger mellom "
    "disse merkene -->"
)
FRONT_END = "<!-- sirkbok:forside slutt -->"
FRONT_MARK = "<!-- sirkbok:forside start"
MUNICIPALITY_DIR = (
    "chapters/kommuner"  # one generated page per municipality (sirkbok.run.instances)
)
REGION_DIR = Path("chapters") / "regioner"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check",
        action="store_true",
        help="Bare sjekk at regionsidene er oppdatert; endre ingenting.",
    )


def run(args: argparse.Namespace) -> int:
    root = context.current().root
    if args.check:
        problems = stale_pages(root)
        if problems:
            raise UserError(problems)
        print("Regionsidene er oppdatert.")
        return 0
    changed = update_pages(root)
    for page in changed:
        print(f"Oppdaterte {relative(page, root)}")
    if not changed:
        print("Regionsidene var allerede oppdatert.")
    return 0


# --- ids from the data package (never a second list) -------------------------------------------


def region_ids() -> list[str]:

    return [str(v) for v in data.load("regioner")["id"]]


def theme_ids() -> list[str]:

    return [str(v) for v in data.load("tema")["id"]]


def region_chapters(root: Path, region: str) -> list[Chapter]:
    """A region's contributed chapters: the chapter files in its folder but the landing page."""
    folder = root / REGION_DIR / region
    return [
        read_chapter(path, root)
        for path in chapters.chapter_files(root)
        if path.parent == folder and path.stem != "index" and not chapters.is_draft(path)
    ]


# --- the generated block ------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A table cell as text; pandas' <NA> and NaN become empty."""
    return "" if fmt.missing(value) else str(value)


def render_block(root: Path, region: str) -> str:
    """The generated lists for one region, from the data package and the chapters' front matter.

    Every text from either is escaped (`sirkbok.core.format.text`): it reads as text, never as markup.
    """

    bib = bibtex.keys(root)

    def cite(key: Any) -> str:  # only keys references.bib has
        return cite_key(_text(key), bib)

    row = data.one_row("regioner", "id", region, "Ukjent region.", "en region-id")
    municipalities = data.load("kommuner")
    members = municipalities[municipalities["region"] == region]
    names = _names(municipalities)
    themes = data.load("tema")
    led = themes[themes["ansvarlig_region"] == region]
    lines = [BLOCK_START, "", "## Kommunene", ""]
    lines.append(
        f"Medlemskommunene i {fmt.text(row['navn'])}{cite(row['kilde'])}, med kommunenummer "
        f"og fylke fra 1. januar 2024{cite('ssb-klass131')}{cite('prop127s')}:"
    )
    lines += ["", "| Kommune | Nr. | Fylke |", "|---|---|---|"]
    for _, member in members.sort_values("navn").iterrows():
        lines.append(
            f"| {municipality_link(member)} | {fmt.text(member['kommunenummer'])} | "
            f"{fmt.text(member['fylke'])} |"
        )
    lines += ["", "## Temaene regionen er foreslått å ha ansvar for", ""]
    if led.empty:
        lines.append("Regionen er ikke foreslått å ha særskilt ansvar for noe tema i fase 1.")
    for _, theme in led.iterrows():
        # every theme has its chapter chapters/tema/<id> (`sirkbok check` reports one missing)
        name = (
            f"{{doc}}`{fmt.role_text(theme['navn'])} </chapters/tema/{fmt.role_text(theme['id'])}>`"
        )
        responsible = [
            names.get(n.strip(), n.strip())
            for n in re.split(r"[;,]", _text(theme.get("ansvarlige_kommuner")))
            if n.strip()
        ]
        responsible = [fmt.text(n) for n in responsible]
        extra = f" ({fmt.listing(responsible)} foreslått i regionen)" if responsible else ""
        lines.append(f"- {name}{extra}{cite(theme['kilde'])}")
    if not led.empty:
        statuses = sorted(
            set(zip(led["status"].map(_text), led["status_kilde"].map(_text), strict=True))
        )
        lines += ["", " ".join(decisions.sentence(s, k) for s, k in statuses)]
    lines += missing_lines(region)
    lines += ["", "## Kapitler fra regionen", ""]
    contributed = region_chapters(root, region)
    if not contributed:
        lines.append(
            "Det er ikke skrevet egne kapitler om regionen ennå. Se kapitlet {doc}`Bidra "
            "</chapters/bidra>` for hvordan du legger til et."
        )
    theme_names = dict(zip(themes["id"].map(_text), themes["navn"].map(_text), strict=True))
    for chapter in sorted(
        contributed,
        key=lambda c: (str((c.meta or {}).get("theme", "")), (c.title or c.path.stem).casefold()),
    ):
        meta = chapter.meta or {}
        title = fmt.role_text(chapter.title or chapter.path.stem)
        theme = theme_names.get(str(meta.get("theme")), meta.get("theme", "?"))
        details = [f"tema: {fmt.text(theme)}"]
        authors = meta.get("authors")
        if isinstance(authors, list) and authors:
            details.append(f"av {fmt.listing([fmt.text(a) for a in authors])}")
        date = parse_date(meta.get("date")) if meta.get("date") else None
        if date:
            details.append(f"{date.day}.{date.month}.{date.year}")
        status = STATUS_LABELS.get(str(meta.get("status")), meta.get("status"))
        details.append(f"status: {fmt.text(status)}")
        lines.append(f"- {{doc}}`{title} <{chapter.path.stem}>` ({', '.join(details)})")
    lines += ["", BLOCK_END]
    return "\n".join(lines)


def _names(municipalities: Any) -> dict[str, str]:
    """Municipality number -> name."""
    return dict(
        zip(
            municipalities["kommunenummer"].map(_text),
            municipalities["navn"].map(_text),
            strict=True,
        )
    )


def municipality_link(row: Any) -> str:
    """A link to the municipality's own page (`sirkbok.run.instances` makes one for each)."""
    return fmt.doc_link(_text(row["navn"]), f"/{MUNICIPALITY_DIR}/{_text(row['kommunenummer'])}")


def missing_lines(region: str) -> list[str]:
    """The region's values with status «mangler», each place linked to the pre-filled form."""

    table = coverage.missing(
        data.load("kommuner"), data.load("aktorer"), data.load("ressursstrommer")
    )
    mine = table[table["region"] == region]
    lines = ["", "## Tall som mangler", ""]
    if mine.empty:
        return [*lines, "Datapakken har ingen verdier for regionen med status «mangler»."]
    lines.append(
        f"Datapakken mangler {'én verdi' if len(mine) == 1 else f'{fmt.number(len(mine))} verdier'} "
        "for regionen. Hvert sted lenker til "
        "skjemaet «Send inn et tall» med størrelsen fylt ut: du skriver verdien, året og kilden "
        "(se {doc}`Bidra </chapters/bidra>`)."
    )
    lines.append("")
    for what, group in mine.groupby("hva", sort=True):
        places = ", ".join(quantities.linked(r.hvor, r.tabell, r.id) for r in group.itertuples())
        resource = str(what).split(" (")[0]  # the resource, without the data package's stage word
        lines.append(f"- **{fmt.text(resource[:1].upper() + resource[1:])}:** {places}")
    return lines


def render_front_block() -> str:
    """The front page's themes with their proposed leads, the regions and «Din kommune»."""

    regions = data.load("regioner")
    region_names = dict(zip(regions["id"].map(_text), regions["kortnavn"].map(_text), strict=True))
    municipalities = data.load("kommuner")
    names = _names(municipalities)
    themes = data.load("tema")
    lines = [FRONT_START, "", "## De fem temaene", ""]
    lines.append(
        "Hvem som er foreslått å ha hovedansvaret for hvert tema i fase 1 {cite}`sak0926`:"
    )
    lines.append("")
    for _, theme in themes.iterrows():
        link = fmt.doc_link(_text(theme["navn"]), f"/chapters/tema/{_text(theme['id'])}")
        region = _text(theme["ansvarlig_region"])
        lead = fmt.doc_link(
            region_names.get(region, region), f"/{REGION_DIR.as_posix()}/{region}/index"
        )
        inside = [
            fmt.text(names.get(n.strip(), n.strip()))
            for n in _text(theme["ansvarlige_kommuner"]).split(";")
            if n.strip()
        ]
        extra = f", og internt i regionen {fmt.listing(inside)}" if inside else ""
        lines.append(f"- **{link}:** {lead}{extra}")
    statuses = sorted(
        set(zip(themes["status"].map(_text), themes["status_kilde"].map(_text), strict=True))
    )
    lines += ["", " ".join(decisions.sentence(s, k) for s, k in statuses)]
    lines += ["", "## Din kommune", ""]
    lines.append(
        "Velg kommunen din for å se hva forslaget og tallene betyr for den: folketall, roller, "
        "kommunens del av anslagene, anleggene som betjener den, og hvilke tall som mangler."
    )
    for region, name in region_names.items():
        members = municipalities[municipalities["region"] == region].sort_values("navn")
        links = " · ".join(municipality_link(row) for _, row in members.iterrows())
        lines += [
            "",
            f"**{fmt.doc_link(name, f'/{REGION_DIR.as_posix()}/{region}/index')}:** {links}",
        ]
    lines += ["", FRONT_END]
    return "\n".join(lines)


def landing_page(root: Path, region: str) -> Path:
    return root / REGION_DIR / region / "index.md"


def _replace_block(
    text: str, block: str, mark: str = BLOCK_MARK, end_mark: str = BLOCK_END
) -> str | None:
    """The page with its block replaced; None when the markers are missing."""
    start, end = text.find(mark), text.find(end_mark)
    if start < 0 or end < start:
        return None
    return text[:start] + block + text[end + len(end_mark) :]


def planned_pages(root: Path) -> dict[Path, str]:
    """Every landing page as it should read from the data and the chapters now on disk.

    Raises UserError when a landing page or its markers are missing.
    """
    problems: list[Problem] = []
    planned: dict[Path, str] = {}
    for region in region_ids():
        page = landing_page(root, region)
        if not page.is_file():
            problems.append(
                Problem(
                    file=relative(page, root),
                    message=(
                        "Regionsiden mangler. Den skal ha en overskrift, egen tekst og merkene "
                        f"{BLOCK_MARK}… og {BLOCK_END}."
                    ),
                )
            )
            continue
        text = page.read_text(encoding="utf-8")
        new = _replace_block(text, render_block(root, region))
        if new is None:
            problems.append(
                Problem(
                    file=relative(page, root),
                    message=(
                        "Regionsiden mangler merkene for den genererte delen "
                        f"({BLOCK_MARK}… og {BLOCK_END})."
                    ),
                )
            )
            continue
        planned[page] = new
    front = root / FRONT_PAGE
    text = front.read_text(encoding="utf-8") if front.is_file() else ""
    new = _replace_block(text, render_front_block(), FRONT_MARK, FRONT_END)
    if new is None:
        problems.append(
            Problem(
                file=relative(front, root),
                message=(
                    "Forsiden mangler merkene for den genererte delen "
                    f"({FRONT_MARK}… og {FRONT_END})."
                ),
            )
        )
    else:
        planned[front] = new
    if problems:
        raise UserError(problems)
    return planned


def stale_pages(root: Path) -> list[Problem]:
    """One problem per landing page whose generated block differs from data and front matter."""
    try:
        planned = planned_pages(root)
    except UserError as error:
        return error.problems
    problems = []
    for page, text in planned.items():
        current = page.read_text(encoding="utf-8")
        if current != text:
            front = page == root / FRONT_PAGE
            line = current[: current.find(FRONT_MARK if front else BLOCK_MARK)].count("\n") + 1
            what = (
                "Temaene og kommunelista på forsiden er utdatert."
                if front
                else "Lista over kommuner, temaer og kapitler på regionsiden er utdatert."
            )
            problems.append(
                Problem(
                    file=relative(page, root),
                    line=line,
                    message=(
                        f"{what} Kjør `sirkbok regions` (eller `make regions`) for å oppdatere den."
                    ),
                )
            )
    return problems


def update_pages(root: Path) -> list[Path]:
    """Rewrite the stale landing pages atomically; returns the pages that changed. Every page is
    resolved inside the book first (`core.files.inside`): one a link leads out of changes nothing."""
    planned = planned_pages(root)
    for page in planned:
        inside(root, page.relative_to(root))
    changed = []
    for page, text in planned.items():
        if page.read_text(encoding="utf-8") != text:
            write_atomic(page, text)
            changed.append(page)
    return changed
