"""`sirkbok regions`: the generated part of each region's landing page; the chapters' front matter.

A region page lists its municipalities, the themes it leads and its contributed chapters. Those
lists come from the data package and from the chapters' front matter, so they are generated into a
marked block in `chapters/regioner/<region>/index.md` (plain Markdown, visible in git, no Sphinx
extension); the text around the block is the region's own. `sirkbok check` fails when a block is
stale.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sirkbok.core import paths
from sirkbok.core.errors import Problem, UserError, relative
from sirkbok.core.files import write_atomic

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
STATUSES = ("utkast", "til-gjennomgang", "publisert")
STATUS_LABELS = {"utkast": "utkast", "til-gjennomgang": "til gjennomgang", "publisert": "publisert"}
REQUIRED_KEYS = ("title", "region", "theme", "authors", "date", "status")
REGION_DIR = Path("chapters") / "regioner"
CHAPTER_SUFFIXES = (".md", ".ipynb")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check",
        action="store_true",
        help="Bare sjekk at regionsidene er oppdatert; endre ingenting.",
    )


def run(args: argparse.Namespace) -> int:
    root = paths.root()
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
    from sirkbok import data

    return [str(v) for v in data.load("regioner")["id"]]


def theme_ids() -> list[str]:
    from sirkbok import data

    return [str(v) for v in data.load("tema")["id"]]


# --- front matter -------------------------------------------------------------------------------


@dataclass
class Chapter:
    """A chapter file with its metadata: YAML front matter (.md) or `sirkbok` notebook metadata."""

    path: Path
    meta: dict[str, Any] | None
    key_lines: dict[str, int] = field(default_factory=dict)
    heading: str | None = None
    heading_line: int | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def title(self) -> str | None:
        value = (self.meta or {}).get("title")
        return str(value) if value else self.heading


FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def read_chapter(path: Path, root: Path) -> Chapter:
    """Read a chapter's metadata and first heading; YAML errors become problems, not exceptions."""
    import yaml  # only here: the CLI must start fast

    from sirkbok.core import safeyaml

    name = relative(path, root)
    if path.suffix == ".ipynb":
        return _read_notebook(path, name)
    try:
        text = read_text(path, name)
    except UserError as error:
        return Chapter(path=path, meta=None, problems=error.problems)
    chapter = Chapter(path=path, meta=None)
    body_offset = 0
    match = FRONT_MATTER.match(text)
    if match:
        body_offset = match.end()
        raw = match.group(1) or ""
        try:
            # plain strings (no date surprises), aliases refused
            loaded = yaml.load(raw, Loader=safeyaml.PlainLoader)  # noqa: S506 - a safe loader
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            chapter.problems.append(
                Problem(
                    file=name,
                    line=line,
                    message=(
                        "Forside-dataene (YAML mellom «---»-linjene øverst) kan ikke leses: "
                        f"{getattr(error, 'problem', None) or error}."
                    ),
                )
            )
            loaded = {}
        if loaded is not None and not isinstance(loaded, dict):
            chapter.problems.append(
                Problem(
                    file=name, line=2, message=("Forside-dataene må være «nøkkel: verdi»-linjer.")
                )
            )
            loaded = {}
        chapter.meta = loaded or {}
        for number, line in enumerate(raw.splitlines(), start=2):
            key = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
            if key:
                chapter.key_lines.setdefault(key.group(1), number)
    heading = _first_heading(text[body_offset:])
    if heading:
        chapter.heading = heading[0]
        chapter.heading_line = text[:body_offset].count("\n") + heading[1]
    return chapter


def _first_heading(markdown: str) -> tuple[str, int] | None:
    """The first `# ` heading outside fenced code, with its line number within `markdown`."""
    fence: str | None = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        stripped = line.strip()
        marker = re.match(r"^(`{3,}|~{3,}|:{3,})", stripped)
        if marker:
            token = marker.group(1)
            if fence is None:
                fence = token
            elif token[0] == fence[0] and len(token) >= len(fence) and stripped == token:
                fence = None
            continue
        if fence is None:
            match = HEADING.match(line)
            if match:
                return match.group(1).strip(), number
    return None


