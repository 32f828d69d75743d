"""The book's headline numbers, before and after a contribution, for the pull request's table.

A headline number is a value a chapter glues (`myst_nb.glue`, read back with `run.results.parse`)
and, for the data package, the share of values that are still «mangler» in each region (the figure
«Data og kilder» and every page quote from `themes.coverage`). Both are read from the book at a
given root, so the same function runs before and after the change.
"""

from __future__ import annotations

import json
from pathlib import Path

from sirkbok.core import paths
from sirkbok.format import number, percent
from sirkbok.run.results import parse

DATA_CHAPTER = "chapters/data-og-kilder"


def glued(root: Path) -> dict[tuple[str, str], float]:
    """(page, name) -> every numeric value the executed chapters glue."""
    found: dict[tuple[str, str], float] = {}
    for path in sorted((root / "chapters").rglob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        page = path.relative_to(root).with_suffix("").as_posix()
        for cell in notebook.get("cells", []):
            for output in cell.get("outputs", []):
                record = output.get("metadata", {}).get("scrapbook", {})
                text = output.get("data", {}).get(record.get("mime_prefix", "") + "text/plain")
                if record.get("name") and text is not None:
                    value = parse(text if isinstance(text, str) else "".join(text))
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        found[(page, str(record["name"]))] = float(value)
    return found


def coverage_shares(root: Path) -> dict[tuple[str, str], float]:
    """(data chapter, «Andel som mangler, <region>») -> the share of missing values."""
    from sirkbok import data
    from sirkbok.themes import coverage

    with paths.environment({"SIRKBOK_ROOT": str(root)}):
        values = coverage.values(*(data.load(t) for t in coverage.TABLES))
        regions = data.load("regioner")
        names = dict(zip(regions["id"], regions["kortnavn"], strict=True))
    shares = values.groupby("region")["status"].apply(lambda s: float((s == "mangler").mean()))
    return {
        (DATA_CHAPTER, f"Andel som mangler, {names[region]}"): share
        for region, share in shares.items()
        if region in names
    }


def read(root: Path) -> dict[tuple[str, str], float]:
    return {**glued(root), **coverage_shares(root)}


def _shown(name: str, value: float) -> str:
    return percent(value, 1) if name.startswith("Andel") else number(value, 2)


def table(before: dict[tuple[str, str], float], after: dict[tuple[str, str], float]) -> str:
    """A Markdown table of every headline number that changed, with its page."""
    rows = [
        f"| `{page}` | {name} | {_shown(name, before[key]) if key in before else '–'} | "
        f"{_shown(name, after[key]) if key in after else '–'} |"
        for key in sorted(set(before) | set(after))
        for page, name in [key]
        if before.get(key) != after.get(key)
    ]
    if not rows:
        return "Ingen hovedtall endret seg."
    return "\n".join(["| Side | Tall | Før | Etter |", "| --- | --- | --- | --- |", *rows])
