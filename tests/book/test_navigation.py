"""The chapter menu shows every level of _toc.yml. `max_navbar_depth` in _config.yml is kept as low
as the book is deep: the theme copies every page's headings down to that depth for the menu of each
page it writes (then drops them, the menu shows titles only), which was a tenth of a build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def _depth(entries: list[dict[str, Any]]) -> int:
    """How many levels of pages `entries` (chapters, or a chapter's sections) reach."""
    return max((1 + _depth(entry.get("sections", [])) for entry in entries), default=0)


def test_the_chapter_menu_reaches_the_deepest_page(repo_root: Path) -> None:
    toc = yaml.safe_load((repo_root / "_toc.yml").read_text(encoding="utf-8"))
    config = yaml.safe_load((repo_root / "_config.yml").read_text(encoding="utf-8"))
    options = config["sphinx"]["config"]["html_theme_options"]
    deepest = max(_depth(part["chapters"]) for part in toc["parts"])
    assert deepest >= 2  # regions hold their municipalities: the menu has a second level
    assert options["max_navbar_depth"] >= deepest