def read_text(path: Path, name: str) -> str:
    """A chapter file's text; anything but UTF-8 is a user error naming the line."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserError(
            Problem(
                file=name,
                line=raw[: error.start].count(b"\n") + 1,
                message="Filen er ikke UTF-8.",
                expected="UTF-8 (lagre filen på nytt med tegnkoding UTF-8)",
            )
        ) from None


def _read_notebook(path: Path, name: str) -> Chapter:
    try:
        notebook = json.loads(read_text(path, name))
    except UserError as error:
        return Chapter(path=path, meta=None, problems=error.problems)
    except json.JSONDecodeError as error:
        return Chapter(
            path=path,
            meta=None,
            problems=[
                Problem(
                    file=name,
                    line=error.lineno,
                    message=f"Notatboka er ikke gyldig JSON: {error.msg}.",
                )
            ],
        )
    meta = notebook.get("metadata", {}).get("sirkbok")
    chapter = Chapter(path=path, meta=dict(meta) if isinstance(meta, dict) else None)
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            heading = _first_heading("".join(source) if isinstance(source, list) else source)
            if heading:
                chapter.heading = heading[0]
                break
    return chapter


def front_matter_problems(
    chapter: Chapter, root: Path, regions: list[str], themes: list[str]
) -> list[Problem]:
    """Every way a region chapter's front matter is incomplete or invalid, with its line."""
    name = relative(chapter.path, root)
    problems = list(chapter.problems)
    where = "forside-dataene" if chapter.path.suffix == ".md" else "notatbokas metadata «sirkbok»"
    if chapter.meta is None and problems:
        return problems  # unreadable: the reason is reported, not a list of missing keys
    if chapter.meta is None:
        problems.append(
            Problem(
                file=name,
                line=1,
                message=(
                    f"Kapitlet mangler {where} (title, region, theme, authors, date, status). "
                    "Kopier toppen av malen i scripts/sirkbok/templates/, eller lag kapitlet med "
                    "`sirkbok new-chapter`."
                ),
            )
        )
        return problems
    meta = chapter.meta

    def add(key: str, message: str, found: Any = None, expected: str | None = None) -> None:
        problems.append(
            Problem(
                file=name,
                line=chapter.key_lines.get(key, 1),
                message=message,
                found=None if found is None else str(found),
                expected=expected,
            )
        )

    for key in REQUIRED_KEYS:
        if meta.get(key) in (None, "", []):
            add(key, f"«{key}» mangler i {where}.")
    folder_region = chapter.path.parent.name
    region = meta.get("region")
    if region not in (None, ""):
        if region not in regions:
            add("region", "Ukjent region.", region, "en av " + ", ".join(regions))
        elif region != folder_region:
            add(
                "region",
                f"Kapitlet ligger i mappa til {folder_region}, men sier en annen region.",
                region,
                folder_region,
            )
    theme = meta.get("theme")
    if theme not in (None, "") and theme not in themes:
        add("theme", "Ukjent tema.", theme, "en av " + ", ".join(themes))
    authors = meta.get("authors")
    if authors not in (None, "", []) and not (
        isinstance(authors, list) and all(isinstance(a, str) and a.strip() for a in authors)
    ):
        add(
            "authors",
            "«authors» skal være en liste med navn, én «- Navn»-linje per forfatter.",
            authors,
        )
    date = meta.get("date")
    if date not in (None, "") and parse_date(date) is None:
        add("date", "«date» er ikke en gyldig dato.", date, "ÅÅÅÅ-MM-DD, for eksempel 2026-05-04")
    status = meta.get("status")
    if status not in (None, "") and status not in STATUSES:
        add("status", "Ukjent status.", status, "en av " + ", ".join(STATUSES))
    from sirkbok.book.scaffold import text_problems

    title = meta.get("title")
    problems += text_problems(
        str(title or ""),
        [a for a in authors if isinstance(a, str)] if isinstance(authors, list) else [],
        name,
        {key: chapter.key_lines.get(key, 1) for key in ("title", "authors")},
    )
    if title and chapter.heading and str(title).strip() != chapter.heading:
        problems.append(
            Problem(
                file=name,
                line=chapter.heading_line or 1,
                message=("Overskriften (første «# »-linje) skal være den samme som «title»."),
                found=chapter.heading,
                expected=f"«{title}»",
            )
        )
    return problems


