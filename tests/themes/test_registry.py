"""The theme registry (`sirkbok.themes`): every theme of data/tema.csv, each a folder that offers
what the pages need, and no theme named anywhere else in the package."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest
from sirkbok import themes
from sirkbok.core.errors import UserError
from sirkbok.reader.colours import THEME_PALETTE
from sirkbok.themes import parameters

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "scripts" / "sirkbok"


def test_the_registry_lists_the_themes_of_the_data_package_in_its_order() -> None:
    with (ROOT / "data" / "tema.csv").open(encoding="utf-8") as table:
        ids = [row["id"] for row in csv.DictReader(table)]
    assert list(themes.THEMES) == ids
    assert parameters.themes() == sorted(ids)


def test_every_theme_offers_parameters_and_its_colour_from_the_palette() -> None:
    for theme in themes.THEMES:
        module = themes.module(theme)
        assert module.PARAMETERS, theme
        assert sys.modules[f"sirkbok.themes.{theme}"] is module
    # the house chart style's category range lists the palette in the registry's order
    assert [themes.module(t).COLOUR for t in themes.THEMES] == list(THEME_PALETTE)


@pytest.mark.parametrize("name", ["__init__", "parameters", "offers", "../x", "biogass.model", ""])
def test_a_name_that_is_no_theme_selects_no_module(name: str) -> None:
    with pytest.raises(KeyError):
        themes.module(name)
    with pytest.raises(UserError) as refused:
        parameters.specs(name)
    assert "Ukjent tema" in str(refused.value.problems[0].message)


def test_no_theme_is_named_outside_its_own_folder() -> None:
    """Only `themes/<tema>/` and the registry name a theme; notebooks (templates) excepted, and
    the data package and chapters are outside the package. A word match: «biogassanlegg» and
    `biogass_adresse` are other words."""
    ids = re.compile(r"\b(" + "|".join(map(re.escape, themes.THEMES)) + r")\b")
    named = []
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if not path.is_file() or path.suffix in {".ipynb", ".pyc"}:
            continue
        if relative.as_posix() == "themes/__init__.py" or (
            relative.parts[0] == "themes" and relative.parts[1] in themes.THEMES
        ):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        named += [f"{relative}: {m.group(0)}" for m in ids.finditer(text)]
    assert named == []


def test_the_theme_name_check_can_fail(tmp_path: Path) -> None:
    """The pattern above finds a theme id where one is written, and only as a word."""
    ids = re.compile(r"\b(" + "|".join(map(re.escape, themes.THEMES)) + r")\b")
    assert ids.findall('COLOURS = {"biogass": "#2b7a3d"}') == ["biogass"]
    assert ids.findall("biogassanlegg biogass_adresse") == []
