"""Parameters of the theme notebooks, looked up by theme id: defaults, checks and the citations.

Each theme (`sirkbok.themes.<tema>`, found through the registry in `sirkbok.themes`) lists its
`PARAMETERS` (`sirkbok.themes.parameter.Parameter`). Values outside the allowed range are refused with
a Norwegian message naming the parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sirkbok import themes as registry
from sirkbok.core.errors import Problem, UserError
from sirkbok.core.format import number
from sirkbok.core.vocabulary import MISSING
from sirkbok.datapackage import load as data
from sirkbok.reader.cite import cite
from sirkbok.reader.prose import glue
from sirkbok.themes import offers
from sirkbok.themes.parameter import Parameter

if TYPE_CHECKING:  # display objects only where a notebook shows them
    from IPython.display import Markdown


def specs(theme: str) -> list[Parameter]:
    """The parameters of a theme; a name that is no theme is refused with the known ones listed."""
    try:
        return list(registry.module(theme).PARAMETERS)
    except KeyError:
        raise UserError(
            Problem(
                file="",
                message=f"Ukjent tema «{theme}».",
                found=theme,
                expected="et tema med parametre: " + ", ".join(themes()),
            )
        ) from None


def themes() -> list[str]:
    """Themes of the data package (data/tema.csv) that have a folder in sirkbok/themes."""

    ids = sorted(str(theme) for theme in data.load("tema")["id"])
    return [theme for theme in ids if theme in registry.THEMES]


def default(theme: str, name: str) -> float:
    """The default of one parameter (used in the notebooks' `parameters` cells)."""
    for parameter in specs(theme):
        if parameter.name == name:
            return parameter.default()
    raise KeyError(name)


def defaults(theme: str) -> dict[str, float]:
    return offers.defaults(specs(theme))


def check(theme: str, values: Mapping[str, Any], origin: str = "parametre") -> dict[str, float]:
    """Validate the theme's parameters found in `values`; every bad one is reported, none is guessed."""
    problems: list[Problem] = []
    checked: dict[str, float] = {}
    for parameter in specs(theme):
        if parameter.name not in values:
            continue
        raw = values[parameter.name]
        allowed = f"et tall fra {parameter.minimum:g} til {parameter.maximum:g} ({parameter.unit})"
        try:
            value = float(str(raw).replace(",", ".")) if isinstance(raw, str) else float(raw)
        except (TypeError, ValueError):
            problems.append(
                Problem(
                    file=origin,
                    found=str(raw),
                    expected=allowed,
                    message=f"Parameteren «{parameter.name}» er ikke et tall.",
                )
            )
            continue
        if not parameter.minimum <= value <= parameter.maximum:
            problems.append(
                Problem(
                    file=origin,
                    found=f"{value:g}",
                    expected=allowed,
                    message=f"Parameteren «{parameter.name}» er utenfor tillatt område.",
                )
            )
            continue
        checked[parameter.name] = value
    if problems:
        raise UserError(problems)
    return checked


def unknown(theme: str, names: list[str]) -> list[str]:
    """Names that are not parameters of the theme (for refusing a researcher's typo)."""
    known = {p.name for p in specs(theme)}
    return [n for n in names if n not in known]


def assumptions_markdown(theme: str, values: Mapping[str, Any]) -> Markdown:
    """The «Forutsetninger og kilder» table of a chapter as MyST Markdown, generated from the spec.

    One row per parameter: the value the run used, its unit and allowed range, and where the default
    comes from (the factor with a citation of its source, or the stated assumption and its reason).
    Readers see descriptions and factor names; the parameter names stay in the code cells.
    """
    from IPython.display import Markdown

    def show(value: float | None) -> str:
        if value is None:
            return MISSING
        return number(value, 0) if float(value).is_integer() else number(value, 3).rstrip("0")

    lines = [
        "| Parameter | Verdi i denne kjøringen | Enhet | Tillatt område | Standardverdi og kilde |",
        "|---|---|---|---|---|",
    ]
    for parameter in specs(theme):
        used = float(values.get(parameter.name, parameter.default()))
        if parameter.factor is not None:
            factor = data.factor(parameter.factor)
            year = f", {factor.year}" if factor.year else ""
            origin = (
                f"{show(factor.value)} ({factor.unit.replace('m3', 'm³')}): {factor.name} "
                f"{cite(factor.source).strip()} (kildegrad {factor.grade}{year})"
            )
        else:
            origin = f"{show(parameter.default())}: {parameter.source()}"
        lines.append(
            f"| {parameter.description} | {show(used)} | "
            f"{parameter.unit} | {show(parameter.minimum)}–{show(parameter.maximum)} | "
            f"{origin} |"
        )
    return Markdown("\n".join(lines))


CHANGED = "(endret parameter i denne kjøringen)"


def notes(theme: str, values: Mapping[str, Any]) -> dict[str, str]:
    """`note` for every parameter of the theme found in `values` (a notebook's checked values)."""
    return {p.name: note(theme, p.name, values[p.name]) for p in specs(theme) if p.name in values}


def note(theme: str, name: str, value: float) -> str:
    """What running text says about a parameter's source, beside the `{cite}` its Markdown cell
    writes for a factor's source (so the chapter's text stays in Markdown, and no source is
    misquoted when a researcher changes the value):

    - a factor's default: nothing (the cell's `{cite}` says it);
    - a changed factor: « (endret parameter i denne kjøringen)», after the cell's `{cite}`;
    - an assumption: its reason, or `CHANGED` when the run changed it (the cell cites nothing).
    """
    for parameter in specs(theme):
        if parameter.name != name:
            continue
        changed = float(value) != parameter.default()
        if parameter.factor is not None:
            return f" {CHANGED}" if changed else ""
        return CHANGED if changed else parameter.uncited
    raise KeyError(name)


def glue_notes(theme: str, values: Mapping[str, float]) -> None:
    """Glue `note` for each of the theme's parameters as `kilde-<name>` (`_` as `-`): a
    cell writes `{cite}`source`{glue:text}`kilde-x`` after a factor's value, and only the glued
    note after an assumption's."""

    glue({f"kilde-{k.replace('_', '-')}": v for k, v in notes(theme, values).items()})