def parse_date(value: Any) -> dt.date | None:
    """An ISO date from front matter (read as plain text), or None when it is not one."""
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def region_chapters(root: Path, region: str) -> list[Chapter]:
    """A region's contributed chapters (everything in its folder but the landing page)."""
    folder = root / REGION_DIR / region
    if not folder.is_dir():
        return []
    return [
        read_chapter(path, root)
        for path in sorted(folder.iterdir())
        if path.suffix in CHAPTER_SUFFIXES
        and path.stem != "index"
        and not path.name.startswith(("_", "."))
    ]


# --- the generated block ------------------------------------------------------------------------


def toc_files(root: Path) -> set[str]:
    """The documents in `_toc.yml` (without suffix): only these become pages and link targets.

    Used by `sirkbok check`; lives here next to the other readers of the book's structure.
    """
    from sirkbok.core import safeyaml  # only here: the CLI must start fast

    try:
        toc = safeyaml.load((root / "_toc.yml").read_text(encoding="utf-8"), "_toc.yml") or {}
    except (OSError, UnicodeDecodeError, UserError):
        return set()
    if not isinstance(toc, dict):
        return set()
    found = {str(toc["root"])} if toc.get("root") else set()

    def walk(items: list) -> None:
        for item in items or []:
            if isinstance(item, dict):
                if item.get("file"):
                    found.add(re.sub(r"\.(md|ipynb)$", "", str(item["file"])))
                for key in ("parts", "chapters", "sections"):
                    walk(item.get(key, []))

    walk(toc.get("parts", []) + toc.get("chapters", []))
    return found


def _bib_keys(root: Path) -> set[str]:
    bib = root / "references.bib"
    if not bib.is_file():
        return set()
    return set(re.findall(r"^@\w+\s*\{\s*([^,\s]+)\s*,", bib.read_text(encoding="utf-8"), re.M))


