"""`sirkbok new-chapter`: a region's new chapter from the house template, registered in `_toc.yml`.

Everything is checked before anything is written: an unknown region or theme, a title the book
already uses or an existing file changes nothing. `_toc.yml` is edited as text (so its comments
and layout survive), the result is parsed back to prove the entry landed under the right region,
and each file is replaced atomically.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import string
import unicodedata
from importlib import resources
from pathlib import Path

from sirkbok.book import chapters, regions
from sirkbok.book.chapters import TOC
from sirkbok.book.frontmatter import read_chapter, text_problems
from sirkbok.core import context
from sirkbok.core.errors import Problem, UserError, relative
from sirkbok.core.files import inside, write_atomic

SLUG_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--region",
        required=True,
        help="Regionen kapitlet hører til, for eksempel hadelandsregionen.",
    )
    parser.add_argument(
        "--theme", required=True, metavar="TEMA", help="Temaet: en id fra data/tema.csv."
    )
    parser.add_argument(
        "--title", required=True, metavar="TITTEL", help="Kapitlets tittel, i anførselstegn."
    )
    parser.add_argument(
        "--author",
        action="append",
        default=[],
        metavar="NAVN",
        help="En forfatter; gjenta for flere.",
    )
    parser.add_argument(
        "--format",
        choices=("md", "ipynb"),
        default="md",
        help="md (Markdown, standard) eller ipynb (notatbok med kode).",
    )


def run(args: argparse.Namespace) -> int:
    root = context.current().root
    created = new_chapter(
        root,
        region=args.region,
        theme=args.theme,
        title=args.title,
        authors=args.author,
        fmt=args.format,
    )
    name = relative(created, root)
    print(f"Laget {name} og la det inn i {TOC} under {args.region}.")
    print(f"Oppdaterte regionsiden {relative(regions.landing_page(root, args.region), root)}.")
    print("\nNeste steg:")
    print(f"  1. Skriv kapitlet: åpne {name} og fyll inn hver del.")
    if not args.author:
        print("     Skriv navnet ditt under «authors» øverst i filen.")
    print("  2. Se det i boka: `make book`, så `make serve` og åpne http://127.0.0.1:8000.")
    print("  3. Sjekk det: `.venv/bin/sirkbok check` (lenker, bilder, forside-data, data).")
    print("  4. Send et endringsforslag (pull request), se CONTRIBUTING.md.")
    return 0


def slugify(title: str) -> str:
    """`Brukte klær på Hadeland` -> `brukte-klaer-pa-hadeland`."""
    text = unicodedata.normalize("NFKD", title.translate(SLUG_LETTERS).lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _normal_title(title: str) -> str:
    return " ".join(title.split()).casefold()


def book_titles(root: Path) -> dict[str, Path]:
    """Every chapter title in the book (front matter `title` and first heading) -> its file."""
    titles: dict[str, Path] = {}
    for path in chapters.chapter_files(root):
        chapter = read_chapter(path, root)
        for title in (chapter.title, chapter.heading):
            if title:
                titles.setdefault(_normal_title(title), path)
    return titles


def render(
    fmt: str,
    *,
    title: str,
    region: str,
    theme: str,
    authors: list[str],
    date: dt.date,
) -> str:
    """The chapter text from the template in `sirkbok/templates/`."""
    template = (
        resources.files("sirkbok")
        .joinpath("templates", f"kapittel.{fmt}")
        .read_text(encoding="utf-8")
    )
    if fmt == "ipynb":
        notebook = json.loads(template)
        notebook["metadata"]["sirkbok"].update(
            title=title,
            region=region,
            theme=theme,
            authors=authors,
            date=date.isoformat(),
            status="utkast",
        )
        for cell in notebook["cells"]:
            source = "".join(cell["source"])
            source = string.Template(source).safe_substitute(tittel=title, region_id=region)
            cell["source"] = source.splitlines(keepends=True)
        return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"

    def scalar(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar

    author_lines = "\n".join(f"  - {scalar(a)}" for a in authors) or '  - ""'
    return string.Template(template).substitute(
        tittel_yaml=scalar(title),
        tittel=title,
        region_id=region,
        tema_id=theme,
        forfattere=author_lines,
        dato=date.isoformat(),
    )


def register_in_toc(toc_text: str, region: str, entry: str) -> str:
    """`_toc.yml` with `entry` appended to the `sections` of the region's landing page.

    A targeted text insertion keeps comments and layout; the result is parsed back to make sure
    the entry sits under the region and nothing else moved.
    """
    index = f"chapters/regioner/{region}/index"
    lines = toc_text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    pattern = re.compile(rf"^(\s*)-\s+file:\s*['\"]?{re.escape(index)}(?:\.md)?['\"]?\s*(#.*)?$")
    start = next((i for i, line in enumerate(lines) if pattern.match(line.rstrip("\n"))), None)
    if start is None:
        raise UserError(
            Problem(
                file=TOC,
                message=(
                    f"Fant ikke regionsiden «{index}» i innholdsfortegnelsen. Den skal stå under "
                    "delen «Regionene» som «- file: " + index + "»."
                ),
            )
        )
    item = pattern.match(lines[start].rstrip("\n"))
    assert item is not None  # the line was found by this pattern
    item_indent = len(item.group(1))
    key_indent = item_indent + 2

    def indent_of(line: str) -> int:
        return len(line) - len(line.lstrip(" "))

    def content(line: str) -> bool:
        return bool(line.strip()) and not line.lstrip().startswith("#")

    end = start + 1  # one past the entry's last content line
    sections_at = None
    for i in range(start + 1, len(lines)):
        if not content(lines[i]):
            continue
        if indent_of(lines[i]) <= item_indent:
            break
        if indent_of(lines[i]) == key_indent and lines[i].strip().startswith("sections:"):
            sections_at = i
        end = i + 1
    if sections_at is None:
        new = [" " * key_indent + "sections:\n", " " * (key_indent + 2) + f"- file: {entry}\n"]
        insert_at = end
    else:
        value = lines[sections_at].split(":", 1)[1].strip()
        if value and not value.startswith("#"):
            raise UserError(
                Problem(
                    file=TOC,
                    line=sections_at + 1,
                    message=(
                        "«sections:» under regionsiden må være en liste med én «- file: …» "
                        "per linje."
                    ),
                )
            )
        insert_at, child = sections_at + 1, None
        for i in range(sections_at + 1, end):  # the list ends at the next key of the entry
            if content(lines[i]):
                if indent_of(lines[i]) <= key_indent:
                    break
                child = indent_of(lines[i]) if child is None else child
                insert_at = i + 1
        new = [" " * (child or key_indent + 2) + f"- file: {entry}\n"]
    result = "".join(lines[:insert_at] + new + lines[insert_at:])
    if not _entry_under_region(result, index, entry) or not _same_apart_from(
        toc_text, result, entry
    ):
        raise UserError(
            Problem(
                file=TOC,
                message=(
                    "Klarte ikke å legge kapitlet inn i innholdsfortegnelsen automatisk; "
                    f"ingenting er endret. Legg inn «- file: {entry}» under «sections:» "
                    f"for {index} for hånd."
                ),
            )
        )
    return result


def _entry_under_region(toc_text: str, index: str, entry: str) -> bool:
    try:
        toc = chapters.parse(toc_text)
    except UserError:
        return False
    return any(item.docname == entry and item.parent == index for item in chapters.entries(toc))


def _same_apart_from(old: str, new: str, entry: str) -> bool:
    """The new toc equals the old one once the new entry is taken out again."""

    def strip(node: object) -> object:
        if isinstance(node, dict):
            out = {k: strip(v) for k, v in node.items()}
            if out.get("sections") == []:
                del out["sections"]
            return out
        if isinstance(node, list):
            return [strip(v) for v in node if not (isinstance(v, dict) and v.get("file") == entry)]
        return node

    return strip(chapters.parse(old)) == strip(chapters.parse(new))


def new_chapter(
    root: Path,
    *,
    region: str,
    theme: str,
    title: str,
    authors: list[str],
    fmt: str = "md",
    today: dt.date | None = None,
) -> Path:
    """Create, register and list a chapter; on any problem raise UserError and change nothing."""
    region_list, theme_list = regions.region_ids(), regions.theme_ids()
    problems: list[Problem] = []
    if region not in region_list:
        problems.append(
            Problem(
                file="",
                message="Ukjent region i --region.",
                found=region,
                expected="en av " + ", ".join(region_list),
            )
        )
    if theme not in theme_list:
        problems.append(
            Problem(
                file="",
                message="Ukjent tema i --theme.",
                found=theme,
                expected="en av " + ", ".join(theme_list),
            )
        )
    title = " ".join(title.split())
    slug = slugify(title)
    authors = [" ".join(a.split()) for a in authors if a.strip()]
    problems += text_problems(title, authors)
    if problems:
        pass  # a title that is too long or holds markup is not looked up further
    elif not slug or slug == "index":
        problems.append(
            Problem(
                file="",
                message=("Tittelen må inneholde bokstaver eller tall (og kan ikke være «index»)."),
                found=title,
            )
        )
    elif _normal_title(title) in (used := book_titles(root)):
        problems.append(
            Problem(
                file=relative(used[_normal_title(title)], root),
                message=("Boka har allerede et kapittel med denne tittelen; velg en annen tittel."),
                found=title,
            )
        )
    if problems:
        raise UserError(problems)

    folder = root / regions.REGION_DIR / region
    path = folder / f"{slug}.{fmt}"
    # A region folder (or file) that is a link leading out of the book is refused: nothing written.
    inside(root, path.relative_to(root))
    taken = [p for p in (folder / f"{slug}{s}" for s in chapters.SUFFIXES) if p.exists()]
    if taken:
        raise UserError(
            Problem(
                file=relative(taken[0], root),
                message=(
                    "Filen finnes allerede; velg en annen tittel, eller rediger filen som finnes."
                ),
            )
        )
    entry = f"chapters/regioner/{region}/{slug}"
    if entry in chapters.pages(root):
        raise UserError(
            Problem(
                file=TOC,
                message="Innholdsfortegnelsen har allerede dette kapitlet, men filen mangler.",
                found=entry,
                expected="at du gjenoppretter filen eller fjerner linjen fra _toc.yml",
            )
        )
    toc_path = root / TOC
    inside(root, TOC)
    new_toc = register_in_toc(toc_path.read_text(encoding="utf-8"), region, entry)

    text = render(
        fmt,
        title=title,
        region=region,
        theme=theme,
        authors=authors,
        date=today or dt.date.today(),
    )
    for page in regions.planned_pages(root):  # the landing pages and their markers exist, and
        inside(root, page.relative_to(root))  # none leads out of the book: fail before writing
    written: list[tuple[Path, str | None]] = []
    try:
        for target, content in ((path, text), (toc_path, new_toc)):
            written.append(
                (target, target.read_text(encoding="utf-8") if target.exists() else None)
            )
            write_atomic(target, content)
        for page, content in regions.planned_pages(root).items():
            written.append((page, page.read_text(encoding="utf-8")))
            write_atomic(page, content)
    except BaseException:
        for target, before in reversed(written):
            if before is None:
                target.unlink(missing_ok=True)
            else:
                write_atomic(target, before)
        raise
    return path
