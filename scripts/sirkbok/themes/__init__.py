"""The book's themes, one folder each; this registry is the one place that lists them.

`themes/<tema>/` holds a theme's model (its calculations, `model.py`), its figures (`figures.py`) and,
in `__init__.py`, what the rest of the package asks of it (`Theme`). Nothing outside a theme's folder
names the theme: pages, runs and the parameter look-ups go through `THEMES` and `module()`. A theme is
imported on first use, so a notebook on one theme loads that theme alone, and `run/imports.py` sees
which (`module` imports `sirkbok.themes.{theme}`, resolved where it is called with a name).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from sirkbok.themes.parameter import Parameter

# Every theme, in the order of data/tema.csv (tests/themes/test_registry.py keeps the two the same).
THEMES = ("naeringsparker", "biogass", "bioenergi", "tekstiler", "ombrukssentre")


class Theme(Protocol):
    """What a theme's `__init__.py` offers the rest of the package."""

    PARAMETERS: Sequence[Parameter]  # the assumptions of its analysis (`sirkbok params TEMA`)
    COLOUR: str  # its colour in charts that show several themes (`reader.colours`)


def module(theme: str) -> Theme:
    """The theme's package, imported on first use; KeyError for a name that is no theme, so a name
    from the command line (`__init__`, `parameters`, `../x`) never selects another module."""
    if theme not in THEMES:
        raise KeyError(theme)
    return cast(Theme, importlib.import_module(f"sirkbok.themes.{theme}"))