def _text(value: Any) -> str:
    """A table cell as text; pandas' <NA> and NaN become empty."""
    if value is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def render_block(root: Path, region: str) -> str:
    """The generated lists for one region, from the data package and the chapters' front matter.

    Every text from either is escaped (`sirkbok.format.text`): it reads as text, never as markup.
    """
    from sirkbok import data, decisions
    from sirkbok.format import role_text, text

    bib = _bib_keys(root)

    def cite(key: Any) -> str:
        key = _text(key)
        return f" {{cite}}`{key}`" if key and key in bib else ""

    regions = data.load("regioner")
    row = regions[regions["id"] == region].iloc[0]
    municipalities = data.load("kommuner")
    members = municipalities[municipalities["region"] == region]
    names = _names(municipalities)
    themes = data.load("tema")
    led = themes[themes["ansvarlig_region"] == region]
    lines = [BLOCK_START, "", "## Kommunene", ""]
    lines.append(
        f"Medlemskommunene i {text(row['navn'])}{cite(row['kilde'])}, med kommunenummer "
        f"og fylke fra 1. januar 2024{cite('ssb-klass131')}{cite('prop127s')}:"
    )
    lines += ["", "| Kommune | Nr. | Fylke |", "|---|---|---|"]
    for _, member in members.sort_values("navn").iterrows():
        lines.append(
            f"| {municipality_link(member)} | {text(member['kommunenummer'])} | "
            f"{text(member['fylke'])} |"
        )
    lines += ["", "## Temaene regionen er foreslått å ha ansvar for", ""]
    if led.empty:
        lines.append("Regionen er ikke foreslått å ha særskilt ansvar for noe tema i fase 1.")
    for _, theme in led.iterrows():
        # every theme has its chapter chapters/tema/<id> (`sirkbok check` reports one missing)
        name = f"{{doc}}`{role_text(theme['navn'])} </chapters/tema/{role_text(theme['id'])}>`"
        responsible = [
            names.get(n.strip(), n.strip())
            for n in re.split(r"[;,]", _text(theme.get("ansvarlige_kommuner")))
            if n.strip()
        ]
        responsible = [text(n) for n in responsible]
        extra = f" ({_join(responsible)} foreslått i regionen)" if responsible else ""
        lines.append(f"- {name}{extra}{cite(theme['kilde'])}")
    if not led.empty:
        statuses = sorted(
            set(zip(led["status"].map(_text), led["status_kilde"].map(_text), strict=True))
        )
        lines += ["", " ".join(decisions.sentence(s, k) for s, k in statuses)]
    lines += ["", "## Kapitler fra regionen", ""]
    chapters = region_chapters(root, region)
    if not chapters:
        lines.append(
            "Det er ikke skrevet egne kapitler om regionen ennå. Se kapitlet {doc}`Bidra "
            "</chapters/bidra>` for hvordan du legger til et."
        )
    theme_names = dict(zip(themes["id"].map(_text), themes["navn"].map(_text), strict=True))
    for chapter in sorted(
        chapters,
        key=lambda c: (str((c.meta or {}).get("theme", "")), (c.title or c.path.stem).casefold()),
    ):
        meta = chapter.meta or {}
        title = role_text(chapter.title or chapter.path.stem)
        theme = theme_names.get(str(meta.get("theme")), meta.get("theme", "?"))
        details = [f"tema: {text(theme)}"]
        authors = meta.get("authors")
        if isinstance(authors, list) and authors:
            details.append(f"av {_join([text(a) for a in authors])}")
        date = parse_date(meta.get("date")) if meta.get("date") else None
        if date:
            details.append(f"{date.day}.{date.month}.{date.year}")
        status = STATUS_LABELS.get(str(meta.get("status")), meta.get("status"))
        details.append(f"status: {text(status)}")
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
    from sirkbok.municipality import doc_link

    return doc_link(_text(row["navn"]), f"/{MUNICIPALITY_DIR}/{_text(row['kommunenummer'])}")


def render_front_block() -> str:
    """The front page's themes with their proposed leads, the regions and «Din kommune»."""
    from sirkbok import data, decisions
    from sirkbok.format import text
    from sirkbok.municipality import doc_link

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
        link = doc_link(_text(theme["navn"]), f"/chapters/tema/{_text(theme['id'])}")
        region = _text(theme["ansvarlig_region"])
        lead = doc_link(
            region_names.get(region, region), f"/{REGION_DIR.as_posix()}/{region}/index"
        )
        inside = [
            text(names.get(n.strip(), n.strip()))
            for n in _text(theme["ansvarlige_kommuner"]).split(";")
            if n.strip()
        ]
        extra = f", og internt i regionen {_join(inside)}" if inside else ""
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
        lines += ["", f"**{doc_link(name, f'/{REGION_DIR.as_posix()}/{region}/index')}:** {links}"]
    lines += ["", FRONT_END]
    return "\n".join(lines)


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


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
    """Rewrite the stale landing pages atomically; returns the pages that changed."""
    changed = []
    for page, text in planned_pages(root).items():
        if page.read_text(encoding="utf-8") != text:
            write_atomic(page, text)
            changed.append(page)
    return changed
