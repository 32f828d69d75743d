"""Where the book's chapters are: the one reader of `_toc.yml` and the one list of chapter files.

What counts, stated once:
- A *page* is every `root` and `file` entry of `_toc.yml`, at any depth. Only pages are built and
  only pages can be linked to.
- A *chapter* is the root page and each `file` directly under a part's `chapters`. Parts are
  captions, not pages. The `sections` under a chapter (the generated municipality pages, a
  region's contributed chapters) are pages of that chapter, not chapters of their own: the PDF's
  contents list shows chapters only.
- A *chapter file* is a Markdown or notebook file under `chapters/`, outside figure folders,
  notebook checkpoints and hidden folders. One whose name starts with «_» is a *draft*: it is
  checked like the others, but the table of contents need not list it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sirkbok.core import safeyaml
from sirkbok.core.errors import UserError

TOC = "_toc.yml"
CHAPTER_DIR = "chapters"
SUFFIXES = (".md", ".ipynb")
NOT_CHAPTERS = ("figurer", ".ipynb_checkpoints")  # folders under chapters/ that hold no chapter


@dataclass(frozen=True)
class Entry:
    """One page of `_toc.yml`, in reading order."""

    docname: str  # the file without its suffix, as Sphinx names it
    part: str  # the caption of its part ("" for the root page and a book without parts)
    parent: str | None  # the chapter it is a section of (None for the root and for chapters)

    @property
    def is_chapter(self) -> bool:
        return self.parent is None


def docname(file: object) -> str:
    """`chapters/bidra.md` -> `chapters/bidra`: a toc entry as Sphinx names the page."""
    name = str(file)
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def parse(text: str) -> dict[str, Any]:
    """The table of contents in `text`; invalid YAML is a UserError naming the line."""
    toc = safeyaml.load(text, TOC)
    return toc if isinstance(toc, dict) else {}


def read(root: Path) -> dict[str, Any]:
    """The book's `_toc.yml`; an unreadable file is a UserError."""
    return parse((root / TOC).read_text(encoding="utf-8"))


def entries(toc: dict[str, Any]) -> list[Entry]:
    """Every page of a parsed table of contents, in reading order (see the module's rule)."""
    found = [Entry(docname(toc["root"]), "", None)] if toc.get("root") else []

    def walk(items: Any, part: str, parent: str | None) -> None:
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            caption = str(item.get("caption", "")) if "chapters" in item else part
            name = docname(item["file"]) if item.get("file") else None
            if name is not None:
                found.append(Entry(name, caption, parent))
            walk(item.get("parts"), part, parent)
            walk(item.get("chapters"), caption, parent)
            walk(item.get("sections"), caption, name if name is not None else parent)

    walk(toc.get("parts"), "", None)
    walk(toc.get("chapters"), "", None)
    return found


def pages(root: Path) -> set[str]:
    """The docnames of every page; an unreadable `_toc.yml` lists none (`sirkbok check` says why)."""
    try:
        toc = read(root)
    except (OSError, UnicodeDecodeError, UserError):
        return set()
    return {entry.docname for entry in entries(toc)}


def contents(root: Path) -> list[Entry]:
    """The chapters in print order: the root page first, then each part's chapters."""
    return [entry for entry in entries(read(root)) if entry.is_chapter]


def chapter_files(root: Path) -> list[Path]:
    """Every chapter file under `chapters/` (drafts included), sorted."""
    found = []
    for path in (root / CHAPTER_DIR).rglob("*"):
        parts = path.relative_to(root).parts
        if (
            path.suffix in SUFFIXES
            and path.is_file()
            and not any(p in NOT_CHAPTERS or p.startswith(".") for p in parts)
        ):
            found.append(path)
    return sorted(found)


def is_draft(path: Path) -> bool:
    """A chapter file the table of contents need not list (its name starts with «_»)."""
    return path.name.startswith("_")
